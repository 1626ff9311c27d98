<?php

declare(strict_types=1);

namespace Ihuyi\Tests;

use Ihuyi\Client;
use Ihuyi\Exception\ApiException;
use Ihuyi\Exception\IhuyiException;
use Ihuyi\Exception\OutcomeUnknownException;
use Ihuyi\Exception\UnreachableException;
use Ihuyi\Exception\ValidationException;
use Ihuyi\Sandbox;
use Ihuyi\Tests\Support\Http;
use PHPUnit\Framework\TestCase;

/** Client against the library's sandbox: the three products and every exception kind. */
final class ClientTest extends TestCase
{
    private const TEMPLATE = '您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】';

    private static Sandbox $sandbox;

    public static function setUpBeforeClass(): void
    {
        self::$sandbox = Sandbox::start();
    }

    public static function tearDownAfterClass(): void
    {
        self::$sandbox->stop();
    }

    /** @return array<string, array{string, string, string}> */
    public static function products(): array
    {
        return [
            'domestic SMS' => ['sms', '13800138000', self::TEMPLATE],
            'voice code' => ['voice', '13912345678', '482193'],
            'international SMS' => ['isms', '63 9171234567', 'Your code is 5512'],
        ];
    }

    /** @dataProvider products */
    public function testSendsAndChargesEachProduct(string $product, string $mobile, string $content): void
    {
        $client = self::$sandbox->client($product);
        $before = $client->balance();
        $first = $client->send($mobile, $content);
        $second = $client->send($mobile, $content);
        self::assertMatchesRegularExpression('/^\d{20}$/', $first->id);
        self::assertNotSame($first->id, $second->id);
        self::assertSame($product, $first->product);
        self::assertSame($mobile, $first->mobile);
        self::assertSame($before - 2, $client->balance());
    }

    /** @dataProvider products */
    public function testJsonAnswersAndPlainPasswords(string $product, string $mobile, string $content): void
    {
        $client = self::$sandbox->client($product, format: 'json', passwordMode: 'plain', connectTimeoutMs: 2000);
        self::assertMatchesRegularExpression('/^\d{20}$/', $client->send($mobile, $content)->id);
        self::assertGreaterThan(0, $client->balance());
    }

    /** @return array<string, array{string, string, string}> */
    public static function invalidSends(): array
    {
        return [
            'sms: short mobile' => ['sms', '123', self::TEMPLATE],
            'sms: empty content' => ['sms', '13800138000', ''],
            'voice: letters' => ['voice', '13800138000', 'abcd'],
            'voice: too long a code' => ['voice', '13800138000', '1234567'],
            'isms: no country code' => ['isms', '9171234567', 'hi'],
            'NUL byte in content' => ['sms', '13800138000', "hi\0there"],
            'NUL byte in mobile' => ['sms', "13800138000\0", 'hi'],
            'invalid UTF-8' => ['sms', '13800138000', "\xff\xfe"],
            'huge content' => ['sms', '13800138000', str_repeat('a', 70_000)],
        ];
    }

    /** @dataProvider invalidSends */
    public function testInvalidInputIsRefusedLocally(string $product, string $mobile, string $content): void
    {
        $client = self::$sandbox->client($product);
        $before = self::$sandbox->requestCount();
        try {
            $client->send($mobile, $content);
            self::fail('expected a ValidationException');
        } catch (ValidationException $e) {
            self::assertNotSame('', $e->getMessage());
        }
        self::assertSame($before, self::$sandbox->requestCount(), 'nothing may reach the server');
    }

    public function testInvalidSettingsAreRefused(): void
    {
        $cases = [
            'unknown product' => fn () => new Client('fax', 'C80000001', 'k'),
            'empty account' => fn () => new Client('sms', '', 'k'),
            'empty key' => fn () => new Client('sms', 'C80000001', ''),
            'bad base URL' => fn () => new Client('sms', 'C80000001', 'k', 'not a url'),
            'bad format' => fn () => new Client('sms', 'C80000001', 'k', format: 'yaml'),
            'bad password mode' => fn () => new Client('sms', 'C80000001', 'k', passwordMode: 'md5'),
            'zero timeout' => fn () => new Client('sms', 'C80000001', 'k', connectTimeoutMs: 0),
            'negative timeout' => fn () => new Client('sms', 'C80000001', 'k', responseTimeoutMs: -1),
        ];
        foreach ($cases as $name => $make) {
            try {
                $make();
                self::fail("$name: expected a ValidationException");
            } catch (ValidationException $e) {
                self::assertNotSame('', $e->getMessage(), $name);
            }
        }
    }

