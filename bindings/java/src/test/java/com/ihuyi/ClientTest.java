package com.ihuyi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** IhuyiClient against the library's sandbox: the three products and every exception kind. */
class ClientTest {
    static final String TEMPLATE = "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】";

    private static Sandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    static Stream<Arguments> products() {
        return Stream.of(
                Arguments.of(Product.SMS, "13800138000", TEMPLATE),
                Arguments.of(Product.VOICE, "13912345678", "482193"),
                Arguments.of(Product.ISMS, "63 9171234567", "Your code is 5512"));
    }

    @ParameterizedTest
    @MethodSource("products")
    void sendsAndChargesEachProduct(Product product, String mobile, String content) {
        try (IhuyiClient client = sandbox.client(product)) {
            long before = client.balance();
            SendResult first = client.send(mobile, content);
            SendResult second = client.send(mobile, content);
            assertTrue(first.id().matches("\\d{20}"), first.id());
            assertNotEquals(first.id(), second.id());
            assertEquals(product.wireName(), first.product());
            assertEquals(mobile, first.mobile());
            assertEquals(before - 2, client.balance());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void jsonAnswersAndPlainPasswords(Product product, String mobile, String content) {
        try (IhuyiClient client = sandbox.clientBuilder(product)
                .json(true)
                .plainPassword(true)
                .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5))
                .maxIdleConnections(4)
                .build()) {
            assertTrue(client.send(mobile, content).id().matches("\\d{20}"));
            assertTrue(client.balance() > 0);
        }
    }

    static Stream<Arguments> invalidSends() {
        return Stream.of(
                Arguments.of(Product.SMS, "123", TEMPLATE),
                Arguments.of(Product.SMS, "13800138000", ""),
                Arguments.of(Product.VOICE, "13800138000", "abcd"),
                Arguments.of(Product.VOICE, "13800138000", "1234567"),
                Arguments.of(Product.ISMS, "9171234567", "hi"),
                Arguments.of(Product.SMS, "13800138000", "hi\0there"),
                Arguments.of(Product.SMS, "13800138000\0", "hi"),
                Arguments.of(Product.SMS, "13800138000", "lone \uD800 surrogate"),
                Arguments.of(Product.SMS, "13800138000", "a".repeat(70_000)));
    }

    @ParameterizedTest
    @MethodSource("invalidSends")
    void invalidInputIsRefusedLocally(Product product, String mobile, String content) {
        try (IhuyiClient client = sandbox.client(product)) {
            long before = sandbox.requestCount();
            ValidationException e = assertThrows(ValidationException.class, () -> client.send(mobile, content));
            assertFalse(e.getMessage().isEmpty());
            assertEquals(before, sandbox.requestCount(), "nothing may reach the server");
        }
    }

    @Test
    void nullsAreRefusedBeforeTheLibrary() {
        try (IhuyiClient client = sandbox.client(Product.SMS)) {
            assertThrows(NullPointerException.class, () -> client.send(null, "x"));
            assertThrows(NullPointerException.class, () -> client.send("13800138000", null));
        }
        assertThrows(NullPointerException.class, () -> IhuyiClient.builder(Product.SMS, "C80000001", null));
    }

