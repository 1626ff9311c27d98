package com.ihuyi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Native memory stays flat over thousands of calls on the success and error paths: every string
 * the library hands out is released, every handle freed. LeakProbe runs in a child JVM made quiet
 * (C1 only, serial GC) so that the JVM's own mallocs do not drown the library's: there, a leak of
 * one string per round grows every window by about a megabyte, while clean code moves it by a
 * few KB (and now and then by a large one-off release, which is negative).
 */
class LeakTest {
    @Test
    void callsLeakNoNativeMemory() throws Exception {
        Jvm.Result r = Jvm.run(List.of(
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", Jvm.libraryProperty(),
                "-cp", System.getProperty("java.class.path"), LeakProbe.class.getName(), "6000", "4", "3000"));
        assertEquals(0, r.code(), r.output());
        List<Long> windows = r.output().lines()
                .filter(l -> l.startsWith("window "))
                .map(l -> Long.parseLong(l.substring(7)))
                .toList();
        assertEquals(4, windows.size(), r.output());
        long grown = windows.stream().filter(w -> w >= 256 * 1024).count();
        assertTrue(grown <= 1, "malloc'd memory grew by >= 256 KB in " + grown + " of 4 windows of 3 000 rounds: " + windows);
    }
}
