<?php

declare(strict_types=1);

namespace Ihuyi;

use FFI\CData;
use Ihuyi\Exception\IhuyiException;
use Ihuyi\Internal\Native;

/**
 * An idempotency ledger (a SQLite file): sends a message at most once per key the application
 * chooses, across retries, timeouts and crashes. Several processes may open one file.
 *
 * A repeat of sendOnce() with a key makes no request and returns what is stored: the same
 * SendResult when accepted, the same ApiException when refused. A key whose outcome is unknown
 * throws OutcomeUnknownException naming the key and is never resent until resolveSent() /
 * resolveNotSent(), or an explicit `resendUnknown: true`. A key reused for another message throws
 * ConflictException.
 */
final class Ledger
{
    private ?CData $handle;

    /**
     * Opens (creating if needed) the ledger at `$path`.
     *
     * @throws IhuyiException the file cannot be opened or is not a ledger
     */
    public function __construct(public readonly string $path)
    {
        $ffi = Library::ffi();
        $handle = $ffi->new('ihuyi_ledger*');
        Native::check($ffi, $ffi->ihuyi_ledger_open(Native::cString('path', $path), \FFI::addr($handle)), 'opening the ledger');
        $this->handle = $handle;
    }

    /**
     * Sends `$content` to `$mobile` through `$client` at most once for `$key`.
     *
     * @param bool $resendUnknown send again even when the key's outcome is unknown (this may text
     *                            the recipient twice)
     *
     * @throws Exception\ValidationException     bad input: nothing sent
     * @throws Exception\ApiException            refused, now or when the key was first sent
     * @throws Exception\UnreachableException    nothing can have been sent
     * @throws Exception\OutcomeUnknownException maybe sent, now or in an unresolved earlier attempt
     * @throws Exception\ConflictException       the key stands for another message
     * @throws IhuyiException                    the database failed, or a handle is closed
     */
    public function sendOnce(Client $client, string $key, string $mobile, string $content, bool $resendUnknown = false): SendResult
    {
        $ffi = Library::ffi();
        $out = Native::outString($ffi);
        $status = $ffi->ihuyi_ledger_send_once(
            $this->live(),
            $client->nativeHandle(),
            Native::cString('key', $key),
            Native::cString('mobile', $mobile),
            Native::cString('content', $content),
            $resendUnknown,
            \FFI::addr($out),
            null,
        );
        if ($status !== Native::OK) {
            Native::freeString($ffi, $out);
            Native::fail($ffi, $status, 'send once');
        }
        return new SendResult(Native::takeString($ffi, $out), $client->product, $mobile);
    }

    /**
     * Settles a key whose outcome is unknown as sent: later sendOnce() calls return `$id` (or '').
     *
     * @throws Exception\ConflictException the key is not unknown or in flight
     */
    public function resolveSent(string $key, ?string $id = null): void
    {
        $ffi = Library::ffi();
        Native::check($ffi, $ffi->ihuyi_ledger_resolve_sent(
            $this->live(),
            Native::cString('key', $key),
            $id === null ? null : Native::cString('id', $id),
        ), 'resolving the key');
    }

    /**
     * Settles a key as not sent: the next sendOnce() sends.
     *
     * @throws Exception\ConflictException the key is accepted or was never recorded
     */
    public function resolveNotSent(string $key): void
    {
        $ffi = Library::ffi();
        Native::check($ffi, $ffi->ihuyi_ledger_resolve_not_sent($this->live(), Native::cString('key', $key)), 'resolving the key');
    }

    /** `in_flight`, `accepted`, `refused`, `unknown`, `not_sent`, or null for a key never recorded. */
    public function state(string $key): ?string
    {
        $ffi = Library::ffi();
        $out = Native::outString($ffi);
        $status = $ffi->ihuyi_ledger_state($this->live(), Native::cString('key', $key), \FFI::addr($out));
        if ($status === Native::ERR_NOT_FOUND) {
            return null;
        }
        Native::check($ffi, $status, 'reading the key');
        return Native::takeString($ffi, $out);
    }

    /** Closes the ledger (idempotent; also done when the object is destroyed). */
    public function close(): void
    {
        if ($this->handle !== null) {
            $handle = $this->handle;
            $this->handle = null;
            Library::ffi()->ihuyi_ledger_free($handle);
        }
    }

    public function __destruct()
    {
        $this->close();
    }

    /** A clone would share the native handle and free it twice. */
    private function __clone()
    {
    }

    private function live(): CData
    {
        if ($this->handle === null) {
            throw new IhuyiException('this Ihuyi\Ledger is closed');
        }
        return $this->handle;
    }
}
