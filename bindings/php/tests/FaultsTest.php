<?php

declare(strict_types=1);

namespace Ihuyi\Tests;

use Ihuyi\Client;
use Ihuyi\Exception\IhuyiException;
use Ihuyi\Exception\OutcomeUnknownException;
use Ihuyi\Exception\UnreachableException;
use Ihuyi\Sandbox;
use Ihuyi\Tests\Support\Http;
use PHPUnit\Framework\TestCase;

/**
 * The fault matrix of tests/fixtures/faults.json (the same cases run from Rust, C, Python and
 * Java): each network failure throws the exception of the core's error kind, and the sandbox
 * receives exactly one request per send (the SDK never resends). The sandbox's faults are set
 * through its admin endpoint (POST /_sandbox/faults). The C ABI does not expose the core's
 * reason (timeout, connection_lost...), so neither does PHP: the class and status are checked.
 */
final class FaultsTest extends TestCase
{
    private const TEMPLATE = '您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】';

    /** The exception class and C status for each kind the fixture names. */
    private const KINDS = [
        'outcome_unknown' => [OutcomeUnknownException::class, 'IHUYI_ERR_OUTCOME_UNKNOWN'],
        'unreachable' => [UnreachableException::class, 'IHUYI_ERR_UNREACHABLE'],
    ];

    private static Sandbox $sandbox;

    /** @var array<string, mixed>|null */
    private static ?array $matrix = null;

    /** @return array<string, mixed> tests/fixtures/faults.json */
    private static function matrix(): array
    {
        if (self::$matrix === null) {
            $path = dirname(__DIR__, 3) . '/tests/fixtures/faults.json';
            self::$matrix = json_decode((string) file_get_contents($path), true, 512, JSON_THROW_ON_ERROR);
        }
        return self::$matrix;
    }

    public static function setUpBeforeClass(): void
    {
        self::$sandbox = Sandbox::start();
        $faults = array_map(static fn (array $case): array => $case['fault'], self::matrix()['sandbox']);
        [$status] = self::admin('POST', '/_sandbox/faults', json_encode($faults, JSON_THROW_ON_ERROR));
        self::assertSame(200, $status);
    }

    public static function tearDownAfterClass(): void
    {
        self::$sandbox->stop();
    }

    /** @return array<string, array{array<string, mixed>}> */
    public static function sandboxFaults(): array
    {
        $out = [];
        foreach (self::matrix()['sandbox'] as $case) {
            $out[$case['fault']['action']] = [$case];
        }
        self::assertCount(6, $out);
        return $out;
    }

    /**
     * @dataProvider sandboxFaults
     *
     * @param array<string, mixed> $case
     */
    public function testEachSandboxFaultHasItsKindWithOneRequestPerSend(array $case): void
    {
        $good = self::matrix()['good_mobile'];
        $mobile = $case['fault']['mobile'];
        $ms = $case['timeout_ms'];
        $key = self::$sandbox->account('sms')['apiKey'];
        $client = self::$sandbox->client('sms', connectTimeoutMs: $ms, sendTimeoutMs: $ms, responseTimeoutMs: $ms);
        // A good send first: the faulted one travels on its pooled keep-alive connection (a
        // client resending on a broken pooled connection would show as a second request).
        $client->send($good, self::TEMPLATE);
        $before = self::$sandbox->requestCount();

        $e = self::sendFails($client, $mobile, $case['kind']);
        self::assertStringNotContainsString($key, (string) $e);
        if (isset($case['http_status'])) {
            self::assertStringContainsString((string) $case['http_status'], $e->getMessage());
        }
        self::assertSame($before + 1, self::$sandbox->requestCount(), 'one request for one send');

        // A good send right after works: the broken connection is not reused.
        self::assertMatchesRegularExpression('/^\d{20}$/', $client->send($good, self::TEMPLATE)->id);
        usleep(self::matrix()['settle_ms'] * 1000); // a delayed or dripping answer finishes on the server
        self::assertSame($before + 2, self::$sandbox->requestCount(), 'no resend, even late');

        [$status, $body] = self::admin('GET', '/_sandbox/requests');
        self::assertSame(200, $status);
        $hits = array_values(array_filter(
            json_decode($body, true, 512, JSON_THROW_ON_ERROR),
            static fn (array $r): bool => in_array(['mobile', $mobile], $r['fields'], true),
        ));
        self::assertCount(1, $hits, 'exactly one request to the faulted number');
        self::assertSame($case['fault']['action'], $hits[0]['fault']);
        self::assertSame('Submit', $hits[0]['method']);
    }

