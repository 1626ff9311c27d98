<?php

declare(strict_types=1);

namespace Ihuyi;

use FFI\CData;
use Ihuyi\Exception\IhuyiException;
use Ihuyi\Internal\Native;

/**
 * A local ihuyi server (the library's sandbox) on 127.0.0.1: the three products, the default
 * accounts (sms `C80000001`, voice `V80000001`, isms `I80000001`), signatures checked. For tests
 * and examples; it runs on the library's own threads inside this PHP process.
 */
final class Sandbox
{
    private ?CData $handle;

    /** The origin to give a Client: `http://127.0.0.1:PORT`. */
    public readonly string $baseUrl;

    private function __construct(CData $handle)
    {
        $this->handle = $handle;
        $ffi = Library::ffi();
        $out = Native::outString($ffi);
        $status = $ffi->ihuyi_sandbox_base_url($handle, \FFI::addr($out));
        if ($status !== Native::OK) {
            $this->stop();
            Native::fail($ffi, $status, 'sandbox base URL');
        }
        $this->baseUrl = Native::takeString($ffi, $out);
    }

    /**
     * Starts a sandbox on `$port` (0: a free port) and returns once it listens.
     *
     * @throws IhuyiException when the port cannot be bound
     */
    public static function start(int $port = 0): self
    {
        if ($port < 0 || $port > 65535) {
            throw new Exception\ValidationException("port must be between 0 and 65535, not $port");
        }
        $ffi = Library::ffi();
        $handle = $ffi->new('ihuyi_sandbox*');
        Native::check($ffi, $ffi->ihuyi_sandbox_start($port, \FFI::addr($handle)), 'starting the sandbox');
        return new self($handle);
    }

    /** The port it listens on. */
    public function port(): int
    {
        $ffi = Library::ffi();
        $port = $ffi->new('uint16_t');
        Native::check($ffi, $ffi->ihuyi_sandbox_port($this->live(), \FFI::addr($port)), 'sandbox port');
        return (int) $port->cdata;
    }

    /**
     * The sandbox's account for `$product` (sandbox credentials, not secrets).
     *
     * @return array{account: string, apiKey: string}
     */
    public function account(string $product): array
    {
        $ffi = Library::ffi();
        $account = Native::outString($ffi);
        $key = Native::outString($ffi);
        $status = $ffi->ihuyi_sandbox_account(
            $this->live(),
            Native::cString('product', $product),
            \FFI::addr($account),
            \FFI::addr($key),
        );
        if ($status !== Native::OK) {
            Native::freeString($ffi, $account);
            Native::freeString($ffi, $key);
            Native::fail($ffi, $status, "sandbox account for '$product'");
        }
        return ['account' => Native::takeString($ffi, $account), 'apiKey' => Native::takeString($ffi, $key)];
    }

    /**
     * A client for `$product` with the sandbox's account, pointed at the sandbox. Named
     * arguments are passed on to {@see Client::__construct()} (format, passwordMode...).
     */
    public function client(string $product, mixed ...$options): Client
    {
        $creds = $this->account($product);
        return new Client($product, $creds['account'], $creds['apiKey'], $this->baseUrl, ...$options);
    }

    /** How many requests it has received since it started or was last reset. */
    public function requestCount(): int
    {
        $ffi = Library::ffi();
        $count = $ffi->new('uint64_t');
        Native::check($ffi, $ffi->ihuyi_sandbox_request_count($this->live(), \FFI::addr($count)), 'sandbox request count');
        return (int) $count->cdata;
    }

    /** Forgets the request log and restores the balances. */
    public function reset(): void
    {
        $ffi = Library::ffi();
        Native::check($ffi, $ffi->ihuyi_sandbox_reset($this->live()), 'sandbox reset');
    }

    /** Stops it and releases it (idempotent; also done when the object is destroyed). */
    public function stop(): void
    {
        if ($this->handle !== null) {
            $handle = $this->handle;
            $this->handle = null;
            Library::ffi()->ihuyi_sandbox_stop($handle);
        }
    }

    public function __destruct()
    {
        $this->stop();
    }

    /** A clone would share the native handle and stop it twice. */
    private function __clone()
    {
    }

    private function live(): CData
    {
        if ($this->handle === null) {
            throw new IhuyiException('this Ihuyi\Sandbox is stopped');
        }
        return $this->handle;
    }
}
