<?php

declare(strict_types=1);

namespace Ihuyi;

use Ihuyi\Internal\Native;

/**
 * The library's pure protocol functions, for checking a deployment, writing a custom transport
 * or testing: dynamic passwords and what an answer means. A Client does all of this itself.
 */
final class Protocol
{
    private function __construct()
    {
    }

    /** The dynamic password of a Submit: md5(account + apikey + mobile + content + time), hex. */
    public static function submitPassword(
        string $account,
        #[\SensitiveParameter] string $apiKey,
        string $mobile,
        string $content,
        int $time,
    ): string {
        $ffi = Library::ffi();
        $buf = $ffi->new('char[33]');
        Native::check($ffi, $ffi->ihuyi_submit_password(
            Native::cString('account', $account),
            Native::cString('API key', $apiKey),
            Native::cString('mobile', $mobile),
            Native::cString('content', $content),
            self::time($time),
            $buf,
            33,
        ), 'submit password');
        return \FFI::string($buf);
    }

    /** The dynamic password of a GetNum: md5(account + apikey + time), hex. */
    public static function getNumPassword(string $account, #[\SensitiveParameter] string $apiKey, int $time): string
    {
        $ffi = Library::ffi();
        $buf = $ffi->new('char[33]');
        Native::check($ffi, $ffi->ihuyi_get_num_password(
            Native::cString('account', $account),
            Native::cString('API key', $apiKey),
            self::time($time),
            $buf,
            33,
        ), 'GetNum password');
        return \FFI::string($buf);
    }

    /**
     * What a Submit answer means, as Client::send() decides it.
     *
     * @return array{id: string, msg: string} on acceptance
     * @throws Exception\ApiException            a refusal
     * @throws Exception\OutcomeUnknownException not an API answer (HTTP status, empty, garbage)
     */
    public static function submitOutcome(string $product, int $httpStatus, string $body): array
    {
        $ffi = Library::ffi();
        [$buf, $len] = Native::bytes($ffi, $body);
        $id = Native::outString($ffi);
        $msg = Native::outString($ffi);
        $status = $ffi->ihuyi_submit_outcome(
            Native::cString('product', $product),
            self::httpStatus($httpStatus),
            $buf,
            $len,
            \FFI::addr($id),
            \FFI::addr($msg),
        );
        if ($status !== Native::OK) {
            Native::freeString($ffi, $id);
            Native::freeString($ffi, $msg);
            Native::fail($ffi, $status, 'submit answer');
        }
        return ['id' => Native::takeString($ffi, $id), 'msg' => Native::takeString($ffi, $msg)];
    }

    /**
     * What a GetNum answer means, as Client::balance() decides it.
     *
     * @return array{num: int, msg: string} on success
     * @throws Exception\ApiException|Exception\OutcomeUnknownException
     */
    public static function getNumOutcome(string $product, int $httpStatus, string $body): array
    {
        $ffi = Library::ffi();
        [$buf, $len] = Native::bytes($ffi, $body);
        $num = $ffi->new('int64_t');
        $msg = Native::outString($ffi);
        $status = $ffi->ihuyi_get_num_outcome(
            Native::cString('product', $product),
            self::httpStatus($httpStatus),
            $buf,
            $len,
            \FFI::addr($num),
            \FFI::addr($msg),
        );
        if ($status !== Native::OK) {
            Native::freeString($ffi, $msg);
            Native::fail($ffi, $status, 'GetNum answer');
        }
        return ['num' => (int) $num->cdata, 'msg' => Native::takeString($ffi, $msg)];
    }

    private static function time(int $time): int
    {
        if ($time < 0) {
            throw new Exception\ValidationException("time must be a Unix time in seconds, not $time");
        }
        return $time;
    }

    private static function httpStatus(int $status): int
    {
        if ($status < 0 || $status > 65535) {
            throw new Exception\ValidationException("HTTP status out of range: $status");
        }
        return $status;
    }
}
