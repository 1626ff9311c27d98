<?php

declare(strict_types=1);

namespace Ihuyi\Tests;

use Ihuyi\Exception\IhuyiException;
use Ihuyi\Exception\ValidationException;
use Ihuyi\Sandbox;
use Ihuyi\Tests\Support\Http;
use PHPUnit\Framework\TestCase;

/** The sandbox through the C ABI, and the example that uses it. */
final class SandboxTest extends TestCase
{
    public function testAccountsLogAndReset(): void
    {
        $sandbox = Sandbox::start();
        self::assertMatchesRegularExpression('#^http://127\.0\.0\.1:\d+$#', $sandbox->baseUrl);
        self::assertSame('http://127.0.0.1:' . $sandbox->port(), $sandbox->baseUrl);
        self::assertSame(['account' => 'C80000001', 'apiKey' => '8f14e45fceea167a5a36dedd4bea2543'], $sandbox->account('sms'));
        self::assertSame(['account' => 'V80000001', 'apiKey' => 'c9f0f895fb98ab9159f51fd0297e236d'], $sandbox->account('voice'));
        self::assertSame(['account' => 'I80000001', 'apiKey' => '45c48cce2e2d7fbdea1afc51c7c6ad26'], $sandbox->account('isms'));

        $client = $sandbox->client('voice');
        $start = $client->balance();
        $client->send('13800138000', '1234');
        self::assertSame(2, $sandbox->requestCount());
        self::assertSame($start - 1, $client->balance());
        $sandbox->reset();
        self::assertSame(0, $sandbox->requestCount());
        self::assertSame($start, $client->balance());

        $sandbox->stop();
        $sandbox->stop();
        $this->expectException(IhuyiException::class);
        $sandbox->requestCount();
    }

    public function testUnknownProductAndBusyPort(): void
    {
        $sandbox = Sandbox::start();
        try {
            $sandbox->account('fax');
            self::fail('expected a ValidationException');
        } catch (ValidationException) {
            $this->addToAssertionCount(1);
        }
        try {
            Sandbox::start($sandbox->port());
            self::fail('a busy port must fail');
        } catch (IhuyiException $e) {
            self::assertSame('IHUYI_ERR_IO', $e->status);
        }
    }

    public function testTheExampleRunsAgainstTheSandbox(): void
    {
        $example = dirname(__DIR__, 3) . '/examples/php/send_sms.php';
        [$rc, $out] = Http::run([PHP_BINARY, $example, '13800138000'], ['IHUYI_ACCOUNT' => '']);
        self::assertSame(0, $rc, $out);
        self::assertMatchesRegularExpression('/sent: id \d{20}/', $out);
        self::assertMatchesRegularExpression('/balance: \d+/', $out);
    }
}
