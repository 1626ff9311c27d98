package com.ihuyi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * An idempotency ledger (a SQLite file): sends a message at most once per key the application
 * chooses, across retries, timeouts and crashes. Thread-safe; several processes may open one file.
 *
 * <p>A repeat of {@link #sendOnce} with a key makes no request and returns what is stored: the
 * same id when accepted, the same {@link ApiException} when refused. A key whose outcome is
 * unknown throws {@link OutcomeUnknownException} naming the key and is never resent until
 * {@link #resolveSent} / {@link #resolveNotSent}, or an explicit {@code resendUnknown}. A key
 * reused for another message throws {@link ConflictException}.
 */
public final class Ledger implements AutoCloseable {
    private final AtomicReference<MemorySegment> handle;
    private final String path;

    /**
     * Opens (creating if needed) the ledger at {@code path}.
     *
     * @param path the database file
     * @throws IhuyiException the file cannot be opened or is not a ledger
     */
    public Ledger(String path) {
        this.path = Objects.requireNonNull(path, "path");
        NativeLibrary.lookup();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cell = Native.outPointer(arena);
            Native.check(Native.ledgerOpen(Native.cString(arena, "path", path), cell), "opening the ledger");
            handle = new AtomicReference<>(cell.get(ADDRESS, 0));
        }
    }

    /**
     * Sends at most once for {@code key}; never resends a key whose outcome is unknown.
     *
     * @param client the client to send with
     * @param key the idempotency key (1-256 bytes)
     * @param mobile the recipient
     * @param content the text
     * @return the accepted send, now or as stored
     * @throws ValidationException bad input: nothing sent
     * @throws ApiException refused, now or when the key was first sent
     * @throws UnreachableException nothing can have been sent
     * @throws OutcomeUnknownException maybe sent, now or in an unresolved earlier attempt
     * @throws ConflictException the key stands for another message
     * @throws IhuyiException the database failed, or a handle is closed
     */
    public SendResult sendOnce(IhuyiClient client, String key, String mobile, String content) {
        return sendOnce(client, key, mobile, content, false);
    }

    /**
     * {@link #sendOnce(IhuyiClient, String, String, String)}, with the explicit override.
     *
     * @param client the client to send with
     * @param key the idempotency key
     * @param mobile the recipient
     * @param content the text
     * @param resendUnknown send again even when the key's outcome is unknown (this may text the
     *     recipient twice)
     * @return the accepted send
     */
    public SendResult sendOnce(IhuyiClient client, String key, String mobile, String content, boolean resendUnknown) {
        Objects.requireNonNull(client, "client");
        MemorySegment c = client.live();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = Native.outPointer(arena);
            int status = Native.ledgerSendOnce(live(), c,
                    Native.cString(arena, "key", key),
                    Native.cString(arena, "mobile", mobile),
                    Native.cString(arena, "content", content),
                    resendUnknown, out, MemorySegment.NULL);
            if (status != Native.OK) {
                IhuyiException e = Native.failure(status, "send once");
                Native.freeString(out);
                throw e;
            }
            return new SendResult(Native.takeString(out), client.product(), mobile);
        }
    }

    /**
     * Settles a key whose outcome is unknown as sent: later calls return {@code id} (or "").
     *
     * @param key the key
     * @param id the message id if known, else null
     * @throws ConflictException the key is not unknown or in flight
     */
    public void resolveSent(String key, String id) {
        try (Arena arena = Arena.ofConfined()) {
            Native.check(Native.ledgerResolveSent(live(), Native.cString(arena, "key", key),
                    id == null ? MemorySegment.NULL : Native.cString(arena, "id", id)), "resolving the key");
        }
    }

    /**
     * Settles a key as not sent: the next {@link #sendOnce} sends.
     *
     * @param key the key
     * @throws ConflictException the key is accepted or was never recorded
     */
    public void resolveNotSent(String key) {
        try (Arena arena = Arena.ofConfined()) {
            Native.check(Native.ledgerResolveNotSent(live(), Native.cString(arena, "key", key)), "resolving the key");
        }
    }

    /**
     * @param key the key
     * @return {@code in_flight}, {@code accepted}, {@code refused}, {@code unknown} or
     *     {@code not_sent}; empty for a key never recorded
     */
    public Optional<String> state(String key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = Native.outPointer(arena);
            int status = Native.ledgerState(live(), Native.cString(arena, "key", key), out);
            if (status == Native.ERR_NOT_FOUND) {
                return Optional.empty();
            }
            Native.check(status, "reading the key");
            return Optional.of(Native.takeString(out));
        }
    }

    /** @return the database file */
    public String path() {
        return path;
    }

    /** Closes it; idempotent. */
    @Override
    public void close() {
        MemorySegment h = handle.getAndSet(null);
        if (h != null) {
            Native.ledgerFree(h);
        }
    }

    private MemorySegment live() {
        MemorySegment h = handle.get();
        if (h == null) {
            throw new IhuyiException("this Ledger is closed", "");
        }
        return h;
    }
}
