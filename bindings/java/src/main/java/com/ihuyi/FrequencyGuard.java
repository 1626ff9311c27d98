package com.ihuyi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * A local frequency guard: refuses, before anything is sent, a send the platform would refuse
 * for frequency (4080: more than 1 per second to a number, 4082: more than 5 per day, 4085: more
 * than 5 verification codes per day), with a {@link ValidationException}. Give it to clients with
 * {@link IhuyiClient.Builder#frequencyGuard}; clients given one guard share its counts, kept in
 * this process's memory. Thread-safe. Clients keep what they were given: closing the guard does
 * not affect them.
 */
public final class FrequencyGuard implements AutoCloseable {
    private final AtomicReference<MemorySegment> handle;

    /**
     * A guard with the platform's limits: 1 per second, 5 per day, 5 codes per day per number.
     *
     * @return a new guard; close it when done
     */
    public static FrequencyGuard platform() {
        return new FrequencyGuard(1, 5, 5);
    }

    /**
     * A guard with these limits per number; a negative limit turns that one off.
     *
     * @param perSecond sends in one second (platform: 1, code 4080)
     * @param perDay sends per day, China Standard Time (platform: 5, code 4082)
     * @param codesPerDay verification codes per day (platform: 5, code 4085)
     * @throws ValidationException a limit above 4294967295
     */
    public FrequencyGuard(long perSecond, long perDay, long codesPerDay) {
        NativeLibrary.lookup();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cell = Native.outPointer(arena);
            Native.check(Native.frequencyGuardNew(perSecond, perDay, codesPerDay, cell), "creating the frequency guard");
            handle = new AtomicReference<>(cell.get(ADDRESS, 0));
        }
    }

    /** The native handle, for a builder. */
    MemorySegment live() {
        MemorySegment h = handle.get();
        if (h == null) {
            throw new IhuyiException("this FrequencyGuard is closed", "");
        }
        return h;
    }

    /** Releases this handle (clients given the guard keep it); idempotent. */
    @Override
    public void close() {
        MemorySegment h = handle.getAndSet(null);
        if (h != null) {
            Native.frequencyGuardFree(h);
        }
    }
}
