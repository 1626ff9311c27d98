package com.ihuyi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault matrix of tests/fixtures/faults.json (the same cases run from Rust, C, Python and
 * PHP): each network failure throws the exception of the core's error kind, and the sandbox
 * receives exactly one request per send (the SDK never resends). The sandbox's faults are set
 * through its admin endpoint (POST /_sandbox/faults). The C ABI does not expose the core's reason
 * (timeout, connection_lost...), so neither does Java: the class and status are checked.
 */
class FaultsTest {
    private static final String TEMPLATE = ClientTest.TEMPLATE;
    private static final Map<String, Class<? extends IhuyiException>> KINDS = Map.of(
            "outcome_unknown", OutcomeUnknownException.class,
            "unreachable", UnreachableException.class);
    private static final HttpClient ADMIN = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private static Sandbox sandbox;

    @SuppressWarnings("unchecked")
    static Map<String, Object> matrix() throws IOException {
        Path dir = Path.of(System.getProperty("ihuyi.fixtures.dir", "../../tests/fixtures"));
        return (Map<String, Object>) Json.parse(Files.readString(dir.resolve("faults.json")));
    }

    @SuppressWarnings("unchecked")
    static Stream<Arguments> cases(String list, String label) throws IOException {
        List<Map<String, Object>> cases = (List<Map<String, Object>>) matrix().get(list);
        assertFalse(cases.isEmpty(), list);
        return cases.stream().map(c -> Arguments.of(label(c, label), c));
    }

    @SuppressWarnings("unchecked")
    private static String label(Map<String, Object> c, String key) {
        return key.equals("action") ? (String) ((Map<String, Object>) c.get("fault")).get("action") : (String) c.get(key);
    }

    static Stream<Arguments> sandboxFaults() throws IOException {
        return cases("sandbox", "action");
    }

    static Stream<Arguments> unreachableCases() throws IOException {
        return cases("unreachable", "name");
    }

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() throws Exception {
        sandbox = Sandbox.start();
        String faults = ((List<Map<String, Object>>) matrix().get("sandbox")).stream()
                .map(c -> toJson((Map<String, Object>) c.get("fault")))
                .collect(Collectors.joining(",", "[", "]"));
        assertEquals(200, admin("POST", "/_sandbox/faults", faults).statusCode());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sandboxFaults")
    @SuppressWarnings("unchecked")
    void eachSandboxFaultHasItsKindWithOneRequestPerSend(String action, Map<String, Object> c) throws Exception {
        Map<String, Object> matrix = matrix();
        String good = (String) matrix.get("good_mobile");
        Map<String, Object> fault = (Map<String, Object>) c.get("fault");
        String mobile = (String) fault.get("mobile");
        Duration timeout = Duration.ofMillis((Long) c.get("timeout_ms"));
        String key = sandbox.account(Product.SMS).apiKey();
        try (IhuyiClient client = sandbox.clientBuilder(Product.SMS).timeouts(timeout, timeout, timeout).build()) {
            // A good send first: the faulted one travels on its pooled keep-alive connection (a
            // client resending on a broken pooled connection would show as a second request).
            client.send(good, TEMPLATE);
            long before = sandbox.requestCount();

            IhuyiException e = sendFails(client, mobile, (String) c.get("kind"));
            assertFalse(e.toString().contains(key), e.toString());
            if (c.containsKey("http_status")) {
                assertTrue(e.getMessage().contains(c.get("http_status").toString()), e.getMessage());
            }
            assertEquals(before + 1, sandbox.requestCount(), "one request for one send");

            // A good send right after works: the broken connection is not reused.
            assertTrue(client.send(good, TEMPLATE).id().matches("\\d{20}"));
            Thread.sleep((Long) matrix.get("settle_ms")); // a delayed or dripping answer finishes on the server
            assertEquals(before + 2, sandbox.requestCount(), "no resend, even late");
        }

        HttpResponse<String> log = admin("GET", "/_sandbox/requests", null);
        assertEquals(200, log.statusCode());
        List<Map<String, Object>> hits = new ArrayList<>();
        for (Object r : (List<Object>) Json.parse(log.body())) {
            Map<String, Object> request = (Map<String, Object>) r;
            if (((List<Object>) request.get("fields")).contains(List.of("mobile", mobile))) {
                hits.add(request);
            }
        }
        assertEquals(1, hits.size(), "exactly one request to the faulted number: " + hits);
        assertEquals(action, hits.get(0).get("fault"));
        assertEquals("Submit", hits.get(0).get("method"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreachableCases")
    void eachUnreachableCaseIsUnreachable(String name, Map<String, Object> c) throws Exception {
        List<AutoCloseable> held = new ArrayList<>();
        try {
            String target = (String) c.get("target");
            String baseUrl = switch (target) {
                case "closed_port" -> Http500.closedPortUrl();
                case "full_backlog" -> "http://127.0.0.1:" + fullBacklog(held);
                default -> target;
            };
            String key = "deadbeefdeadbeefdeadbeefdeadbeef";
            Duration timeout = Duration.ofMillis((Long) c.get("timeout_ms"));
            try (IhuyiClient client = IhuyiClient.builder(Product.SMS, "C80000001", key)
                    .baseUrl(baseUrl).timeouts(timeout, timeout, timeout).build()) {
                long started = System.nanoTime();
                IhuyiException e = sendFails(client, (String) c.get("mobile"), (String) c.get("kind"));
                long elapsedMs = (System.nanoTime() - started) / 1_000_000;
                assertTrue(e.getMessage().contains((String) c.get("message_contains")), e.getMessage());
                assertFalse(e.toString().contains(key), e.toString());
                if (c.containsKey("within_ms")) {
                    assertTrue(elapsedMs < (Long) c.get("within_ms"), elapsedMs + " ms");
                }
            }
        } finally {
            for (AutoCloseable h : held) {
                h.close();
            }
        }
    }

    /** Sends once, expecting the exception of {@code kind}; returns it. */
    private static IhuyiException sendFails(IhuyiClient client, String mobile, String kind) {
        Class<? extends IhuyiException> expected = KINDS.get(kind);
        assertTrue(expected != null, "unknown kind " + kind);
        IhuyiException e = assertThrows(IhuyiException.class, () -> client.send(mobile, TEMPLATE));
        assertEquals(expected, e.getClass(), e.toString());
        assertEquals("IHUYI_ERR_" + kind.toUpperCase(java.util.Locale.ROOT), e.status());
        return e;
    }

    /**
     * A loopback listener that never accepts, its accept queue filled: the kernel drops further
     * connection attempts, so a connect hangs until the client's timeout, before any request byte
     * is written. Returns its port; {@code held} gets the listener and the queued connections.
     */
    private static int fullBacklog(List<AutoCloseable> held) throws IOException {
        // Backlog 1 (Java takes 0 as "the default"): the kernel queues two connections.
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(listener);
        InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        for (int i = 0; i < 1000; i++) {
            Socket s = new Socket();
            try {
                s.connect(addr, 200);
                held.add(s);
            } catch (SocketTimeoutException full) {
                s.close();
                return listener.getLocalPort();
            }
        }
        return fail("the accept queue never filled");
    }

    private static HttpResponse<String> admin(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .timeout(Duration.ofSeconds(5));
        if (json == null) {
            request.GET();
        } else {
            request.method(method, HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
        }
        return ADMIN.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A flat JSON object of strings and integers (a fault as the fixture gives it). */
    private static String toJson(Map<String, Object> object) {
        return object.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + (e.getValue() instanceof String s ? quote(s) : String.valueOf((Long) e.getValue())))
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