    public function testWrongKeyIsAnAuthRefusal(): void
    {
        $account = self::$sandbox->account('sms')['account'];
        $client = new Client('sms', $account, 'ffffffffffffffffffffffffffffffff', self::$sandbox->baseUrl);
        try {
            $client->send('13800138000', self::TEMPLATE);
            self::fail('expected an ApiException');
        } catch (ApiException $e) {
            self::assertSame(40502, $e->resultCode);
            self::assertSame(40502, $e->getCode());
            self::assertSame('动态密码校验失败', $e->apiMessage);
            self::assertSame('auth', $e->kind);
            self::assertSame('IHUYI_ERR_API', $e->status);
        }
    }

    public function testUnknownAccountIsRefusedWithTheProductsOwnMessage(): void
    {
        $client = new Client('voice', 'V00000000', 'k', self::$sandbox->baseUrl);
        try {
            $client->balance();
            self::fail('expected an ApiException');
        } catch (ApiException $e) {
            self::assertSame(405, $e->getResultCode());
            self::assertSame('用户名或密码不正确', $e->getApiMessage());
            self::assertSame('auth', $e->getKind());
        }
    }

    public function testClosedPortIsUnreachable(): void
    {
        $client = new Client('sms', 'C80000001', 'k', 'http://127.0.0.1:' . Http::freePort(), connectTimeoutMs: 2000);
        try {
            $client->send('13800138000', self::TEMPLATE);
            self::fail('expected an UnreachableException');
        } catch (UnreachableException $e) {
            self::assertSame('IHUYI_ERR_UNREACHABLE', $e->status);
        }
        $this->expectException(UnreachableException::class);
        $client->balance();
    }

    public function testHttp500IsOutcomeUnknown(): void
    {
        $server = Http::start500();
        try {
            $client = new Client('sms', 'C80000001', 'k', $server->baseUrl);
            try {
                $client->send('13800138000', self::TEMPLATE);
                self::fail('expected an OutcomeUnknownException');
            } catch (OutcomeUnknownException $e) {
                self::assertStringContainsString('500', $e->getMessage());
                self::assertSame('IHUYI_ERR_OUTCOME_UNKNOWN', $e->status);
            }
            $this->expectException(OutcomeUnknownException::class);
            $client->balance();
        } finally {
            $server->stop();
        }
    }

    public function testTheKeyNeverShows(): void
    {
        $key = 'deadbeefdeadbeefdeadbeefdeadbeef';
        ini_set('zend.exception_ignore_args', '0');
        $server = Http::start500();
        try {
            $clients = [
                new Client('sms', 'C80000001', $key, self::$sandbox->baseUrl),
                new Client('sms', 'C80000001', $key, 'http://127.0.0.1:' . Http::freePort()),
                new Client('sms', 'C80000001', $key, $server->baseUrl),
            ];
            $seen = [];
            foreach ($clients as $client) {
                foreach (['13800138000', '1'] as $mobile) {
                    try {
                        $client->send($mobile, self::TEMPLATE);
                        self::fail('expected a failure');
                    } catch (IhuyiException $e) {
                        $seen[get_class($e)] = true;
                        self::assertStringNotContainsString($key, (string) $e);
                        self::assertStringNotContainsString($key, print_r($e->getTrace(), true));
                    }
                }
                self::assertStringNotContainsString($key, print_r($client, true));
                self::assertStringNotContainsString($key, var_export($client, true));
                ob_start();
                var_dump($client);
                self::assertStringNotContainsString($key, (string) ob_get_clean());
            }
            self::assertCount(4, $seen, 'api, validation, unreachable and outcome-unknown failures were all checked');
            try {
                new Client('sms', '', $key);
                self::fail('expected a ValidationException');
            } catch (ValidationException $e) {
                self::assertStringNotContainsString($key, (string) $e);
            }
        } finally {
            ini_restore('zend.exception_ignore_args');
            $server->stop();
        }
    }

