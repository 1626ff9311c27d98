package com.ihuyi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 8's load test: 64 threads × 1 000 sends on ONE shared client against the sandbox (its
 * default configuration: frequency limits off, 100 000 messages of balance, a request log of
 * 100 000): no error, 64 000 distinct ids, exactly one request per send.
 */
class SixtyFourThreadsTest {
    private static final int THREADS = 64;
    private static final int SENDS_PER_THREAD = 1_000;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sixtyFourThreadsShareOneClient() throws Exception {
        int total = THREADS * SENDS_PER_THREAD;
        try (Sandbox sandbox = Sandbox.start();
                IhuyiClient client = sandbox.clientBuilder(Product.SMS).maxIdleConnections(THREADS).build()) {
            long balance = client.balance();
            assertTrue(balance >= total, "the sandbox account can pay for every send: " + balance);
            long before = sandbox.requestCount();
            CyclicBarrier start = new CyclicBarrier(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            Set<String> ids = new HashSet<>(total * 2);
            int sent = 0;
            try {
                List<Future<List<String>>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        List<String> mine = new ArrayList<>(SENDS_PER_THREAD);
                        for (int i = 0; i < SENDS_PER_THREAD; i++) {
                            // Any exception fails the thread's future, and so the test.
                            mine.add(client.send("13800138000", ClientTest.TEMPLATE).id());
                        }
                        return mine;
                    }));
                }
                for (Future<List<String>> f : futures) {
                    List<String> mine = f.get();
                    sent += mine.size();
                    ids.addAll(mine);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(total, sent, "every send answered");
            assertEquals(total, ids.size(), "every id distinct");
            assertTrue(ids.stream().allMatch(id -> id.matches("\\d{20}")));
            assertEquals(before + total, sandbox.requestCount(), "one request per send: no retries");
            assertEquals(balance - total, client.balance());
        }
    }
}
