package com.ihuyi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Knowing before sending: the estimate and normalization against the shared fixtures
 * (tests/fixtures/estimate.json, normalize.json), strict numbers, and the frequency guard refusing
 * before the sandbox would.
 */
class KnowTest {
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

    private static <T extends Comparable<T>> List<T> sorted(List<T> values) {
        List<T> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> estimateFixtures() throws IOException {
        return FixturesTest.cases("estimate").stream().map(c -> DynamicTest.dynamicTest((String) c.get("name"), () -> {
            Map<String, Object> want = (Map<String, Object>) c.get("expected");
            String product = (String) c.get("product");
            Estimate e = Estimate.of(product, (String) c.get("content"), (String) c.get("signature"), (String) c.get("rule"));
            assertEquals(want.get("message"), e.message());
            assertEquals(want.get("characters"), e.characters());
            assertEquals(want.get("segments"), e.segments());
            assertEquals(product, e.product());
            assertEquals("voice".equals(product) ? Optional.empty() : Optional.of(c.get("rule")), e.rule());
            List<String> kinds = new ArrayList<>();
            List<Long> codes = new ArrayList<>();
            for (Estimate.Warning w : e.warnings()) {
                kinds.add(w.kind());
                codes.add(w.code().orElse(-1L));
                assertFalse(w.message().isEmpty());
            }
            assertEquals(sorted((List<String>) want.get("kinds")), sorted(kinds));
            List<Long> wantCodes = new ArrayList<>();
            for (Object code : (List<Object>) want.get("codes")) {
                wantCodes.add(code == null ? -1L : (Long) code);
            }
            assertEquals(sorted(wantCodes), sorted(codes));
            assertEquals(wantCodes.stream().allMatch(x -> x < 0), e.acceptable());
        }));
    }

    @Test
    void estimateArguments() {
        Estimate e = Estimate.of("SMS", "您的验证码是:1234。", "互亿无线", "70/66");
        assertTrue(e.signatureAdded());
        assertTrue(e.message().endsWith("【互亿无线】"));
        assertEquals(Optional.of("70/66"), e.rule());
        assertEquals("sms", e.product());
        assertTrue(Estimate.of(Product.SMS, TEMPLATE).acceptable());
        assertThrows(ValidationException.class, () -> Estimate.of("sms", "x", null, "70/65"));
        assertThrows(ValidationException.class, () -> Estimate.of("fax", "x", null, null));
        assertThrows(ValidationException.class, () -> Estimate.of("sms", "\ud800", null, null));
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> normalizeFixtures() throws IOException {
        return FixturesTest.cases("normalize").stream().map(c -> DynamicTest.dynamicTest(c.get("product") + " " + c.get("input"), () -> {
            String product = (String) c.get("product");
            String input = (String) c.get("input");
            if (c.containsKey("expected")) {
                assertEquals(c.get("expected"), Ihuyi.normalizeMobile(product, input));
            } else {
                Map<String, Object> error = (Map<String, Object>) c.get("error");
                assertEquals("validation", error.get("kind"));
                ValidationException e = assertThrows(ValidationException.class, () -> Ihuyi.normalizeMobile(product, input));
                assertTrue(e.getMessage().contains((String) error.get("contains")), e.getMessage());
                assertTrue(e.getMessage().contains((String) error.get("field")), e.getMessage());
            }
        }));
    }

    @Test
    void sendNormalizesUnlessStrict() {
        try (IhuyiClient loose = sandbox.client(Product.SMS);
                IhuyiClient strict = sandbox.clientBuilder(Product.SMS).strictMobile(true).build()) {
            long before = sandbox.requestCount();
            loose.send("+86 138-0013-8777", TEMPLATE);
            ValidationException e = assertThrows(ValidationException.class, () -> strict.send("+86 138-0013-8777", TEMPLATE));
            assertTrue(e.getMessage().contains("13800138777"), e.getMessage());
            assertEquals(before + 1, sandbox.requestCount());
            strict.send("13800138777", TEMPLATE);
            assertEquals(before + 2, sandbox.requestCount());
        }
    }

    @Test
    void frequencyGuardRefusesLocally() {
        assertThrows(ValidationException.class, () -> new FrequencyGuard(-1, 1L << 32, -1));
        IhuyiClient a;
        IhuyiClient b;
        try (FrequencyGuard guard = new FrequencyGuard(-1, 2, -1)) {
            a = sandbox.clientBuilder(Product.SMS).frequencyGuard(guard).build();
            b = sandbox.clientBuilder(Product.SMS).frequencyGuard(guard).build();
        }
        // The clients keep the guard after it is closed here, and share its counts.
        try (a; b) {
            long before = sandbox.requestCount();
            a.send("13800138888", TEMPLATE);
            b.send("13800138888", TEMPLATE);
            ValidationException e = assertThrows(ValidationException.class, () -> a.send("+86 13800138888", TEMPLATE));
            assertTrue(e.getMessage().contains("4082"), e.getMessage());
            assertThrows(ValidationException.class, () -> b.send("13800138888", TEMPLATE));
            b.send("13800138889", TEMPLATE);
            assertEquals(before + 3, sandbox.requestCount());
        }
        FrequencyGuard closed = FrequencyGuard.platform();
        closed.close();
        assertThrows(IhuyiException.class, () -> sandbox.clientBuilder(Product.SMS).frequencyGuard(closed).build());
    }
}