    /** @return array<string, array{array<string, mixed>}> */
    public static function unreachableCases(): array
    {
        $out = [];
        foreach (self::matrix()['unreachable'] as $case) {
            $out[$case['name']] = [$case];
        }
        self::assertCount(3, $out);
        return $out;
    }

    /**
     * @dataProvider unreachableCases
     *
     * @param array<string, mixed> $case
     */
    public function testEachUnreachableCaseIsUnreachable(array $case): void
    {
        $held = [];
        $baseUrl = match ($case['target']) {
            'closed_port' => 'http://127.0.0.1:' . Http::freePort(),
            'full_backlog' => 'http://127.0.0.1:' . self::fullBacklog($held),
            default => $case['target'],
        };
        try {
            $key = 'deadbeefdeadbeefdeadbeefdeadbeef';
            $ms = $case['timeout_ms'];
            $client = new Client('sms', 'C80000001', $key, $baseUrl, connectTimeoutMs: $ms, sendTimeoutMs: $ms, responseTimeoutMs: $ms);
            $started = hrtime(true);
            $e = self::sendFails($client, $case['mobile'], $case['kind']);
            $elapsedMs = (hrtime(true) - $started) / 1e6;
            self::assertStringContainsString($case['message_contains'], $e->getMessage());
            self::assertStringNotContainsString($key, (string) $e);
            if (isset($case['within_ms'])) {
                self::assertLessThan($case['within_ms'], $elapsedMs);
            }
        } finally {
            foreach ($held as $socket) {
                fclose($socket);
            }
        }
    }

    /** Sends once, expecting the exception of `$kind`; returns it. */
    private static function sendFails(Client $client, string $mobile, string $kind): IhuyiException
    {
        [$class, $status] = self::KINDS[$kind];
        try {
            $client->send($mobile, self::TEMPLATE);
        } catch (IhuyiException $e) {
            self::assertSame($class, $e::class, $e->getMessage());
            self::assertSame($status, $e->status);
            return $e;
        }
        self::fail("expected $class");
    }

    /**
     * A loopback listener (backlog 0) that never accepts, its accept queue filled: the kernel
     * drops further connection attempts, so a connect hangs until the client's timeout, before
     * any request byte is written. Returns its port; `$held` gets the listener and the queued
     * connections, to close afterwards.
     *
     * @param list<resource> $held
     */
    private static function fullBacklog(array &$held): int
    {
        $context = stream_context_create(['socket' => ['backlog' => 0]]);
        $listener = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $context);
        self::assertNotFalse($listener, $errstr);
        $held[] = $listener;
        $name = (string) stream_socket_get_name($listener, false);
        $port = (int) substr($name, strrpos($name, ':') + 1);
        for ($i = 0; $i < 1000; $i++) {
            $conn = @stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 0.2);
            if ($conn === false) {
                return $port; // this one timed out: the queue is full
            }
            $held[] = $conn;
        }
        self::fail('the accept queue never filled');
    }

    /**
     * One request to the sandbox's admin endpoint.
     *
     * @return array{0: int, 1: string} the HTTP status and the body
     */
    private static function admin(string $method, string $path, string $json = ''): array
    {
        $context = stream_context_create(['http' => [
            'method' => $method,
            'header' => "Content-Type: application/json\r\n",
            'content' => $json,
            'ignore_errors' => true,
            'timeout' => 5,
        ]]);
        $body = file_get_contents(self::$sandbox->baseUrl . $path, false, $context);
        self::assertNotFalse($body, "$method $path");
        /** @var list<string> $http_response_header */
        preg_match('#^HTTP/\S+ (\d{3})#', $http_response_header[0], $m);
        return [(int) $m[1], $body];
    }
}
