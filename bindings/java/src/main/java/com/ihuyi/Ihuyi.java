package com.ihuyi;

/** The library as a whole: versions and where it was loaded from. */
public final class Ihuyi {
    /** The version of libihuyi this binding was written for: a load refuses any other. */
    public static final String VERSION = "0.1.0";

    private Ihuyi() {}

    /**
     * @return the version the loaded native library reports
     * @throws IhuyiException when the library cannot be loaded
     */
    public static String libraryVersion() {
        NativeLibrary.lookup();
        return Native.version().reinterpret(64).getString(0);
    }

    /**
     * Turns a number as people type it into the form the API of {@code product} accepts:
     * {@code +86 138-0013-8000} becomes {@code 13800138000} for sms and voice;
     * {@code 00852-61234567} becomes {@code 852 61234567} for isms, checked against that
     * country's numbering plan. Clients do this on every send unless built with
     * {@link IhuyiClient.Builder#strictMobile}.
     *
     * @param product the product
     * @param mobile the number as typed
     * @return the number in the API's form
     * @throws ValidationException it cannot be a number for that product (the message says why)
     */
    public static String normalizeMobile(Product product, String mobile) {
        return normalizeMobile(java.util.Objects.requireNonNull(product, "product").wireName(), mobile);
    }

    /**
     * {@link #normalizeMobile(Product, String)} with the product named as the API does.
     *
     * @param product {@code sms}, {@code voice} or {@code isms} (any case)
     * @param mobile the number as typed
     * @return the number in the API's form
     * @throws ValidationException an unknown product, or a number that cannot be one for it
     */
    public static String normalizeMobile(String product, String mobile) {
        NativeLibrary.lookup();
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment out = Native.outPointer(arena);
            Native.check(Native.normalizeMobile(
                    Native.cString(arena, "product", java.util.Objects.requireNonNull(product, "product")),
                    Native.cString(arena, "mobile", mobile),
                    out), "normalizing the number");
            return Native.takeString(out);
        }
    }

    /**
     * @return the path (or name) libihuyi was loaded from
     * @throws IhuyiException when the library cannot be loaded (the message lists what was tried)
     */
    public static String libraryPath() {
        return NativeLibrary.path();
    }
}
