<?php

declare(strict_types=1);

namespace Ihuyi\Internal;

use FFI\CData;
use Ihuyi\Exception\ApiException;
use Ihuyi\Exception\IhuyiException;
use Ihuyi\Exception\OutcomeUnknownException;
use Ihuyi\Exception\UnreachableException;
use Ihuyi\Exception\ValidationException;

/**
 * Marshalling shared by the public classes: statuses to exceptions, strings in and out.
 *
 * @internal
 */
final class Native
{
    public const OK = 0;
    public const ERR_VALIDATION = 1;
    public const ERR_API = 2;
    public const ERR_UNREACHABLE = 3;
    public const ERR_OUTCOME_UNKNOWN = 4;
    public const ERR_INVALID_UTF8 = 101;
    public const ERR_INVALID_ARGUMENT = 102;
    public const ERR_NOT_FOUND = 105;

    private function __construct()
    {
    }

    /**
     * Throws the exception for a failed call's status. Must run right after the failed call:
     * the details are the library's per-thread record of its last failure.
     */
    public static function fail(\FFI $ffi, int $status, string $what): never
    {
        $name = (string) $ffi->ihuyi_status_name($status);
        $detail = self::copyOut($ffi, 'ihuyi_last_error_message');
        // The library's message is complete on its own (and never holds the key).
        $message = $detail === '' ? "$what failed ($name)" : $detail;
        switch ($status) {
            case self::ERR_API:
                throw new ApiException(
                    $message,
                    (int) $ffi->ihuyi_last_result_code(),
                    self::copyOut($ffi, 'ihuyi_last_api_message'),
                    self::copyOut($ffi, 'ihuyi_last_api_class'),
                    $name,
                );
            case self::ERR_VALIDATION:
            case self::ERR_INVALID_UTF8:
            case self::ERR_INVALID_ARGUMENT:
                throw new ValidationException($message, $status, null, $name);
            case self::ERR_UNREACHABLE:
                throw new UnreachableException($message, $status, null, $name);
            case self::ERR_OUTCOME_UNKNOWN:
                throw new OutcomeUnknownException($message, $status, null, $name);
            default:
                throw new IhuyiException($message, $status, null, $name);
        }
    }

    /** Throws unless `$status` is IHUYI_OK. */
    public static function check(\FFI $ffi, int $status, string $what): void
    {
        if ($status !== self::OK) {
            self::fail($ffi, $status, $what);
        }
    }

    /**
     * Refuses a string C cannot carry whole: a NUL byte would silently cut it.
     *
     * @throws ValidationException
     */
    public static function cString(string $name, string $value): string
    {
        if (str_contains($value, "\0")) {
            throw new ValidationException("$name contains a NUL byte, which C strings cannot carry");
        }
        return $value;
    }

    /** A new, NULL `char *` out-parameter. */
    public static function outString(\FFI $ffi): CData
    {
        return $ffi->new('char*');
    }

    /**
     * The string a call handed out through `$out`, released; '' when it was never written.
     * Call it in a `finally` or right after success: it always frees.
     */
    public static function takeString(\FFI $ffi, CData $out): string
    {
        if (\FFI::isNull($out)) {
            return '';
        }
        try {
            return \FFI::string($out);
        } finally {
            $ffi->ihuyi_string_free($out);
        }
    }

    /** Releases a string out-parameter if it was written (for error paths). */
    public static function freeString(\FFI $ffi, CData $out): void
    {
        if (!\FFI::isNull($out)) {
            $ffi->ihuyi_string_free($out);
        }
    }

    /**
     * A byte buffer for a `const uint8_t *` argument, and its length; null for an empty string
     * (the library accepts NULL with length 0).
     *
     * @return array{0: ?CData, 1: int}
     */
    public static function bytes(\FFI $ffi, string $data): array
    {
        $len = strlen($data);
        if ($len === 0) {
            return [null, 0];
        }
        $buf = $ffi->new("uint8_t[$len]");
        \FFI::memcpy($buf, $data, $len);
        return [$buf, $len];
    }

    /** Copies out one of the `size_t f(char *buf, size_t len)` last-failure accessors. */
    private static function copyOut(\FFI $ffi, string $function): string
    {
        $len = (int) $ffi->$function(null, 0);
        if ($len === 0) {
            return '';
        }
        $buf = $ffi->new('char[' . ($len + 1) . ']');
        $ffi->$function($buf, $len + 1);
        return \FFI::string($buf);
    }
}
