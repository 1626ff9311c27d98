<?php

declare(strict_types=1);

namespace Ihuyi\Tests;

use Ihuyi\Sandbox;
use Ihuyi\Tests\Support\Http;
use PHPUnit\Framework\TestCase;

/**
 * PHP has no threads: its concurrency is processes (PHP-FPM workers). 8 forked processes × 250
 * sends, each process with its own client, all to one sandbox: no error, every id distinct,
 * exactly one request per send.
 */
final class ProcessesTest extends TestCase
{
    private const WORKERS = 8;
    private const SENDS = 250;

    public function testForkedProcessesEachWithItsOwnClientShareOneSandbox(): void
    {
        $sandbox = Sandbox::start();
        try {
            $client = $sandbox->client('sms');
            $balance = $client->balance();
            $sandbox->reset();
            [$rc, $out] = Http::run([PHP_BINARY, __DIR__ . '/Support/fork_sends.php', $sandbox->baseUrl, (string) self::WORKERS, (string) self::SENDS]);
            self::assertSame(0, $rc, $out);
            $result = json_decode($out, true, 512, JSON_THROW_ON_ERROR);

            self::assertSame([], $result['errors']);
            self::assertSame(array_fill(0, self::WORKERS, 0), $result['exit']);
            $ids = $result['ids'];
            self::assertCount(self::WORKERS * self::SENDS, $ids);
            self::assertCount(count($ids), array_unique($ids), 'every id distinct');
            foreach ($ids as $id) {
                self::assertMatchesRegularExpression('/^\d{20}$/', $id);
            }
            self::assertSame(self::WORKERS * self::SENDS, $sandbox->requestCount(), 'one request per send');
            self::assertSame($balance - self::WORKERS * self::SENDS, $client->balance());
        } finally {
            $sandbox->stop();
        }
    }
}
