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
     * @return the path (or name) libihuyi was loaded from
     * @throws IhuyiException when the library cannot be loaded (the message lists what was tried)
     */
    public static String libraryPath() {
        return NativeLibrary.path();
    }
}
