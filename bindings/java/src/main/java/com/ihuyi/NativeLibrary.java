package com.ihuyi;

import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds libihuyi and loads it once per class loader, checking its version.
 *
 * <p>Where it looks, in order: the system property {@code ihuyi.library.path} (then nothing
 * else), the environment variable {@code IHUYI_LIB} (then nothing else), the repository's build
 * output ({@code target/debug} then {@code target/release}, from the working directory and up to
 * three levels above it), each folder of {@code java.library.path}, and last the system's
 * library search path ({@code dlopen("libihuyi.so")}). A failure lists every place tried.
 *
 * <p>A failure is kept, not thrown from the static initializer: {@link #lookup()} throws it,
 * with its full message, every time, instead of a bare {@link NoClassDefFoundError}.
 */
final class NativeLibrary {
    /** The system property naming the library file. */
    static final String PROPERTY = "ihuyi.library.path";

    private static final SymbolLookup LOOKUP;
    private static final String PATH;
    private static final String FAILURE;

    static {
        SymbolLookup lookup = null;
        String path = null;
        String failure = null;
        try {
            List<String> tried = new ArrayList<>();
            for (String candidate : candidates()) {
                boolean byName = !candidate.contains("/");
                if (!byName && !Files.isRegularFile(Path.of(candidate))) {
                    tried.add(candidate + " (no such file)");
                    continue;
                }
                try {
                    lookup = byName
                            ? SymbolLookup.libraryLookup(candidate, Arena.global())
                            : SymbolLookup.libraryLookup(Path.of(candidate), Arena.global());
                    path = candidate;
                    break;
                } catch (IllegalArgumentException e) {
                    tried.add(candidate + " (" + e.getMessage() + ")");
                }
            }
            if (lookup == null) {
                failure = "libihuyi could not be loaded. Tried:\n  - " + String.join("\n  - ", tried)
                        + "\nBuild it with `cargo build -p ihuyi-c`, or set -D" + PROPERTY
                        + "=/path/to/libihuyi.so (or IHUYI_LIB).";
            } else {
                String found = version(lookup);
                if (!Ihuyi.VERSION.equals(found)) {
                    failure = mismatch(found, Ihuyi.VERSION, path);
                    lookup = null;
                }
            }
        } catch (RuntimeException | Error e) {
            failure = "libihuyi could not be loaded: " + e;
            lookup = null;
        }
        LOOKUP = lookup;
        PATH = path;
        FAILURE = failure;
    }

    private NativeLibrary() {}

    /**
     * @return the loaded library's symbols
     * @throws IhuyiException when it could not be loaded (the message lists what was tried)
     */
    static SymbolLookup lookup() {
        if (LOOKUP == null) {
            throw new IhuyiException(FAILURE, "");
        }
        return LOOKUP;
    }

    /** @return where the library was loaded from */
    static String path() {
        lookup();
        return PATH;
    }

    /** The places tried, in order, given the current property and environment. */
    static List<String> candidates() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isEmpty()) {
            return List.of(property);
        }
        String env = System.getenv("IHUYI_LIB");
        if (env != null && !env.isEmpty()) {
            return List.of(env);
        }
        List<String> out = new ArrayList<>();
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up <= 3 && dir != null; up++, dir = dir.getParent()) {
            out.add(dir.resolve("target/debug/libihuyi.so").toString());
            out.add(dir.resolve("target/release/libihuyi.so").toString());
        }
        String javaLibraryPath = System.getProperty("java.library.path", "");
        for (String folder : javaLibraryPath.split(File.pathSeparator)) {
            if (!folder.isEmpty()) {
                out.add(Path.of(folder).toAbsolutePath().resolve("libihuyi.so").toString());
            }
        }
        out.add("libihuyi.so");
        return out;
    }

    /** The refusal of a library whose version is not the one this binding was written for. */
    static String mismatch(String found, String expected, String where) {
        return "libihuyi at " + where + " is version " + found + ", but com.ihuyi:ihuyi needs version "
                + expected + ": use the library built from the same release";
    }

    private static String version(SymbolLookup lookup) {
        MethodHandle h = Linker.nativeLinker().downcallHandle(
                lookup.find("ihuyi_version").orElseThrow(
                        () -> new IllegalArgumentException("no symbol ihuyi_version: not libihuyi")),
                FunctionDescriptor.of(ValueLayout.ADDRESS));
        try {
            MemorySegment s = (MemorySegment) h.invokeExact();
            return s.reinterpret(64).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException("ihuyi_version failed", t);
        }
    }
}