    @Test
    void invalidSettingsAreRefused() {
        List<Supplier<IhuyiClient.Builder>> cases = List.of(
                () -> IhuyiClient.builder("fax", "C80000001", "k"),
                () -> IhuyiClient.builder(Product.SMS, "", "k"),
                () -> IhuyiClient.builder(Product.SMS, "C80000001", ""),
                () -> IhuyiClient.builder(Product.SMS, "C80000001", "k").baseUrl("not a url"),
                () -> IhuyiClient.builder(Product.SMS, "C80000001", "k").baseUrl("ftp://x"),
                () -> IhuyiClient.builder(Product.SMS, "C80000001", "k")
                        .timeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        for (Supplier<IhuyiClient.Builder> c : cases) {
            assertThrows(ValidationException.class, () -> c.get().build().close(), c.toString());
        }
        assertThrows(ValidationException.class,
                () -> IhuyiClient.builder(Product.SMS, "C80000001", "k").maxIdleConnections(0));
        assertThrows(ValidationException.class,
                () -> IhuyiClient.builder(Product.SMS, "C80000001", "k").timeouts(Duration.ofMillis(-1), Duration.ZERO, Duration.ZERO));
    }

    @Test
    void wrongKeyIsAnAuthRefusal() {
        String account = sandbox.account(Product.SMS).account();
        try (IhuyiClient client = IhuyiClient.builder(Product.SMS, account, "ffffffffffffffffffffffffffffffff")
                .baseUrl(sandbox.baseUrl()).build()) {
            ApiException e = assertThrows(ApiException.class, () -> client.send("13800138000", TEMPLATE));
            assertEquals(40502, e.code());
            assertEquals("动态密码校验失败", e.apiMessage());
            assertEquals("auth", e.kind());
            assertEquals("IHUYI_ERR_API", e.status());
        }
    }

    @Test
    void unknownAccountIsRefusedWithTheProductsOwnMessage() {
        try (IhuyiClient client = IhuyiClient.builder(Product.VOICE, "V00000000", "k").baseUrl(sandbox.baseUrl()).build()) {
            ApiException e = assertThrows(ApiException.class, client::balance);
            assertEquals(405, e.code());
            assertEquals("用户名或密码不正确", e.apiMessage());
            assertEquals("auth", e.kind());
        }
    }

    @Test
    void closedPortIsUnreachable() throws Exception {
        try (IhuyiClient client = IhuyiClient.builder(Product.SMS, "C80000001", "k").baseUrl(Http500.closedPortUrl())
                .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2)).build()) {
            UnreachableException e = assertThrows(UnreachableException.class, () -> client.send("13800138000", TEMPLATE));
            assertEquals("IHUYI_ERR_UNREACHABLE", e.status());
            assertThrows(UnreachableException.class, client::balance);
        }
    }

    @Test
    void http500IsOutcomeUnknown() throws Exception {
        try (Http500 server = new Http500();
                IhuyiClient client = IhuyiClient.builder(Product.SMS, "C80000001", "k").baseUrl(server.baseUrl()).build()) {
            OutcomeUnknownException e = assertThrows(OutcomeUnknownException.class, () -> client.send("13800138000", TEMPLATE));
            assertTrue(e.getMessage().contains("500"), e.getMessage());
            assertEquals("IHUYI_ERR_OUTCOME_UNKNOWN", e.status());
            assertThrows(OutcomeUnknownException.class, client::balance);
        }
    }

    @Test
    void theKeyNeverShows() throws Exception {
        String key = "deadbeefdeadbeefdeadbeefdeadbeef";
        Set<Class<?>> seen = new HashSet<>();
        try (Http500 server = new Http500()) {
            for (String url : List.of(sandbox.baseUrl(), Http500.closedPortUrl(), server.baseUrl())) {
                IhuyiClient.Builder builder = IhuyiClient.builder(Product.SMS, "C80000001", key).baseUrl(url);
                assertFalse(builder.toString().contains(key));
                try (IhuyiClient client = builder.build()) {
                    for (String mobile : List.of("13800138000", "1")) {
                        IhuyiException e = assertThrows(IhuyiException.class, () -> client.send(mobile, TEMPLATE));
                        seen.add(e.getClass());
                        assertFalse(e.toString().contains(key), e.toString());
                    }
                    assertFalse(client.toString().contains(key));
                }
            }
        }
        assertEquals(Set.of(ApiException.class, ValidationException.class, UnreachableException.class, OutcomeUnknownException.class), seen);
        ValidationException e = assertThrows(ValidationException.class,
                () -> IhuyiClient.builder(Product.SMS, "", key).build());
        assertFalse(e.toString().contains(key));
    }

    @Test
    void aClosedClientRefusesToSend() {
        IhuyiClient client = sandbox.client(Product.SMS);
        client.close();
        client.close();
        assertTrue(client.isClosed());
        IhuyiException e = assertThrows(IhuyiException.class, () -> client.send("13800138000", TEMPLATE));
        assertTrue(e.getMessage().contains("closed"));
        assertThrows(IhuyiException.class, client::balance);
    }

    @Test
    void aPanicInTheLibraryIsAnException() {
        IhuyiException e = assertThrows(IhuyiException.class, () -> Native.check(Native.selftestPanic(), "selftest"));
        assertEquals(IhuyiException.class, e.getClass());
        assertEquals("IHUYI_ERR_PANIC", e.status());
        assertTrue(e.getMessage().contains("deliberate panic"), e.getMessage());
    }

    @Test
    void sixteenThreadsShareOneClient() throws Exception {
        int threads = 16;
        int perThread = 200;
        try (Sandbox own = Sandbox.start();
                IhuyiClient client = own.clientBuilder(Product.SMS).maxIdleConnections(threads).build()) {
            long before = client.balance();
            own.reset();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<List<String>>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    Callable<List<String>> job = () -> {
                        List<String> ids = new ArrayList<>(perThread);
                        for (int i = 0; i < perThread; i++) {
                            String mobile = String.format("138%04d%04d", thread, i);
                            ids.add(client.send(mobile, TEMPLATE).id());
                        }
                        return ids;
                    };
                    futures.add(pool.submit(job));
                }
                Set<String> all = new HashSet<>();
                for (Future<List<String>> f : futures) {
                    all.addAll(f.get());
                }
                assertEquals(threads * perThread, all.size(), "every id distinct");
                assertTrue(all.stream().allMatch(id -> id.matches("\\d{20}")));
            } finally {
                pool.shutdownNow();
            }
            assertEquals(threads * perThread, own.requestCount(), "one request per send: no retries");
            assertEquals(before - threads * perThread, client.balance());
        }
    }
}
