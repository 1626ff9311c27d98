package com.ihuyi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A local ihuyi server (the library's sandbox) on 127.0.0.1: the three products, the default
 * accounts (sms {@code C80000001}, voice {@code V80000001}, isms {@code I80000001}), signatures
 * checked. It runs on the library's own threads in this process. Thread-safe.
 */
public final class Sandbox implements AutoCloseable {
    private final AtomicReference<MemorySegment> handle;
    private final String baseUrl;

    /**
     * A sandbox account (sandbox credentials, not secrets).
     *
     * @param account the APIID
     * @param apiKey the APIKEY
     */
    public record Account(String account, String apiKey) {
        @Override
        public String toString() {
            return "Account[" + account + "]";
        }
    }

    private Sandbox(MemorySegment handle, String baseUrl) {
        this.handle = new AtomicReference<>(handle);
        this.baseUrl = baseUrl;
    }

    /**
     * Starts a sandbox on a free port.
     *
     * @return the running sandbox; close it to stop it
     */
    public static Sandbox start() {
        return start(0);
    }

    /**
     * Starts a sandbox on {@code port} (0: a free one) and returns once it listens.
     *
     * @param port the port
     * @return the running sandbox; close it to stop it
     * @throws IhuyiException when the port cannot be bound ({@code IHUYI_ERR_IO})
     */
    public static Sandbox start(int port) {
        if (port < 0 || port > 65535) {
            throw new ValidationException("port must be between 0 and 65535, not " + port, "");
        }
        NativeLibrary.lookup();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cell = Native.outPointer(arena);
            Native.check(Native.sandboxStart((short) port, cell), "starting the sandbox");
            MemorySegment h = cell.get(ADDRESS, 0);
            MemorySegment url = Native.outPointer(arena);
            int status = Native.sandboxBaseUrl(h, url);
            if (status != Native.OK) {
                IhuyiException e = Native.failure(status, "sandbox base URL");
                Native.sandboxStop(h);
                throw e;
            }
            return new Sandbox(h, Native.takeString(url));
        }
    }

    /** @return the origin for a client: {@code http://127.0.0.1:PORT} */
    public String baseUrl() {
        return baseUrl;
    }

    /** @return the port it listens on */
    public int port() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment port = arena.allocate(JAVA_SHORT);
            Native.check(Native.sandboxPort(live(), port), "sandbox port");
            return Short.toUnsignedInt(port.get(JAVA_SHORT, 0));
        }
    }

    /**
     * @param product the product
     * @return the sandbox's account for it
     */
    public Account account(Product product) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment account = Native.outPointer(arena);
            MemorySegment key = Native.outPointer(arena);
            int status = Native.sandboxAccount(live(), Native.cString(arena, "product", product.wireName()), account, key);
            if (status != Native.OK) {
                IhuyiException e = Native.failure(status, "sandbox account");
                Native.freeString(account);
                Native.freeString(key);
                throw e;
            }
            return new Account(Native.takeString(account), Native.takeString(key));
        }
    }

    /**
     * @param product the product
     * @return a builder with the sandbox's account for it, pointed at the sandbox
     */
    public IhuyiClient.Builder clientBuilder(Product product) {
        Account a = account(product);
        return IhuyiClient.builder(product, a.account(), a.apiKey()).baseUrl(baseUrl);
    }

    /**
     * @param product the product
     * @return a client with the sandbox's account for it, pointed at the sandbox
     */
    public IhuyiClient client(Product product) {
        return clientBuilder(product).build();
    }

    /** @return how many requests it received since it started or was last reset */
    public long requestCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_LONG);
            Native.check(Native.sandboxRequestCount(live(), count), "sandbox request count");
            return count.get(JAVA_LONG, 0);
        }
    }

    /** Forgets the request log and restores the balances. */
    public void reset() {
        Native.check(Native.sandboxReset(live()), "sandbox reset");
    }

    /** Stops the sandbox (waiting for its threads) and releases it; idempotent. */
    @Override
    public void close() {
        MemorySegment h = handle.getAndSet(null);
        if (h != null) {
            Native.sandboxStop(h);
        }
    }

    @Override
    public String toString() {
        return "Sandbox[" + baseUrl + (handle.get() == null ? ", stopped" : "") + "]";
    }

    private MemorySegment live() {
        MemorySegment h = handle.get();
        if (h == null) {
            throw new IhuyiException("this Sandbox is stopped", "");
        }
        return h;
    }
}
