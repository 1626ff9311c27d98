import com.ihuyi.IhuyiClient;
import com.ihuyi.IhuyiException;
import com.ihuyi.Product;

import java.util.ArrayList;
import java.util.List;

/**
 * Load driver for the Java binding (FFM over libihuyi.so), the twin of
 * examples/rust/bench_client.rs: T threads share one client and send for D seconds.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -Dihuyi.library.path=target/release/libihuyi.so \
 *     -cp bindings/java/target/classes bench/java/BenchClient.java BASE_URL THREADS SECONDS</pre>
 *
 * Prints one JSON line: sends, errors, seconds, rate, p50/p99 latency (microseconds).
 */
public final class BenchClient {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: BenchClient BASE_URL THREADS SECONDS");
            System.exit(2);
        }
        int threads = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        try (IhuyiClient client = IhuyiClient
                .builder(Product.SMS, "C80000001", "8f14e45fceea167a5a36dedd4bea2543")
                .baseUrl(args[0])
                .maxIdleConnections(Math.max(threads, 1))
                .build()) {
            // The JIT compiles the send path first, as in a long-running server (1 s: on a busy
            // machine the compiler threads need that long to finish).
            long warm = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < warm) {
                client.send("13800138000", "您的验证码是:1234。【互亿无线】");
            }
            long started = System.nanoTime();
            long deadline = started + (long) (seconds * 1e9);
            List<long[]> results = new ArrayList<>();
            long[] errors = new long[threads];
            Thread[] workers = new Thread[threads];
            for (int i = 0; i < threads; i++) {
                final int id = i;
                long[][] mine = new long[1][];
                workers[i] = new Thread(() -> {
                    long[] lat = new long[1 << 16];
                    int n = 0;
                    while (System.nanoTime() < deadline) {
                        long t = System.nanoTime();
                        try {
                            client.send("13800138000", "您的验证码是:1234。【互亿无线】");
                        } catch (IhuyiException e) {
                            errors[id]++;
                            continue;
                        }
                        if (n == lat.length) lat = java.util.Arrays.copyOf(lat, n * 2);
                        lat[n++] = (System.nanoTime() - t) / 1000;
                    }
                    mine[0] = java.util.Arrays.copyOf(lat, n);
                    synchronized (results) {
                        results.add(mine[0]);
                    }
                });
                workers[i].start();
            }
            for (Thread w : workers) w.join();
            double elapsed = (System.nanoTime() - started) / 1e9;
            long[] all = results.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
            long errs = java.util.Arrays.stream(errors).sum();
            int n = all.length;
            long p50 = n == 0 ? 0 : all[Math.min((int) (n * 0.50), n - 1)];
            long p99 = n == 0 ? 0 : all[Math.min((int) (n * 0.99), n - 1)];
            System.out.printf(java.util.Locale.ROOT,
                    "{\"surface\":\"java\",\"threads\":%d,\"sends\":%d,\"errors\":%d,\"seconds\":%.3f,"
                            + "\"rate\":%.1f,\"p50_us\":%d,\"p99_us\":%d}%n",
                    threads, n, errs, elapsed, n / elapsed, p50, p99);
        }
    }
}
