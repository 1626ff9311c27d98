package com.ihuyi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * What a message is before it is sent: characters as the vendor counts them (every letter,
 * symbol or Chinese character is one), billed segments, and warnings naming the code the platform
 * would answer (over 300 characters 4073, emoji 4074, a missing or malformed 【signature】
 * 4070-4072). Made by {@link #of}; computed by the native core.
 *
 * @param product {@code sms}, {@code voice} or {@code isms}
 * @param message the text that would be sent (the signature appended when it was given apart)
 * @param characters characters as the vendor counts them, signature included
 * @param utf16Units UTF-16 code units (what a carrier encoding UCS-2 counts)
 * @param segments billed segments (a voice code is one call)
 * @param rule {@code 70/67} or {@code 70/66}; empty for a voice code
 * @param signatureAdded whether the given signature was appended
 * @param acceptable true when no warning names a result code
 * @param warnings what the platform would refuse or might count differently
 */
public record Estimate(
        String product,
        String message,
        long characters,
        long utf16Units,
        long segments,
        Optional<String> rule,
        boolean signatureAdded,
        boolean acceptable,
        List<Warning> warnings) {

    /**
     * One warning.
     *
     * @param kind {@code too_long}, {@code emoji}, {@code signature_missing},
     *     {@code signature_malformed}, {@code signature_length}, {@code voice_digits},
     *     {@code empty}, {@code astral} or {@code control}
     * @param code the result code the platform would answer, or empty for a note
     * @param message what was found, in English
     */
    public record Warning(String kind, Optional<Long> code, String message) {}

    /**
     * Estimates {@code content} with the default rule (70/67) and no signature given apart.
     *
     * @param product the product
     * @param content the message text
     * @return the estimate
     */
    public static Estimate of(Product product, String content) {
        return of(Objects.requireNonNull(product, "product").wireName(), content, null, null);
    }

    /**
     * Estimates {@code content}.
     *
     * @param product {@code sms}, {@code voice} or {@code isms} (any case)
     * @param content the message text
     * @param signature a signature, with or without its 【】, appended unless the content already
     *     starts or ends with it; null for none
     * @param rule {@code "70/67"} (null: the default) or {@code "70/66"}
     * @return the estimate (problems in the content are warnings, never exceptions)
     * @throws ValidationException an unknown product or rule
     */
    public static Estimate of(String product, String content, String signature, String rule) {
        NativeLibrary.lookup();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cell = Native.outPointer(arena);
            Native.check(Native.estimateNew(
                    Native.cString(arena, "product", Objects.requireNonNull(product, "product")),
                    Native.cString(arena, "content", content),
                    signature == null ? MemorySegment.NULL : Native.cString(arena, "signature", signature),
                    rule == null ? MemorySegment.NULL : Native.cString(arena, "rule", rule),
                    cell), "estimating");
            MemorySegment e = cell.get(ADDRESS, 0);
            try {
                return read(arena, e, product.toLowerCase(java.util.Locale.ROOT));
            } finally {
                Native.estimateFree(e);
            }
        }
    }

    private static Estimate read(Arena arena, MemorySegment e, String product) {
        MemorySegment n = arena.allocate(JAVA_LONG);
        MemorySegment flag = arena.allocate(JAVA_BOOLEAN);
        MemorySegment text = Native.outPointer(arena);
        Native.check(Native.estimateCharacters(e, n), "estimate characters");
        long characters = n.get(JAVA_LONG, 0);
        Native.check(Native.estimateUtf16Units(e, n), "estimate UTF-16 units");
        long utf16 = n.get(JAVA_LONG, 0);
        Native.check(Native.estimateSegments(e, n), "estimate segments");
        long segments = n.get(JAVA_LONG, 0);
        Native.check(Native.estimateSignatureAdded(e, flag), "estimate signature");
        boolean added = flag.get(JAVA_BOOLEAN, 0);
        Native.check(Native.estimateAcceptable(e, flag), "estimate acceptable");
        boolean acceptable = flag.get(JAVA_BOOLEAN, 0);
        Native.check(Native.estimateMessage(e, text), "estimate message");
        String message = Native.takeString(text);
        int status = Native.estimateRule(e, text, MemorySegment.NULL, MemorySegment.NULL);
        Optional<String> rule;
        if (status == Native.OK) {
            rule = Optional.of(Native.takeString(text));
        } else if (status == Native.ERR_NOT_FOUND) {
            rule = Optional.empty();
        } else {
            throw Native.failure(status, "estimate rule");
        }
        Native.check(Native.estimateWarningCount(e, n), "estimate warnings");
        long count = n.get(JAVA_LONG, 0);
        List<Warning> warnings = new ArrayList<>();
        MemorySegment kind = Native.outPointer(arena);
        MemorySegment code = arena.allocate(JAVA_LONG);
        for (long i = 0; i < count; i++) {
            status = Native.estimateWarning(e, i, kind, code, text);
            if (status != Native.OK) {
                IhuyiException failure = Native.failure(status, "estimate warning");
                Native.freeString(kind);
                Native.freeString(text);
                throw failure;
            }
            String k = Native.takeString(kind);
            String m = Native.takeString(text);
            long c = code.get(JAVA_LONG, 0);
            warnings.add(new Warning(k, c < 0 ? Optional.empty() : Optional.of(c), m));
        }
        return new Estimate(product, message, characters, utf16, segments, rule, added, acceptable, List.copyOf(warnings));
    }
}
