<?php

declare(strict_types=1);

namespace Ihuyi;

use FFI\CData;
use Ihuyi\Exception\IhuyiException;
use Ihuyi\Internal\Native;

/**
 * A client for one product (`sms`, `voice` or `isms`) and one account. It owns a native client
 * (its keep-alive connections): keep one for many sends. It never resends on its own.
 *
 * The API key is handed to the library and not kept in PHP: it is in no property, dump,
 * exception message or stack trace.
 */
final class Client
{
    /** The product, lowercase: `sms`, `voice` or `isms`. */
    public readonly string $product;

    /** The account (APIID). */
    public readonly string $account;

    /** The origin the client talks to, or null for the vendor's host. */
    public readonly ?string $baseUrl;

    private ?CData $handle = null;

    /**
     * @param string      $product           `sms`, `voice` or `isms` (any case)
     * @param string      $account           the APIID
     * @param string      $apiKey            the APIKEY (never stored in PHP)
     * @param string|null $baseUrl           `scheme://host[:port]` to talk to instead of the
     *                                       vendor's host (how tests reach the sandbox)
     * @param string|null $format            `xml` (default) or `json`: the answer format asked for
     * @param string|null $passwordMode      `dynamic` (default: the key never travels) or `plain`
     * @param int|null    $connectTimeoutMs  default 5000; a failure there is UnreachableException
     * @param int|null    $sendTimeoutMs     default 10000
     * @param int|null    $responseTimeoutMs default 15000; past it the outcome is unknown
     * @param int|null    $maxIdleConnections default 64
     *
     * @throws Exception\ValidationException for a bad product, account, key, URL or setting
     * @throws IhuyiException                when the library cannot be loaded
     */
    public function __construct(
        string $product,
        string $account,
        #[\SensitiveParameter] string $apiKey,
        ?string $baseUrl = null,
        ?string $format = null,
        ?string $passwordMode = null,
        ?int $connectTimeoutMs = null,
        ?int $sendTimeoutMs = null,
        ?int $responseTimeoutMs = null,
        ?int $maxIdleConnections = null,
    ) {
        $ffi = Library::ffi();
        $this->product = strtolower($product);
        $this->account = $account;
        $this->baseUrl = $baseUrl;

        $builder = $ffi->new('ihuyi_client_builder*');
        Native::check($ffi, $ffi->ihuyi_client_builder_new(
            Native::cString('product', $product),
            Native::cString('account', $account),
            Native::cString('API key', $apiKey),
            \FFI::addr($builder),
        ), 'creating the client');
        try {
            if ($baseUrl !== null) {
                Native::check($ffi, $ffi->ihuyi_client_builder_set_base_url(
                    $builder,
                    Native::cString('base URL', $baseUrl),
                ), 'setting the base URL');
            }
            if ($format !== null) {
                Native::check($ffi, $ffi->ihuyi_client_builder_set_format(
                    $builder,
                    Native::cString('format', $format),
                ), 'setting the format');
            }
            if ($passwordMode !== null) {
                Native::check($ffi, $ffi->ihuyi_client_builder_set_password_mode(
                    $builder,
                    Native::cString('password mode', $passwordMode),
                ), 'setting the password mode');
            }
            if ($connectTimeoutMs !== null || $sendTimeoutMs !== null || $responseTimeoutMs !== null) {
                Native::check($ffi, $ffi->ihuyi_client_builder_set_timeouts_ms(
                    $builder,
                    self::millis('connect timeout', $connectTimeoutMs ?? 5000),
                    self::millis('send timeout', $sendTimeoutMs ?? 10000),
                    self::millis('response timeout', $responseTimeoutMs ?? 15000),
                ), 'setting the timeouts');
            }
            if ($maxIdleConnections !== null) {
                Native::check($ffi, $ffi->ihuyi_client_builder_set_max_idle_connections(
                    $builder,
                    self::millis('max idle connections', $maxIdleConnections),
                ), 'setting the connection pool');
            }
            $client = $ffi->new('ihuyi_client*');
            Native::check($ffi, $ffi->ihuyi_client_builder_build($builder, \FFI::addr($client)), 'creating the client');
            $this->handle = $client;
        } finally {
            $ffi->ihuyi_client_builder_free($builder);
        }
    }

    /**
     * Sends `$content` to `$mobile` once.
     *
     * @param string $mobile  `sms`/`voice`: a mainland number (`13800138000`); `isms`: country
     *                        code, one space, number (`63 9171234567`)
     * @param string $content the text (`voice`: the 4-6 digit code)
     *
     * @throws Exception\ValidationException     bad input: nothing was sent
     * @throws Exception\ApiException            the server refused (see its code and kind)
     * @throws Exception\UnreachableException    nothing was sent: safe to retry
     * @throws Exception\OutcomeUnknownException it may have been sent: do not resend blindly
     * @throws IhuyiException                    the client is closed
     */
    public function send(string $mobile, string $content): SendResult
    {
        $ffi = Library::ffi();
        $handle = $this->live();
        $out = Native::outString($ffi);
        $status = $ffi->ihuyi_client_send(
            $handle,
            Native::cString('mobile', $mobile),
            Native::cString('content', $content),
            \FFI::addr($out),
        );
        if ($status !== Native::OK) {
            Native::freeString($ffi, $out);
            Native::fail($ffi, $status, 'send');
        }
        return new SendResult(Native::takeString($ffi, $out), $this->product, $mobile);
    }

    /**
     * The account's remaining balance (剩余条数).
     *
     * @throws Exception\ApiException|Exception\UnreachableException|Exception\OutcomeUnknownException
     * @throws IhuyiException the client is closed
     */
    public function balance(): int
    {
        $ffi = Library::ffi();
        $num = $ffi->new('int64_t');
        Native::check($ffi, $ffi->ihuyi_client_balance($this->live(), \FFI::addr($num)), 'balance');
        return (int) $num->cdata;
    }

    /** Releases the native client (idempotent; also done when the object is destroyed). */
    public function close(): void
    {
        if ($this->handle !== null) {
            $handle = $this->handle;
            $this->handle = null;
            Library::ffi()->ihuyi_client_free($handle);
        }
    }

    /** Whether close() was called. */
    public function isClosed(): bool
    {
        return $this->handle === null;
    }

    public function __destruct()
    {
        $this->close();
    }

    /** @return array<string, mixed> what var_dump() shows: no key, no pointer */
    public function __debugInfo(): array
    {
        return [
            'product' => $this->product,
            'account' => $this->account,
            'baseUrl' => $this->baseUrl,
            'closed' => $this->isClosed(),
        ];
    }

    /** A clone would share the native handle and free it twice. */
    private function __clone()
    {
    }

    /** @return never */
    public function __serialize(): array
    {
        throw new \LogicException('an Ihuyi\Client cannot be serialized: create one per process');
    }

    /** @param array<mixed> $data */
    public function __unserialize(array $data): void
    {
        throw new \LogicException('an Ihuyi\Client cannot be unserialized');
    }

    private function live(): CData
    {
        if ($this->handle === null) {
            throw new IhuyiException('this Ihuyi\Client is closed');
        }
        return $this->handle;
    }

    private static function millis(string $name, int $value): int
    {
        if ($value < 0 || $value > 0xFFFFFFFF) {
            throw new Exception\ValidationException("$name must be between 0 and 4294967295, not $value");
        }
        return $value;
    }
}
