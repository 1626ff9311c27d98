package com.ihuyi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The shared fixtures (tests/fixtures/*.json) through the C ABI's pure functions. */
class FixturesTest {
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases(String name) throws IOException {
        Path dir = Path.of(System.getProperty("ihuyi.fixtures.dir", "../../tests/fixtures"));
        Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(dir.resolve(name + ".json")));
        List<Map<String, Object>> cases = (List<Map<String, Object>>) root.get("cases");
        assertFalse(cases.isEmpty());
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> signing() throws IOException {
        return cases("signing").stream().map(c -> DynamicTest.dynamicTest((String) c.get("name"), () -> {
            long time = (Long) c.get("time");
            String password = "Submit".equals(c.get("method"))
                    ? Protocol.submitPassword((String) c.get("account"), (String) c.get("apikey"),
                            (String) c.get("mobile"), (String) c.get("content"), time)
                    : Protocol.getNumPassword((String) c.get("account"), (String) c.get("apikey"), time);
            assertEquals(c.get("password"), password);
            byte[] md5 = MessageDigest.getInstance("MD5").digest(((String) c.get("hashed")).getBytes(StandardCharsets.UTF_8));
            assertEquals(HexFormat.of().formatHex(md5), password, "the vector itself is consistent");
        }));
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> responses() throws IOException {
        return cases("responses").stream().map(c -> DynamicTest.dynamicTest((String) c.get("name"), () -> {
            Map<String, Object> expect = (Map<String, Object>) c.get("expect");
            String outcome = (String) expect.get("outcome");
            String product = (String) c.get("product");
            int status = ((Long) c.get("status")).intValue();
            byte[] body = ((String) c.get("body")).getBytes(StandardCharsets.UTF_8);
            boolean submit = "Submit".equals(c.get("method"));
            try {
                if (submit) {
                    Protocol.Submitted s = Protocol.submitOutcome(product, status, body);
                    assertEquals("ok", outcome, "accepted");
                    assertEquals(expect.get("id"), s.id());
                    assertEquals(expect.get("msg"), s.msg());
                } else {
                    Protocol.Balance b = Protocol.getNumOutcome(product, status, body);
                    assertEquals("ok", outcome, "accepted");
                    assertEquals(expect.get("num"), b.num());
                    assertEquals(expect.get("msg"), b.msg());
                }
            } catch (ApiException e) {
                assertEquals("api", outcome, "refused: " + e.getMessage());
                assertEquals(expect.get("code"), e.code());
                assertEquals(expect.get("msg"), e.apiMessage());
                assertEquals(expect.get("class"), e.kind());
            } catch (OutcomeUnknownException e) {
                assertEquals("outcome_unknown", outcome, "outcome unknown: " + e.getMessage());
            }
        }));
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> receipts() throws IOException {
        return cases("receipts").stream().map(c -> DynamicTest.dynamicTest((String) c.get("name"), () -> {
            Map<String, Object> expect = (Map<String, Object>) c.get("expect");
            String body = (String) c.get("body");
            if (!(Boolean) expect.get("ok")) {
                assertThrows(ValidationException.class, () -> Receipt.parse(body));
                return;
            }
            Receipt r = Receipt.parse(body);
            assertEquals(expect.get("id"), r.id());
            assertEquals(expect.get("product"), r.product());
            Object code = expect.get("code");
            assertEquals(code == null ? OptionalLong.empty() : OptionalLong.of((Long) code), r.code());
            assertEquals(expect.get("delivered"), r.delivered());
            assertEquals(expect.get("mobile"), r.mobile());
            assertEquals(expect.get("time"), r.time());
            assertEquals(expect.get("msg"), r.msg());
            Map<String, Object> extra = (Map<String, Object>) expect.getOrDefault("extra", Map.of());
            for (Map.Entry<String, Object> e : extra.entrySet()) {
                assertEquals(e.getValue(), r.field(e.getKey()).orElseThrow());
            }
            assertTrue(r.field("no-such-field").isEmpty());
        }));
    }

    @Test
    void repeatedPushesAreSeenOnce() throws Exception {
        String body = "code=2&msg=DELIVRD&mobilephone=13800138000&smsid=16842079209571524017";
        ReceiptDeduper deduper = new ReceiptDeduper();
        assertTrue(deduper.firstSeen(Receipt.parse(body)));
        assertFalse(deduper.firstSeen(Receipt.parse(body)));
        assertFalse(deduper.firstSeen(Receipt.parse(body + "&report_time=later")));
        assertTrue(deduper.firstSeen(Receipt.parse("voiceid=16842079209571524017&code=2")), "another product");
        // Sixteen threads racing on one new receipt: exactly one sees it first.
        Receipt fresh = Receipt.parse("smsid=777&code=2");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> deduper.firstSeen(fresh)));
            }
            long firsts = 0;
            for (java.util.concurrent.Future<Boolean> f : results) {
                firsts += f.get() ? 1 : 0;
            }
            assertEquals(1, firsts);
        } finally {
            pool.shutdownNow();
        }
        deduper.close();
        deduper.close();
        assertThrows(IhuyiException.class, () -> deduper.firstSeen(fresh));
    }

    @Test
    void jsonReceiptAndNulByte() {
        Receipt r = Receipt.parse("{\"smsid\":\"42\",\"code\":2,\"msg\":\"DELIVRD\"}");
        assertEquals("42", r.id());
        assertTrue(r.delivered());
        assertThrows(ValidationException.class, () -> Receipt.parse("smsid=1&msg=a%00b"));
        assertThrows(ValidationException.class, () -> Receipt.parse(new byte[0]));
    }

    @Test
    void idsBeyondLongStayStrings() {
        Protocol.Submitted s = Protocol.submitOutcome("sms", 200,
                "{\"code\":2,\"msg\":\"ok\",\"smsid\":98765432109876543210}".getBytes(StandardCharsets.UTF_8));
        assertEquals(new BigInteger("98765432109876543210").toString(), s.id());
        if (new BigInteger(s.id()).bitLength() <= 63) {
            fail("the fixture id must exceed a long");
        }
    }
}
