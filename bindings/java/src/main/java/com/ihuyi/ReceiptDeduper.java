package com.ihuyi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;

/**
 * Remembers the receipts seen, by product and id, in this process's memory: the platform repeats
 * pushes. Thread-safe: when the same receipt arrives on several threads at once, exactly one of
 * them sees {@code true}. Several instances of a service need a shared store (a unique key on the
 * id in their database) instead.
 */
public final class ReceiptDeduper implements AutoCloseable {
    private final AtomicReference<MemorySegment> handle;

    /** Creates an empty de-duplicator; close it when done. */
    public ReceiptDeduper() {
        NativeLibrary.lookup();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cell = Native.outPointer(arena);
            Native.check(Native.receiptDeduperNew(cell), "creating the de-duplicator");
            handle = new AtomicReference<>(cell.get(ADDRESS, 0));
        }
    }

    /**
     * Records {@code receipt}.
     *
     * @param receipt a parsed receipt
     * @return true the first time its product and id are seen, false for every repeat
     * @throws IhuyiException when closed
     */
    public boolean firstSeen(Receipt receipt) {
        Objects.requireNonNull(receipt, "receipt");
        MemorySegment h = handle.get();
        if (h == null) {
            throw new IhuyiException("this ReceiptDeduper is closed", "");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = Receipt.open(arena, receipt.body());
            try {
                MemorySegment first = arena.allocate(JAVA_BOOLEAN);
                Native.check(Native.receiptDeduperFirstSeen(h, r, first), "de-duplicating the receipt");
                return first.get(JAVA_BOOLEAN, 0);
            } finally {
                Native.receiptFree(r);
            }
        }
    }

    /** Releases it; idempotent. */
    @Override
    public void close() {
        MemorySegment h = handle.getAndSet(null);
        if (h != null) {
            Native.receiptDeduperFree(h);
        }
    }
}
