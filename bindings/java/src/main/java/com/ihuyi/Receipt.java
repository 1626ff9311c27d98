package com.ihuyi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A delivery receipt pushed by the platform to your URL. Answer the push with the body
 * {@code success}, and de-duplicate by {@link #id()}: the platform repeats pushes. Immutable and
 * holds no native memory.
 *
 * @param id the message id the receipt is about
 * @param product {@code sms}, {@code voice}, {@code isms}, or "" when the push used a generic name
 * @param code the delivery code (2: delivered); empty when not a number
 * @param delivered whether the platform reports the message delivered
 * @param mobile the recipient, "" when missing
 * @param time when it was reported, as sent, "" when missing
 * @param msg the platform's description, "" when missing
 * @param body the push body, kept for {@link #field(String)}
 */
public record Receipt(
        String id, String product, OptionalLong code, boolean delivered, String mobile, String time, String msg,
        byte[] body) {

    /** Copies the body: a record would otherwise share the caller's array. */
    public Receipt {
        body = body.clone();
    }

    /**
     * Parses a push body (form-encoded, or a JSON object).
     *
     * @param body the body, UTF-8
     * @return the receipt
     * @throws ValidationException when it is not a receipt (empty, no id, too big, a NUL byte)
     */
    public static Receipt parse(String body) {
        return parse(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses a push body (form-encoded, or a JSON object).
     *
     * @param body the raw bytes
     * @return the receipt
     * @throws ValidationException when it is not a receipt (empty, no id, too big, a NUL byte)
     */
    public static Receipt parse(byte[] body) {
        NativeLibrary.lookup();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment h = open(arena, body);
            try {
                MemorySegment code = arena.allocate(JAVA_LONG);
                int status = Native.receiptCode(h, code);
                if (status != Native.OK && status != Native.ERR_NOT_FOUND) {
                    throw Native.failure(status, "receipt code");
                }
                MemorySegment delivered = arena.allocate(JAVA_BOOLEAN);
                Native.check(Native.receiptDelivered(h, delivered), "receipt delivered");
                return new Receipt(
                        text(arena, h, 0),
                        text(arena, h, 1),
                        status == Native.OK ? OptionalLong.of(code.get(JAVA_LONG, 0)) : OptionalLong.empty(),
                        delivered.get(JAVA_BOOLEAN, 0),
                        text(arena, h, 2),
                        text(arena, h, 3),
                        text(arena, h, 4),
                        body);
            } finally {
                Native.receiptFree(h);
            }
        }
    }

    /**
     * @param name a field of the push ({@code channel}, {@code code}...)
     * @return its value as sent, or empty when the push has no such field
     */
    public Optional<String> field(String name) {
        try (Arena arena = Arena.ofConfined()) {
            // The receipt keeps no native handle (nothing to close or leak): parse again.
            MemorySegment h = open(arena, body);
            try {
                MemorySegment out = Native.outPointer(arena);
                int status = Native.receiptField(h, Native.cString(arena, "name", name), out);
                if (status == Native.ERR_NOT_FOUND) {
                    return Optional.empty();
                }
                if (status != Native.OK) {
                    IhuyiException e = Native.failure(status, "receipt field");
                    Native.freeString(out);
                    throw e;
                }
                return Optional.of(Native.takeString(out));
            } finally {
                Native.receiptFree(h);
            }
        }
    }

    /** @return the body (a copy) */
    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public String toString() {
        return "Receipt[id=" + id + ", product=" + product + ", code=" + code + ", delivered=" + delivered
                + ", mobile=" + mobile + ", time=" + time + ", msg=" + msg + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Receipt r && java.util.Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(body);
    }

    /** A native receipt for {@code body}, valid until the caller frees it. */
    static MemorySegment open(Arena arena, byte[] body) {
        MemorySegment cell = Native.outPointer(arena);
        Native.check(Native.receiptParse(Native.bytes(arena, body), body.length, cell), "parsing the receipt");
        return cell.get(ADDRESS, 0);
    }

    private static String text(Arena arena, MemorySegment h, int which) {
        MemorySegment out = Native.outPointer(arena);
        int status = switch (which) {
            case 0 -> Native.receiptId(h, out);
            case 1 -> Native.receiptProduct(h, out);
            case 2 -> Native.receiptMobile(h, out);
            case 3 -> Native.receiptTime(h, out);
            default -> Native.receiptMsg(h, out);
        };
        if (status != Native.OK) {
            IhuyiException e = Native.failure(status, "receipt");
            Native.freeString(out);
            throw e;
        }
        return Native.takeString(out);
    }
}
