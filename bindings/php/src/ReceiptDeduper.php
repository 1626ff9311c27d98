<?php

declare(strict_types=1);

namespace Ihuyi;

use FFI\CData;
use Ihuyi\Exception\IhuyiException;
use Ihuyi\Internal\Native;

/**
 * Remembers the receipts seen (by product and id), in memory: the platform repeats pushes. It
 * lives as long as this PHP process, so it helps long-running servers (a worker loop, Swoole,
 * RoadRunner); under php-fpm each request starts empty, and de-duplication belongs in your
 * database (a unique key on the id).
 */
final class ReceiptDeduper
{
    private ?CData $handle;

    public function __construct()
    {
        $ffi = Library::ffi();
        $handle = $ffi->new('ihuyi_receipt_deduper*');
        Native::check($ffi, $ffi->ihuyi_receipt_deduper_new(\FFI::addr($handle)), 'creating the de-duplicator');
        $this->handle = $handle;
    }

    /** Records `$receipt`; true the first time its product and id are seen, false for repeats. */
    public function firstSeen(Receipt $receipt): bool
    {
        if ($this->handle === null) {
            throw new IhuyiException('this Ihuyi\ReceiptDeduper is closed');
        }
        $ffi = Library::ffi();
        $first = $ffi->new('bool');
        Native::check($ffi, $ffi->ihuyi_receipt_deduper_first_seen($this->handle, $receipt->nativeHandle(), \FFI::addr($first)), 'de-duplicating the receipt');
        return (bool) $first->cdata;
    }

    /** Releases it (idempotent; also done when the object is destroyed). */
    public function close(): void
    {
        if ($this->handle !== null) {
            $handle = $this->handle;
            $this->handle = null;
            Library::ffi()->ihuyi_receipt_deduper_free($handle);
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
}
