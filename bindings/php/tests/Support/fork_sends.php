<?php

/**
 * Forks WORKERS processes that each build their own Ihuyi\Client (a pool must not cross a
 * fork) and send SENDS messages to BASE_URL with the sandbox's sms account, as PHP-FPM workers
 * would; the library is loaded before the fork, as with preloading. Prints one JSON object:
 * every id received, every error message, and each worker's exit status.
 *
 *   php fork_sends.php BASE_URL WORKERS SENDS
 */

declare(strict_types=1);

require dirname(__DIR__, 2) . '/autoload.php';

use Ihuyi\Client;
use Ihuyi\Library;

if ($argc !== 4) {
    fwrite(STDERR, "usage: fork_sends.php BASE_URL WORKERS SENDS\n");
    exit(2);
}
[, $baseUrl, $workers, $sends] = $argv;
$workers = (int) $workers;
$sends = (int) $sends;
$content = '您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】';

Library::ffi();
$children = [];
for ($w = 0; $w < $workers; $w++) {
    $pair = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
    if ($pair === false) {
        fwrite(STDERR, "socket pair failed\n");
        exit(1);
    }
    $pid = pcntl_fork();
    if ($pid === -1) {
        fwrite(STDERR, "fork failed\n");
        exit(1);
    }
    if ($pid === 0) {
        fclose($pair[0]);
        $ids = [];
        $errors = [];
        try {
            $client = new Client('sms', 'C80000001', '8f14e45fceea167a5a36dedd4bea2543', $baseUrl);
            for ($i = 0; $i < $sends; $i++) {
                // A number per worker and send: no two sends share one.
                $mobile = sprintf('139%04d%04d', $w, $i);
                try {
                    $ids[] = $client->send($mobile, $content)->id;
                } catch (Throwable $e) {
                    $errors[] = $e::class . ': ' . $e->getMessage();
                }
            }
        } catch (Throwable $e) {
            $errors[] = $e::class . ': ' . $e->getMessage();
        }
        fwrite($pair[1], json_encode(['ids' => $ids, 'errors' => $errors], JSON_THROW_ON_ERROR));
        fclose($pair[1]);
        exit(0);
    }
    fclose($pair[1]);
    $children[$pid] = $pair[0];
}

$ids = [];
$errors = [];
$statuses = [];
foreach ($children as $pid => $pipe) {
    $part = json_decode((string) stream_get_contents($pipe), true);
    fclose($pipe);
    pcntl_waitpid($pid, $status);
    $statuses[] = pcntl_wifexited($status) ? pcntl_wexitstatus($status) : -1;
    if (!is_array($part)) {
        $errors[] = "worker $pid wrote no result";
        continue;
    }
    array_push($ids, ...$part['ids']);
    array_push($errors, ...$part['errors']);
}
echo json_encode(['ids' => $ids, 'errors' => $errors, 'exit' => $statuses], JSON_THROW_ON_ERROR), "\n";
