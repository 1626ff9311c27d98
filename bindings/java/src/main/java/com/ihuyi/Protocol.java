package com.ihuyi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The library's pure protocol functions, for checking a deployment, writing a custom transport
 * or testing: dynamic passwords and what an answer means. {@link IhuyiClient} does all of this
 * itself.
 */
public final class Protocol {
    private Protocol() {}

    /**
     * An accepted Submit answer.
     *
     * @param id the message id
     * @param msg the server's message
     */
    public record Submitted(String id, String msg) {}

    /**
     * A successful GetNum answer.
     *
     * @param num the balance
     * @param msg the server's message
     */
    public record Balance(long num, String msg) {}

    /**
     * @param account the APIID
     * @param apiKey the APIKEY
     * @param mobile the recipient
     * @param content the text
     * @param time Unix seconds
     * @return the dynamic password of a Submit: md5(account + apikey + mobile + content + time), hex
     */
    public static String submitPassword(String account, String apiKey, String mobile, String content, long time) {
        NativeLibrary.lookup();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(33);
            Native.check(Native.submitPassword(
                    Native.cString(arena, "account", account),
                    Native.cString(arena, "apiKey", apiKey),
                    Native.cString(arena, "mobile", mobile),
                    Native.cString(arena, "content", content),
                    time(time), buf, 33), "submit password");
            return buf.getString(0, StandardCharsets.US_ASCII);
        }
    }

    /**
     * @param account the APIID
     * @param apiKey the APIKEY
     * @param time Unix seconds
     * @return the dynamic password of a GetNum: md5(account + apikey + time), hex
     */
    public static String getNumPassword(String account, String apiKey, long time) {
        NativeLibrary.lookup();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(33);
            Native.check(Native.getNumPassword(
                    Native.cString(arena, "account", account),
                    Native.cString(arena, "apiKey", apiKey),
                    time(time), buf, 33), "GetNum password");
            return buf.getString(0, StandardCharsets.US_ASCII);
        }
    }

    /**
     * What a Submit answer means, as {@link IhuyiClient#send} decides it.
     *
     * @param product {@code sms}, {@code voice} or {@code isms}
     * @param httpStatus the HTTP status
     * @param body the answer body
     * @return the accepted answer
     * @throws ApiException a refusal
     * @throws OutcomeUnknownException not an API answer (HTTP status, empty, garbage)
     */
    public static Submitted submitOutcome(String product, int httpStatus, byte[] body) {
        NativeLibrary.lookup();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment id = Native.outPointer(arena);
            MemorySegment msg = Native.outPointer(arena);
            int status = Native.submitOutcome(
                    Native.cString(arena, "product", product), httpStatus(httpStatus),
                    Native.bytes(arena, body), body.length, id, msg);
            if (status != Native.OK) {
                IhuyiException e = Native.failure(status, "submit answer");
                Native.freeString(id);
                Native.freeString(msg);
                throw e;
            }
            return new Submitted(Native.takeString(id), Native.takeString(msg));
        }
    }

    /**
     * What a GetNum answer means, as {@link IhuyiClient#balance} decides it.
     *
     * @param product {@code sms}, {@code voice} or {@code isms}
     * @param httpStatus the HTTP status
     * @param body the answer body
     * @return the balance
     * @throws ApiException a refusal
     * @throws OutcomeUnknownException not an API answer
     */
    public static Balance getNumOutcome(String product, int httpStatus, byte[] body) {
        NativeLibrary.lookup();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment num = arena.allocate(JAVA_LONG);
            MemorySegment msg = Native.outPointer(arena);
            int status = Native.getNumOutcome(
                    Native.cString(arena, "product", product), httpStatus(httpStatus),
                    Native.bytes(arena, body), body.length, num, msg);
            if (status != Native.OK) {
                IhuyiException e = Native.failure(status, "GetNum answer");
                Native.freeString(msg);
                throw e;
            }
            return new Balance(num.get(JAVA_LONG, 0), Native.takeString(msg));
        }
    }

    private static long time(long time) {
        if (time < 0) {
            throw new ValidationException("time must be a Unix time in seconds, not " + time, "");
        }
        return time;
    }

    private static short httpStatus(int status) {
        if (status < 0 || status > 65535) {
            throw new ValidationException("HTTP status out of range: " + status, "");
        }
        return (short) status;
    }
}
