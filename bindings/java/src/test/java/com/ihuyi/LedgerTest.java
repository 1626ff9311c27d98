package com.ihuyi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ledger over the C ABI: a repeated key returns the stored result without a request, an unknown
 * outcome is never resent until resolved, a key reused for another message is a conflict.
 */
class LedgerTest {
    static final String TEMPLATE = ClientTest.TEMPLATE;

    private static Sandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void repeatConflictAndRefusal(@TempDir Path dir) {
        try (Ledger ledger = new Ledger(dir.resolve("sends.db").toString());
                IhuyiClient client = sandbox.client(Product.SMS)) {
            long before = sandbox.requestCount();
            SendResult first = ledger.sendOnce(client, "otp/1", "13800138401", TEMPLATE);
            SendResult again = ledger.sendOnce(client, "otp/1", "13800138401", TEMPLATE);
            assertEquals(first.id(), again.id());
            assertEquals(before + 1, sandbox.requestCount());
            assertEquals(Optional.of("accepted"), ledger.state("otp/1"));
            assertEquals(Optional.empty(), ledger.state("never"));
            ConflictException e = assertThrows(ConflictException.class,
                    () -> ledger.sendOnce(client, "otp/1", "13800138402", TEMPLATE));
            assertTrue(e.getMessage().contains("otp/1"), e.getMessage());
            assertThrows(ConflictException.class, () -> ledger.resolveNotSent("otp/1"));
            assertEquals(before + 1, sandbox.requestCount());
        }
    }

    @Test
    void refusalIsReplayed(@TempDir Path dir) {
        Sandbox.Account account = sandbox.account(Product.SMS);
        try (Ledger ledger = new Ledger(dir.resolve("sends.db").toString());
                IhuyiClient bad = IhuyiClient.builder(Product.SMS, account.account(), "0".repeat(32))
                        .baseUrl(sandbox.baseUrl()).build()) {
            long before = sandbox.requestCount();
            ApiException first = assertThrows(ApiException.class, () -> ledger.sendOnce(bad, "otp/2", "13800138403", TEMPLATE));
            ApiException again = assertThrows(ApiException.class, () -> ledger.sendOnce(bad, "otp/2", "13800138403", TEMPLATE));
            assertEquals(first.code(), again.code());
            assertEquals(before + 1, sandbox.requestCount());
            assertEquals(Optional.of("refused"), ledger.state("otp/2"));
        }
    }

    @Test
    void unknownOutcomeIsNeverResent(@TempDir Path dir) throws Exception {
        Sandbox.Account account = sandbox.account(Product.SMS);
        try (Ledger ledger = new Ledger(dir.resolve("sends.db").toString());
                Http500 server = new Http500();
                IhuyiClient broken = IhuyiClient.builder(Product.SMS, account.account(), account.apiKey())
                        .baseUrl(server.baseUrl()).build();
                IhuyiClient client = sandbox.client(Product.SMS)) {
            assertThrows(OutcomeUnknownException.class, () -> ledger.sendOnce(broken, "otp/3", "13800138404", TEMPLATE));
            assertEquals(Optional.of("unknown"), ledger.state("otp/3"));
            long before = sandbox.requestCount();
            for (int i = 0; i < 2; i++) {
                OutcomeUnknownException e = assertThrows(OutcomeUnknownException.class,
                        () -> ledger.sendOnce(client, "otp/3", "13800138404", TEMPLATE));
                assertTrue(e.getMessage().contains("otp/3"), e.getMessage());
            }
            assertEquals(before, sandbox.requestCount());
            ledger.resolveNotSent("otp/3");
            ledger.sendOnce(client, "otp/3", "13800138404", TEMPLATE);
            assertEquals(before + 1, sandbox.requestCount());

            assertThrows(OutcomeUnknownException.class, () -> ledger.sendOnce(broken, "otp/4", "13800138405", TEMPLATE));
            ledger.resolveSent("otp/4", "12345678901234567890");
            assertEquals("12345678901234567890", ledger.sendOnce(client, "otp/4", "13800138405", TEMPLATE).id());
            assertThrows(OutcomeUnknownException.class, () -> ledger.sendOnce(broken, "otp/5", "13800138406", TEMPLATE));
            ledger.sendOnce(client, "otp/5", "13800138406", TEMPLATE, true);
            assertEquals(before + 2, sandbox.requestCount());
        }
    }
}