    public function testAClosedClientRefusesToSend(): void
    {
        $client = self::$sandbox->client('sms');
        $client->close();
        $client->close();
        self::assertTrue($client->isClosed());
        $this->expectException(IhuyiException::class);
        $this->expectExceptionMessage('closed');
        $client->send('13800138000', self::TEMPLATE);
    }

    public function testAClientCannotBeClonedOrSerialized(): void
    {
        $client = self::$sandbox->client('sms');
        try {
            $copy = clone $client;
            self::fail('clone must be refused');
        } catch (\Error $e) {
            self::assertStringContainsString('__clone', $e->getMessage());
        }
        $this->expectException(\LogicException::class);
        serialize($client);
    }

    public function testAPanicInTheLibraryIsAnException(): void
    {
        $ffi = \Ihuyi\Library::ffi();
        try {
            \Ihuyi\Internal\Native::check($ffi, $ffi->ihuyi_selftest_panic(), 'selftest');
            self::fail('expected an IhuyiException');
        } catch (IhuyiException $e) {
            self::assertSame(IhuyiException::class, get_class($e));
            self::assertSame('IHUYI_ERR_PANIC', $e->status);
            self::assertStringContainsString('deliberate panic', $e->getMessage());
        }
    }

    /**
     * Native memory stays flat over thousands of calls on the success and error paths: every
     * string the library hands out is released, every handle freed. Measured with glibc's
     * mallinfo2() (the library allocates through malloc; PHP's own allocator does not): clean
     * code leaves it unchanged, a leak of one string per round grows each window by ~0.5 MB.
     */
    public function testCallsLeakNoNativeMemory(): void
    {
        $libc = \FFI::cdef('typedef struct { size_t f[10]; } ihuyi_test_mallinfo2; ihuyi_test_mallinfo2 mallinfo2(void);', 'libc.so.6');
        $allocated = static function () use ($libc): int {
            $info = $libc->mallinfo2();
            return $info->f[7] + $info->f[4]; // uordblks + hblkhd
        };
        $client = self::$sandbox->client('sms');
        $deduper = new \Ihuyi\ReceiptDeduper();
        $seen = \Ihuyi\Receipt::parse('smsid=1&code=2');
        $round = static function () use ($client, $deduper, $seen): void {
            try {
                $client->send('1', 'x');
            } catch (ValidationException) {
            }
            try {
                \Ihuyi\Protocol::submitOutcome('sms', 500, 'oops');
            } catch (OutcomeUnknownException) {
            }
            try {
                \Ihuyi\Protocol::submitOutcome('sms', 200, '<SubmitResult><code>4051</code><msg>剩余条数不足</msg><smsid>0</smsid></SubmitResult>');
            } catch (ApiException) {
            }
            try {
                \Ihuyi\Receipt::parse('code=2');
            } catch (ValidationException) {
            }
            \Ihuyi\Protocol::submitOutcome('sms', 200, '<SubmitResult><code>2</code><msg>ok</msg><smsid>1</smsid></SubmitResult>');
            \Ihuyi\Receipt::parse('smsid=1&code=2&channel=9')->field('channel');
            $deduper->firstSeen($seen);
            \Ihuyi\Protocol::submitPassword('a', 'k', '13800138000', 'x', 1);
        };
        for ($i = 0; $i < 2000; $i++) {
            $round();
        }
        $windows = [];
        for ($w = 0; $w < 4; $w++) {
            $before = $allocated();
            for ($i = 0; $i < 2000; $i++) {
                $round();
            }
            $windows[] = $allocated() - $before;
        }
        $grown = count(array_filter($windows, static fn (int $w): bool => $w >= 64 * 1024));
        self::assertLessThanOrEqual(1, $grown, 'malloc\'d memory grew by >= 64 KiB in most windows of 2000 rounds: ' . implode(', ', $windows));
    }
}
