<?php

declare(strict_types=1);

namespace Ihuyi\Tests;

use Ihuyi\Client;
use Ihuyi\Exception\ApiException;
use Ihuyi\Exception\ConflictException;
use Ihuyi\Exception\IhuyiException;
use Ihuyi\Exception\OutcomeUnknownException;
use Ihuyi\Ledger;
use Ihuyi\Sandbox;
use Ihuyi\Tests\Support\Http;
use PHPUnit\Framework\TestCase;

/**
 * Ihuyi\Ledger over the C ABI: a repeated key returns the stored result without a request, an
 * unknown outcome is never resent until resolved, a key reused for another message is a conflict.
 */
final class LedgerTest extends TestCase
{
    private const TEMPLATE = '您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】';

    private string $dir;

    protected function setUp(): void
    {
        $this->dir = sys_get_temp_dir() . '/ihuyi-php-ledger-' . bin2hex(random_bytes(6));
        mkdir($this->dir);
    }

    protected function tearDown(): void
    {
        foreach (glob($this->dir . '/*') ?: [] as $f) {
            unlink($f);
        }
        rmdir($this->dir);
    }

    public function testReplayConflictRefusal(): void
    {
        $sandbox = Sandbox::start();
        $ledger = new Ledger($this->dir . '/sends.db');
        $client = $sandbox->client('sms');
        $first = $ledger->sendOnce($client, 'otp/1', '13800138301', self::TEMPLATE);
        $again = $ledger->sendOnce($client, 'otp/1', '13800138301', self::TEMPLATE);
        self::assertSame($first->id, $again->id);
        self::assertSame(1, $sandbox->requestCount());
        self::assertSame('accepted', $ledger->state('otp/1'));
        self::assertNull($ledger->state('never'));

        try {
            $ledger->sendOnce($client, 'otp/1', '13800138301', '您的验证码是:9999。【互亿无线】');
            self::fail('a key reused for other content must be refused');
        } catch (ConflictException $e) {
            self::assertStringContainsString('otp/1', $e->getMessage());
        }
        self::assertSame(1, $sandbox->requestCount());

        $creds = $sandbox->account('sms');
        $bad = new Client('sms', $creds['account'], str_repeat('0', 32), $sandbox->baseUrl);
        $codes = [];
        for ($i = 0; $i < 2; $i++) {
            try {
                $ledger->sendOnce($bad, 'otp/2', '13800138302', self::TEMPLATE);
                self::fail('a wrong key is refused');
            } catch (ApiException $e) {
                $codes[] = $e->getCode();
            }
        }
        self::assertSame($codes[0], $codes[1]);
        self::assertSame(2, $sandbox->requestCount());
        $ledger->close();
        $this->expectException(IhuyiException::class);
        $ledger->state('otp/1');
    }

    public function testUnknownOutcomeIsNeverResent(): void
    {
        $sandbox = Sandbox::start();
        $server = Http::start500();
        $creds = $sandbox->account('sms');
        $broken = new Client('sms', $creds['account'], $creds['apiKey'], $server->baseUrl);
        $ledger = new Ledger($this->dir . '/sends.db');
        try {
            $ledger->sendOnce($broken, 'otp/3', '13800138303', self::TEMPLATE);
            self::fail('HTTP 500 leaves the outcome unknown');
        } catch (OutcomeUnknownException) {
        }
        $server->stop();
        self::assertSame('unknown', $ledger->state('otp/3'));
        $client = $sandbox->client('sms');
        for ($i = 0; $i < 2; $i++) {
            try {
                $ledger->sendOnce($client, 'otp/3', '13800138303', self::TEMPLATE);
                self::fail('an unknown key is never resent');
            } catch (OutcomeUnknownException $e) {
                self::assertStringContainsString('otp/3', $e->getMessage());
            }
        }
        self::assertSame(0, $sandbox->requestCount());
        $ledger->resolveNotSent('otp/3');
        $ledger->sendOnce($client, 'otp/3', '13800138303', self::TEMPLATE);
        self::assertSame(1, $sandbox->requestCount());
        try {
            $ledger->resolveSent('otp/3', '1');
            self::fail('an accepted key cannot be resolved');
        } catch (ConflictException) {
        }
        $ledger->close();
        $sandbox->stop();
    }
}
