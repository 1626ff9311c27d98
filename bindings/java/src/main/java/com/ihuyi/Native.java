package com.ihuyi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The C ABI of libihuyi ({@code include/ihuyi.h}): one {@code static final MethodHandle} per
 * export, called with {@code invokeExact} through a typed wrapper (the same order as the
 * header), and the marshalling the public classes share.
 *
 * <p>C types: {@code ihuyi_status}, {@code int32_t} and {@code uint32_t} are {@code int};
 * {@code uint16_t} is {@code short}; {@code int64_t}, {@code uint64_t} and {@code size_t} are
 * {@code long} (64-bit platforms only, checked below); pointers are {@link MemorySegment}.
 *
 * <p>Callers must have called {@link NativeLibrary#lookup()} first, so that a library that
 * cannot be loaded is reported with its full message rather than as a failed class
 * initialization.
 */
final class Native {
    static final int OK = 0;
    static final int ERR_VALIDATION = 1;
    static final int ERR_API = 2;
    static final int ERR_UNREACHABLE = 3;
    static final int ERR_OUTCOME_UNKNOWN = 4;
    static final int ERR_INVALID_UTF8 = 101;
    static final int ERR_INVALID_ARGUMENT = 102;
    static final int ERR_NOT_FOUND = 105;

    private static final Linker LINKER = Linker.nativeLinker();

    static {
        if (LINKER.canonicalLayouts().get("size_t").byteSize() != 8) {
            throw new IhuyiException("com.ihuyi:ihuyi supports 64-bit platforms only", "");
        }
    }

    private static final MethodHandle VERSION = handle("ihuyi_version", FunctionDescriptor.of(ADDRESS));
    private static final MethodHandle STRING_FREE = handle("ihuyi_string_free", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle STATUS_NAME = handle("ihuyi_status_name", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle CLIENT_BUILDER_NEW = handle("ihuyi_client_builder_new", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle CLIENT_BUILDER_SET_BASE_URL = handle("ihuyi_client_builder_set_base_url", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CLIENT_BUILDER_SET_FORMAT = handle("ihuyi_client_builder_set_format", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CLIENT_BUILDER_SET_PASSWORD_MODE = handle("ihuyi_client_builder_set_password_mode", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CLIENT_BUILDER_SET_TIMEOUTS_MS = handle("ihuyi_client_builder_set_timeouts_ms", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLIENT_BUILDER_SET_MAX_IDLE_CONNECTIONS = handle("ihuyi_client_builder_set_max_idle_connections", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLIENT_BUILDER_BUILD = handle("ihuyi_client_builder_build", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CLIENT_BUILDER_FREE = handle("ihuyi_client_builder_free", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle CLIENT_SEND = handle("ihuyi_client_send", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle CLIENT_BALANCE = handle("ihuyi_client_balance", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CLIENT_FREE = handle("ihuyi_client_free", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle LAST_ERROR_MESSAGE = handle("ihuyi_last_error_message", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
    private static final MethodHandle LAST_RESULT_CODE = handle("ihuyi_last_result_code", FunctionDescriptor.of(JAVA_LONG));
    private static final MethodHandle LAST_API_MESSAGE = handle("ihuyi_last_api_message", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
    private static final MethodHandle LAST_API_CLASS = handle("ihuyi_last_api_class", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
    private static final MethodHandle SELFTEST_PANIC = handle("ihuyi_selftest_panic", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle SUBMIT_PASSWORD = handle("ihuyi_submit_password", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
    private static final MethodHandle GET_NUM_PASSWORD = handle("ihuyi_get_num_password", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
    private static final MethodHandle SUBMIT_OUTCOME = handle("ihuyi_submit_outcome", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
    private static final MethodHandle GET_NUM_OUTCOME = handle("ihuyi_get_num_outcome", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
    private static final MethodHandle RECEIPT_PARSE = handle("ihuyi_receipt_parse", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle RECEIPT_ID = handle("ihuyi_receipt_id", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECEIPT_PRODUCT = handle("ihuyi_receipt_product", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECEIPT_MSG = handle("ihuyi_receipt_msg", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECEIPT_MOBILE = handle("ihuyi_receipt_mobile", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECEIPT_TIME = handle("ihuyi_receipt_time", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECEIPT_FIELD = handle("ihuyi_receipt_field", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle RECEIPT_CODE = handle("ihuyi_receipt_code", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECEIPT_DELIVERED = handle("ihuyi_receipt_delivered", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECEIPT_FREE = handle("ihuyi_receipt_free", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle RECEIPT_DEDUPER_NEW = handle("ihuyi_receipt_deduper_new", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle RECEIPT_DEDUPER_FIRST_SEEN = handle("ihuyi_receipt_deduper_first_seen", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle RECEIPT_DEDUPER_FREE = handle("ihuyi_receipt_deduper_free", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle SANDBOX_START = handle("ihuyi_sandbox_start", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, ADDRESS));
    private static final MethodHandle SANDBOX_BASE_URL = handle("ihuyi_sandbox_base_url", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SANDBOX_PORT = handle("ihuyi_sandbox_port", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SANDBOX_ACCOUNT = handle("ihuyi_sandbox_account", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle SANDBOX_REQUEST_COUNT = handle("ihuyi_sandbox_request_count", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SANDBOX_RESET = handle("ihuyi_sandbox_reset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SANDBOX_STOP = handle("ihuyi_sandbox_stop", FunctionDescriptor.ofVoid(ADDRESS));

    private Native() {}

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = NativeLibrary.lookup().find(name).orElseThrow(
                () -> new IhuyiException("libihuyi at " + NativeLibrary.path() + " has no symbol " + name, ""));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    private static IhuyiException unexpected(String function, Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IhuyiException("calling " + function + " failed", t);
    }

    /**
     * The exception for a failed call's status. Must be built right after the failed call, on the
     * same thread: its details are the library's per-thread record of its last failure (a
     * virtual thread stays on its carrier between these calls: no blocking happens in between).
     */
    static IhuyiException failure(int status, String what) {
        String name = statusName(status).reinterpret(64).getString(0);
        String detail = lastText(0);
        String message = detail.isEmpty() ? what + " failed (" + name + ")" : detail;
        return switch (status) {
            case ERR_API -> new ApiException(message, lastResultCode(), lastText(1), lastText(2));
            case ERR_VALIDATION, ERR_INVALID_UTF8, ERR_INVALID_ARGUMENT -> new ValidationException(message, name);
            case ERR_UNREACHABLE -> new UnreachableException(message, name);
            case ERR_OUTCOME_UNKNOWN -> new OutcomeUnknownException(message, name);
            default -> new IhuyiException(message, name);
        };
    }

    /** Throws unless {@code status} is IHUYI_OK. */
    static void check(int status, String what) {
        if (status != OK) {
            throw failure(status, what);
        }
    }

    /** 0: the last error message; 1: the last API message; 2: the last API class. */
    private static String lastText(int which) {
        long len = switch (which) {
            case 0 -> lastErrorMessage(MemorySegment.NULL, 0);
            case 1 -> lastApiMessage(MemorySegment.NULL, 0);
            default -> lastApiClass(MemorySegment.NULL, 0);
        };
        if (len == 0) {
            return "";
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(len + 1);
            switch (which) {
                case 0 -> lastErrorMessage(buf, len + 1);
                case 1 -> lastApiMessage(buf, len + 1);
                default -> lastApiClass(buf, len + 1);
            }
            return buf.getString(0, StandardCharsets.UTF_8);
        }
    }

    /**
     * A NUL-terminated UTF-8 copy of {@code value} in {@code arena}.
     *
     * @throws NullPointerException when value is null
     * @throws ValidationException when it holds a NUL (C would cut it there) or a lone surrogate
     *     (not Unicode: Java's own encoder would turn it into '?' silently)
     */
    static MemorySegment cString(Arena arena, String name, String value) {
        Objects.requireNonNull(value, name);
        if (value.indexOf('\0') >= 0) {
            throw new ValidationException(name + " contains a NUL character, which C strings cannot carry", "");
        }
        ByteBuffer bytes;
        try {
            bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
        } catch (CharacterCodingException e) {
            throw new ValidationException(name + " is not valid Unicode (a lone surrogate)", "");
        }
        MemorySegment out = arena.allocate(bytes.remaining() + 1L);
        out.asByteBuffer().put(bytes);
        out.set(JAVA_BYTE, out.byteSize() - 1, (byte) 0);
        return out;
    }

    /** Bytes for a {@code const uint8_t *} argument; NULL for an empty array. */
    static MemorySegment bytes(Arena arena, byte[] data) {
        Objects.requireNonNull(data, "body");
        if (data.length == 0) {
            return MemorySegment.NULL;
        }
        MemorySegment out = arena.allocate(data.length);
        MemorySegment.copy(data, 0, out, JAVA_BYTE, 0, data.length);
        return out;
    }

    /** A {@code char *} (or any pointer) out-parameter, set to NULL. */
    static MemorySegment outPointer(Arena arena) {
        MemorySegment out = arena.allocate(ADDRESS);
        out.set(ADDRESS, 0, MemorySegment.NULL);
        return out;
    }

    /**
     * The string a call handed out through the out-parameter {@code cell}, released; "" when it
     * was never written. It always frees, so call it on every path that may hold a string.
     */
    static String takeString(MemorySegment cell) {
        MemorySegment s = cell.get(ADDRESS, 0);
        if (s.equals(MemorySegment.NULL)) {
            return "";
        }
        cell.set(ADDRESS, 0, MemorySegment.NULL);
        try {
            return s.reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
        } finally {
            stringFree(s);
        }
    }

    /** Releases a string out-parameter if it was written (error paths). */
    static void freeString(MemorySegment cell) {
        MemorySegment s = cell.get(ADDRESS, 0);
        if (!s.equals(MemorySegment.NULL)) {
            cell.set(ADDRESS, 0, MemorySegment.NULL);
            stringFree(s);
        }
    }

    static MemorySegment version() {
        try {
            return (MemorySegment) VERSION.invokeExact();
        } catch (Throwable t) {
            throw unexpected("ihuyi_version", t);
        }
    }

    static void stringFree(MemorySegment a0) {
        try {
            STRING_FREE.invokeExact(a0);
        } catch (Throwable t) {
            throw unexpected("ihuyi_string_free", t);
        }
    }

    static MemorySegment statusName(int a0) {
        try {
            return (MemorySegment) STATUS_NAME.invokeExact(a0);
        } catch (Throwable t) {
            throw unexpected("ihuyi_status_name", t);
        }
    }

    static int clientBuilderNew(MemorySegment a0, MemorySegment a1, MemorySegment a2, MemorySegment a3) {
        try {
            return (int) CLIENT_BUILDER_NEW.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw unexpected("ihuyi_client_builder_new", t);
        }
    }

    static int clientBuilderSetBaseUrl(MemorySegment a0, MemorySegment a1) {
        try {
            return (int) CLIENT_BUILDER_SET_BASE_URL.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_client_builder_set_base_url", t);
        }
    }

    static int clientBuilderSetFormat(MemorySegment a0, MemorySegment a1) {
        try {
            return (int) CLIENT_BUILDER_SET_FORMAT.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_client_builder_set_format", t);
        }
    }

    static int clientBuilderSetPasswordMode(MemorySegment a0, MemorySegment a1) {
        try {
            return (int) CLIENT_BUILDER_SET_PASSWORD_MODE.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_client_builder_set_password_mode", t);
        }
    }

    static int clientBuilderSetTimeoutsMs(MemorySegment a0, int a1, int a2, int a3) {
        try {
            return (int) CLIENT_BUILDER_SET_TIMEOUTS_MS.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw unexpected("ihuyi_client_builder_set_timeouts_ms", t);
        }
    }

    static int clientBuilderSetMaxIdleConnections(MemorySegment a0, int a1) {
        try {
            return (int) CLIENT_BUILDER_SET_MAX_IDLE_CONNECTIONS.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_client_builder_set_max_idle_connections", t);
        }
    }

    static int clientBuilderBuild(MemorySegment a0, MemorySegment a1) {
        try {
            return (int) CLIENT_BUILDER_BUILD.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_client_builder_build", t);
        }
    }

    static void clientBuilderFree(MemorySegment a0) {
        try {
            CLIENT_BUILDER_FREE.invokeExact(a0);
        } catch (Throwable t) {
            throw unexpected("ihuyi_client_builder_free", t);
        }
    }

    static int clientSend(MemorySegment a0, MemorySegment a1, MemorySegment a2, MemorySegment a3) {
        try {
            return (int) CLIENT_SEND.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw unexpected("ihuyi_client_send", t);
        }
    }

    static int clientBalance(MemorySegment a0, MemorySegment a1) {
        try {
            return (int) CLIENT_BALANCE.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_client_balance", t);
        }
    }

    static void clientFree(MemorySegment a0) {
        try {
            CLIENT_FREE.invokeExact(a0);
        } catch (Throwable t) {
            throw unexpected("ihuyi_client_free", t);
        }
    }

    static long lastErrorMessage(MemorySegment a0, long a1) {
        try {
            return (long) LAST_ERROR_MESSAGE.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_last_error_message", t);
        }
    }

    static long lastResultCode() {
        try {
            return (long) LAST_RESULT_CODE.invokeExact();
        } catch (Throwable t) {
            throw unexpected("ihuyi_last_result_code", t);
        }
    }

    static long lastApiMessage(MemorySegment a0, long a1) {
        try {
            return (long) LAST_API_MESSAGE.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_last_api_message", t);
        }
    }

    static long lastApiClass(MemorySegment a0, long a1) {
        try {
            return (long) LAST_API_CLASS.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_last_api_class", t);
        }
    }

    static int selftestPanic() {
        try {
            return (int) SELFTEST_PANIC.invokeExact();
        } catch (Throwable t) {
            throw unexpected("ihuyi_selftest_panic", t);
        }
    }

    static int submitPassword(MemorySegment a0, MemorySegment a1, MemorySegment a2, MemorySegment a3, long a4, MemorySegment a5, long a6) {
        try {
            return (int) SUBMIT_PASSWORD.invokeExact(a0, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw unexpected("ihuyi_submit_password", t);
        }
    }

    static int getNumPassword(MemorySegment a0, MemorySegment a1, long a2, MemorySegment a3, long a4) {
        try {
            return (int) GET_NUM_PASSWORD.invokeExact(a0, a1, a2, a3, a4);
        } catch (Throwable t) {
            throw unexpected("ihuyi_get_num_password", t);
        }
    }

    static int submitOutcome(MemorySegment a0, short a1, MemorySegment a2, long a3, MemorySegment a4, MemorySegment a5) {
        try {
            return (int) SUBMIT_OUTCOME.invokeExact(a0, a1, a2, a3, a4, a5);
        } catch (Throwable t) {
            throw unexpected("ihuyi_submit_outcome", t);
        }
    }

    static int getNumOutcome(MemorySegment a0, short a1, MemorySegment a2, long a3, MemorySegment a4, MemorySegment a5) {
        try {
            return (int) GET_NUM_OUTCOME.invokeExact(a0, a1, a2, a3, a4, a5);
        } catch (Throwable t) {
            throw unexpected("ihuyi_get_num_outcome", t);
        }
    }

    static int receiptParse(MemorySegment a0, long a1, MemorySegment a2) {
        try {
            return (int) RECEIPT_PARSE.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw unexpected("ihuyi_receipt_parse", t);
        }
    }

    static int receiptId(MemorySegment a0, MemorySegment a1) {
        try {
            return (int) RECEIPT_ID.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_receipt_id", t);
        }
    }

    static int receiptProduct(MemorySegment a0, MemorySegment a1) {
        try {
            return (int) RECEIPT_PRODUCT.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_receipt_product", t);
        }
    }

    static int receiptMsg(MemorySegment a0, MemorySegment a1) {
        try {
            return (int) RECEIPT_MSG.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_receipt_msg", t);
        }
    }

    static int receiptMobile(MemorySegment a0, MemorySegment a1) {
        try {
            return (int) RECEIPT_MOBILE.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_receipt_mobile", t);
        }
    }

    static int receiptTime(MemorySegment a0, MemorySegment a1) {
        try {
            return (int) RECEIPT_TIME.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_receipt_time", t);
        }
    }

    static int receiptField(MemorySegment a0, MemorySegment a1, MemorySegment a2) {
        try {
            return (int) RECEIPT_FIELD.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw unexpected("ihuyi_receipt_field", t);
        }
    }

    static int receiptCode(MemorySegment a0, MemorySegment a1) {
        try {
            return (int) RECEIPT_CODE.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_receipt_code", t);
        }
    }

    static int receiptDelivered(MemorySegment a0, MemorySegment a1) {
        try {
            return (int) RECEIPT_DELIVERED.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_receipt_delivered", t);
        }
    }

    static void receiptFree(MemorySegment a0) {
        try {
            RECEIPT_FREE.invokeExact(a0);
        } catch (Throwable t) {
            throw unexpected("ihuyi_receipt_free", t);
        }
    }

    static int receiptDeduperNew(MemorySegment a0) {
        try {
            return (int) RECEIPT_DEDUPER_NEW.invokeExact(a0);
        } catch (Throwable t) {
            throw unexpected("ihuyi_receipt_deduper_new", t);
        }
    }

    static int receiptDeduperFirstSeen(MemorySegment a0, MemorySegment a1, MemorySegment a2) {
        try {
            return (int) RECEIPT_DEDUPER_FIRST_SEEN.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw unexpected("ihuyi_receipt_deduper_first_seen", t);
        }
    }

    static void receiptDeduperFree(MemorySegment a0) {
        try {
            RECEIPT_DEDUPER_FREE.invokeExact(a0);
        } catch (Throwable t) {
            throw unexpected("ihuyi_receipt_deduper_free", t);
        }
    }

    static int sandboxStart(short a0, MemorySegment a1) {
        try {
            return (int) SANDBOX_START.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_sandbox_start", t);
        }
    }

    static int sandboxBaseUrl(MemorySegment a0, MemorySegment a1) {
        try {
            return (int) SANDBOX_BASE_URL.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_sandbox_base_url", t);
        }
    }

    static int sandboxPort(MemorySegment a0, MemorySegment a1) {
        try {
            return (int) SANDBOX_PORT.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_sandbox_port", t);
        }
    }

    static int sandboxAccount(MemorySegment a0, MemorySegment a1, MemorySegment a2, MemorySegment a3) {
        try {
            return (int) SANDBOX_ACCOUNT.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw unexpected("ihuyi_sandbox_account", t);
        }
    }

    static int sandboxRequestCount(MemorySegment a0, MemorySegment a1) {
        try {
            return (int) SANDBOX_REQUEST_COUNT.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw unexpected("ihuyi_sandbox_request_count", t);
        }
    }

    static int sandboxReset(MemorySegment a0) {
        try {
            return (int) SANDBOX_RESET.invokeExact(a0);
        } catch (Throwable t) {
            throw unexpected("ihuyi_sandbox_reset", t);
        }
    }

    static void sandboxStop(MemorySegment a0) {
        try {
            SANDBOX_STOP.invokeExact(a0);
        } catch (Throwable t) {
            throw unexpected("ihuyi_sandbox_stop", t);
        }
    }
}
