<?php

/**
 * Load driver for the PHP binding (FFI over libihuyi.so), the twin of
 * examples/rust/bench_client.rs. PHP has no threads: N "threads" are N forked worker processes,
 * each with its own Ihuyi\Client built after the fork (a pool must not cross a fork), as PHP-FPM
 * workers would have.
 *
 *   IHUYI_LIB=target/release/libihuyi.so php bench/php/bench_client.php BASE_URL WORKERS SECONDS
 *
 * Prints one JSON line: sends, errors, seconds, rate, p50/p99 latency (microseconds).
 */

declare(strict_types=1);

require __DIR__ . '/../../bindings/php/autoload.php';

use Ihuyi\Client;
use Ihuyi\Exception\IhuyiException;

if ($argc !== 4) {
    fwrite(STDERR, "usage: bench_client.php BASE_URL WORKERS SECONDS\n");
    exit(2);
}
[, $baseUrl, $workers, $seconds] = $argv;
$workers = (int) $workers;
$seconds = (float) $seconds;

$dir = sys_get_temp_dir() . '/ihuyi-bench-php-' . getmypid();
@mkdir($dir);
$started = hrtime(true);
$deadline = $started + (int) ($seconds * 1e9);
$children = [];
for ($i = 0; $i < $workers; $i++) {
    $pid = pcntl_fork();
    if ($pid === -1) {
        fwrite(STDERR, "fork failed\n");
        exit(1);
    }
    if ($pid === 0) {
        $client = new Client('sms', 'C80000001', '8f14e45fceea167a5a36dedd4bea2543', $baseUrl);
        $lat = [];
        $errors = 0;
        while (hrtime(true) < $deadline) {
            $t = hrtime(true);
            try {
                $client->send('13800138000', '您的验证码是:1234。【互亿无线】');
                $lat[] = intdiv(hrtime(true) - $t, 1000);
            } catch (IhuyiException $e) {
                $errors++;
            }
        }
        file_put_contents("$dir/$i", json_encode(['lat' => $lat, 'errors' => $errors]));
        exit(0);
    }
    $children[] = $pid;
}
foreach ($children as $pid) {
    pcntl_waitpid($pid, $status);
}
$elapsed = (hrtime(true) - $started) / 1e9;
$all = [];
$errors = 0;
for ($i = 0; $i < $workers; $i++) {
    $part = json_decode((string) @file_get_contents("$dir/$i"), true);
    @unlink("$dir/$i");
    if (!is_array($part)) {
        $errors++;
        continue;
    }
    array_push($all, ...$part['lat']);
    $errors += $part['errors'];
}
@rmdir($dir);
sort($all);
$n = count($all);
$pct = fn (float $p): int => $n ? $all[min((int) ($n * $p), $n - 1)] : 0;
printf(
    "{\"surface\":\"php\",\"threads\":%d,\"sends\":%d,\"errors\":%d,\"seconds\":%.3f,\"rate\":%.1f,\"p50_us\":%d,\"p99_us\":%d}\n",
    $workers, $n, $errors, $elapsed, $n / $elapsed, $pct(0.50), $pct(0.99),
);
