<?php

declare(strict_types=1);

namespace Ihuyi;

use FFI\CData;
use Ihuyi\Exception\IhuyiException;
use Ihuyi\Internal\Native;

/**
 * A local frequency guard: refuses, before anything is sent, a send the platform would refuse
 * for frequency (4080: more than 1 per second to a number, 4082: more than 5 per day, 4085: more
 * than 5 verification codes per day), with a ValidationException. Give it to clients
 * (`new Client(..., frequencyGuard: $guard)`); clients given one guard share its counts, kept in
 * this process's memory. Clients keep what they were given: closing the guard does not affect
 * them.
 */
final class FrequencyGuard
{
    private ?CData $handle;

    /**
     * Limits per number; null turns one off. The defaults are the platform's.
     *
     * @throws Exception\ValidationException a negative limit or one above 4294967295
     */
    public function __construct(?int $perSecond = 1, ?int $perDay = 5, ?int $codesPerDay = 5)
    {
        foreach (['perSecond' => $perSecond, 'perDay' => $perDay, 'codesPerDay' => $codesPerDay] as $name => $v) {
            if ($v !== null && ($v < 0 || $v > 0xFFFFFFFF)) {
                throw new Exception\ValidationException("$name must be null or between 0 and 4294967295, not $v");
            }
        }
        $ffi = Library::ffi();
        $handle = $ffi->new('ihuyi_frequency_guard*');
        Native::check($ffi, $ffi->ihuyi_frequency_guard_new(
            $perSecond ?? -1,
            $perDay ?? -1,
            $codesPerDay ?? -1,
            \FFI::addr($handle),
        ), 'creating the frequency guard');
        $this->handle = $handle;
    }

    /** @internal the native handle, for Client */
    public function handle(): CData
    {
        if ($this->handle === null) {
            throw new IhuyiException('this Ihuyi\FrequencyGuard is closed');
        }
        return $this->handle;
    }

    /** Releases the native guard (idempotent; clients given it keep it). */
    public function close(): void
    {
        if ($this->handle !== null) {
            $handle = $this->handle;
            $this->handle = null;
            Library::ffi()->ihuyi_frequency_guard_free($handle);
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
