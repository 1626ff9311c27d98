package com.ihuyi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A client for one product and one account. It owns a native client and its keep-alive
 * connections: build one and share it between all threads ({@link #send} and {@link #balance}
 * are thread-safe), and close it when done. It never resends on its own.
 *
 * <pre>{@code
 * try (IhuyiClient client = IhuyiClient.builder(Product.SMS, account, apiKey).build()) {
 *     SendResult r = client.send("13800138000", "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】");
 * }
 * }</pre>
 *
 * <p>The API key goes to the native library and is not kept by this object: it is in no field,
 * {@code toString()} or exception message.
 */
public final class IhuyiClient implements AutoCloseable {
    private final AtomicReference<MemorySegment> handle;
    private final String product;
    private final String account;
    private final String baseUrl;

    private IhuyiClient(MemorySegment handle, String product, String account, String baseUrl) {
        this.handle = new AtomicReference<>(handle);
        this.product = product;
        this.account = account;
        this.baseUrl = baseUrl;
    }

    /**
     * Starts a builder.
     *
     * @param product the product
     * @param account the APIID
     * @param apiKey the APIKEY
     * @return a builder with the defaults (vendor host, dynamic password, XML, 5/10/15 s)
     */
    public static Builder builder(Product product, String account, String apiKey) {
        return new Builder(Objects.requireNonNull(product, "product").wireName(), account, apiKey);
    }

    /**
     * Starts a builder for a product named as the API does ({@code sms}, {@code voice},
     * {@code isms}, any case); another name fails in {@link Builder#build()} with a
     * {@link ValidationException}.
     *
     * @param product the product's name
     * @param account the APIID
     * @param apiKey the APIKEY
     * @return a builder with the defaults
     */
    public static Builder builder(String product, String account, String apiKey) {
        return new Builder(Objects.requireNonNull(product, "product"), account, apiKey);
    }

    /**
     * Sends {@code content} to {@code mobile}, once.
     *
     * @param mobile {@code sms}/{@code voice}: a mainland number ({@code 13800138000});
     *     {@code isms}: country code, one space, number ({@code "63 9171234567"})
     * @param content the text ({@code voice}: the 4-6 digit code)
     * @return the accepted send and its id
     * @throws ValidationException bad input: nothing was sent
     * @throws ApiException the server refused (see its code and kind)
     * @throws UnreachableException nothing was sent: safe to retry
     * @throws OutcomeUnknownException it may have been sent: do not resend blindly
     * @throws IhuyiException the client is closed
     */
    public SendResult send(String mobile, String content) {
        MemorySegment client = live();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = Native.outPointer(arena);
            int status = Native.clientSend(
                    client,
                    Native.cString(arena, "mobile", mobile),
                    Native.cString(arena, "content", content),
                    out);
            if (status != Native.OK) {
                IhuyiException e = Native.failure(status, "send");
                Native.freeString(out);
                throw e;
            }
            return new SendResult(Native.takeString(out), product, mobile);
        }
    }

    /**
     * @return the account's remaining balance (剩余条数)
     * @throws ApiException the server refused
     * @throws UnreachableException the server could not be reached
     * @throws OutcomeUnknownException no readable answer
     * @throws IhuyiException the client is closed
     */
    public long balance() {
        MemorySegment client = live();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment num = arena.allocate(JAVA_LONG);
            Native.check(Native.clientBalance(client, num), "balance");
            return num.get(JAVA_LONG, 0);
        }
    }

    /** @return the product's name: {@code sms}, {@code voice} or {@code isms} */
    public String product() {
        return product;
    }

    /** @return the account (APIID) */
    public String account() {
        return account;
    }

    /** @return the origin it talks to, or empty for the vendor's host */
    public Optional<String> baseUrl() {
        return Optional.ofNullable(baseUrl);
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return handle.get() == null;
    }

    /**
     * Releases the native client; idempotent. Sends already running on other threads finish
     * first; later calls throw {@link IhuyiException}.
     */
    @Override
    public void close() {
        MemorySegment h = handle.getAndSet(null);
        if (h != null) {
            Native.clientFree(h);
        }
    }

    @Override
    public String toString() {
        return "IhuyiClient[product=" + product + ", account=" + account
                + ", baseUrl=" + (baseUrl == null ? "(vendor)" : baseUrl)
                + (isClosed() ? ", closed" : "") + "]";
    }

    private MemorySegment live() {
        MemorySegment h = handle.get();
        if (h == null) {
            throw new IhuyiException("this IhuyiClient is closed", "");
        }
        return h;
    }

    /** The settings of a client before it is built. Not thread-safe; reusable. */
    public static final class Builder {
        private final String product;
        private final String account;
        private final String apiKey;
        private String baseUrl;
        private String format;
        private String passwordMode;
        private long[] timeoutsMs;
        private int maxIdleConnections;

        private Builder(String product, String account, String apiKey) {
            this.product = product;
            this.account = Objects.requireNonNull(account, "account");
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        }

        /**
         * @param baseUrl {@code scheme://host[:port]} to talk to instead of the vendor's host
         *     (how tests reach the sandbox); null restores the vendor's
         * @return this
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /**
         * @param json true to ask for JSON answers instead of XML (the default)
         * @return this
         */
        public Builder json(boolean json) {
            this.format = json ? "json" : "xml";
            return this;
        }

        /**
         * @param plain true to send the key itself in the form body (never in the URL) instead
         *     of the dynamic password (the default: the key never travels)
         * @return this
         */
        public Builder plainPassword(boolean plain) {
            this.passwordMode = plain ? "plain" : "dynamic";
            return this;
        }

        /**
         * @param connect connecting (a failure there is {@link UnreachableException})
         * @param send sending the request
         * @param response waiting for the answer (past it, {@link OutcomeUnknownException})
         * @return this
         */
        public Builder timeouts(Duration connect, Duration send, Duration response) {
            this.timeoutsMs = new long[] {millis(connect, "connect"), millis(send, "send"), millis(response, "response")};
            return this;
        }

        /**
         * @param max idle keep-alive connections kept (default 64): at least the number of
         *     threads sharing the client
         * @return this
         */
        public Builder maxIdleConnections(int max) {
            if (max <= 0) {
                throw new ValidationException("maxIdleConnections must be positive, not " + max, "");
            }
            this.maxIdleConnections = max;
            return this;
        }

        /**
         * @return a new client; close it when done
         * @throws ValidationException a bad product, account, key, URL or setting
         * @throws IhuyiException the native library cannot be loaded
         */
        public IhuyiClient build() {
            NativeLibrary.lookup();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment cell = Native.outPointer(arena);
                Native.check(Native.clientBuilderNew(
                        Native.cString(arena, "product", product),
                        Native.cString(arena, "account", account),
                        Native.cString(arena, "apiKey", apiKey),
                        cell), "creating the client");
                MemorySegment builder = cell.get(ADDRESS, 0);
                try {
                    if (baseUrl != null) {
                        Native.check(Native.clientBuilderSetBaseUrl(builder, Native.cString(arena, "baseUrl", baseUrl)), "setting the base URL");
                    }
                    if (format != null) {
                        Native.check(Native.clientBuilderSetFormat(builder, Native.cString(arena, "format", format)), "setting the format");
                    }
                    if (passwordMode != null) {
                        Native.check(Native.clientBuilderSetPasswordMode(builder, Native.cString(arena, "passwordMode", passwordMode)), "setting the password mode");
                    }
                    if (timeoutsMs != null) {
                        Native.check(Native.clientBuilderSetTimeoutsMs(builder, (int) timeoutsMs[0], (int) timeoutsMs[1], (int) timeoutsMs[2]), "setting the timeouts");
                    }
                    if (maxIdleConnections > 0) {
                        Native.check(Native.clientBuilderSetMaxIdleConnections(builder, maxIdleConnections), "setting the connection pool");
                    }
                    MemorySegment clientCell = Native.outPointer(arena);
                    Native.check(Native.clientBuilderBuild(builder, clientCell), "creating the client");
                    return new IhuyiClient(clientCell.get(ADDRESS, 0), product.toLowerCase(Locale.ROOT), account, baseUrl);
                } finally {
                    Native.clientBuilderFree(builder);
                }
            }
        }

        @Override
        public String toString() {
            return "IhuyiClient.Builder[product=" + product + ", account=" + account + "]";
        }

        private static long millis(Duration d, String name) {
            Objects.requireNonNull(d, name);
            long ms = d.toMillis();
            if (ms < 0 || ms > 0xFFFF_FFFFL) {
                throw new ValidationException(name + " timeout out of range: " + d, "");
            }
            // uint32_t: values above Integer.MAX_VALUE travel as their two's complement bits.
            return ms;
        }
    }
}
