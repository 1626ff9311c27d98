package com.ihuyi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Run in a quiet child JVM by LeakTest: calls the library on its success and error paths in
 * windows of rounds and prints, per window, how many bytes malloc holds more than before
 * (glibc's mallinfo2(): the library allocates through malloc).
 */
final class LeakProbe {
    private LeakProbe() {}

    private static final MethodHandle MALLINFO2;

    static {
        Linker linker = Linker.nativeLinker();
        MemoryLayout[] fields = new MemoryLayout[10];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = JAVA_LONG;
        }
        MALLINFO2 = linker.downcallHandle(
                linker.defaultLookup().find("mallinfo2").orElseThrow(),
                FunctionDescriptor.of(MemoryLayout.structLayout(fields)));
    }

    /** Bytes in use: uordblks (arena chunks) + hblkhd (mmapped chunks). */
    private static long allocated() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO2.invokeExact((SegmentAllocator) arena);
            return info.getAtIndex(JAVA_LONG, 7) + info.getAtIndex(JAVA_LONG, 4);
        }
    }

    private static void expect(Class<? extends IhuyiException> kind, Runnable call) {
        try {
            call.run();
        } catch (IhuyiException e) {
            if (kind.isInstance(e)) {
                return;
            }
            throw e;
        }
        throw new AssertionError("expected " + kind.getSimpleName());
    }

    public static void main(String[] args) throws Throwable {
        int warmup = Integer.parseInt(args[0]);
        int windows = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        byte[] ok = "<SubmitResult><code>2</code><msg>ok</msg><smsid>1</smsid></SubmitResult>".getBytes(StandardCharsets.UTF_8);
        byte[] refused = "<SubmitResult><code>4051</code><msg>剩余条数不足</msg><smsid>0</smsid></SubmitResult>".getBytes(StandardCharsets.UTF_8);
        byte[] garbage = "oops".getBytes(StandardCharsets.UTF_8);
        try (Sandbox sandbox = Sandbox.start(); IhuyiClient client = sandbox.client(Product.SMS);
                ReceiptDeduper deduper = new ReceiptDeduper()) {
            Receipt seen = Receipt.parse("smsid=1&code=2");
            deduper.firstSeen(seen);
            Runnable round = () -> {
                expect(ValidationException.class, () -> client.send("1", "x"));
                Protocol.submitOutcome("sms", 200, ok);
                expect(ApiException.class, () -> Protocol.submitOutcome("sms", 200, refused));
                expect(OutcomeUnknownException.class, () -> Protocol.submitOutcome("sms", 500, garbage));
                expect(ValidationException.class, () -> Receipt.parse("code=2"));
                Receipt.parse("smsid=1&code=2&channel=9").field("channel");
                deduper.firstSeen(seen);
                Protocol.submitPassword("a", "k", "13800138000", "x", 1);
            };
            for (int i = 0; i < warmup; i++) {
                round.run();
            }
            for (int w = 0; w < windows; w++) {
                long before = allocated();
                for (int i = 0; i < rounds; i++) {
                    round.run();
                }
                System.out.println("window " + (allocated() - before));
            }
        }
    }
}
