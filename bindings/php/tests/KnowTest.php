<?php

declare(strict_types=1);

namespace Ihuyi\Tests;

use Ihuyi\Client;
use Ihuyi\Estimate;
use Ihuyi\Exception\IhuyiException;
use Ihuyi\Exception\ValidationException;
use Ihuyi\FrequencyGuard;
use Ihuyi\Sandbox;
use PHPUnit\Framework\TestCase;

/**
 * Knowing before sending: the estimate and normalization against the shared fixtures
 * (tests/fixtures/estimate.json, normalize.json), strict numbers, and the frequency guard
 * refusing before the sandbox would.
 */
final class KnowTest extends TestCase
{
    private const TEMPLATE = '您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】';

    /** @return list<array<string, mixed>> */
    private static function cases(string $file): array
    {
        $path = dirname(__DIR__, 3) . "/tests/fixtures/$file.json";
        $data = json_decode((string) file_get_contents($path), true, 512, JSON_THROW_ON_ERROR);
        self::assertNotEmpty($data['cases']);
        return $data['cases'];
    }

    /** @return array<string, array{array<string, mixed>}> */
    public static function estimates(): array
    {
        $out = [];
        foreach (self::cases('estimate') as $case) {
            $out[$case['name']] = [$case];
        }
        return $out;
    }

    /** @return array<string, array{array<string, mixed>}> */
    public static function numbers(): array
    {
        $out = [];
        foreach (self::cases('normalize') as $case) {
            $out[$case['product'] . ' ' . $case['input']] = [$case];
        }
        return $out;
    }

    /**
     * @dataProvider estimates
     * @param array<string, mixed> $case
     */
    public function testEstimateFixture(array $case): void
    {
        $e = Estimate::of($case['product'], $case['content'], $case['signature'], $case['rule']);
        $want = $case['expected'];
        self::assertSame($want['message'], $e->message);
        self::assertSame($want['characters'], $e->characters);
        self::assertSame($want['segments'], $e->segments);
        self::assertSame($case['product'] === 'voice' ? null : $case['rule'], $e->rule);
        $kinds = array_column($e->warnings, 'kind');
        $codes = array_map(static fn (array $w): int => $w['code'] ?? -1, $e->warnings);
        $wantKinds = $want['kinds'];
        $wantCodes = array_map(static fn (?int $c): int => $c ?? -1, $want['codes']);
        sort($kinds);
        sort($codes);
        sort($wantKinds);
        sort($wantCodes);
        self::assertSame($wantKinds, $kinds);
        self::assertSame($wantCodes, $codes);
        self::assertSame(count(array_filter($wantCodes, static fn (int $c): bool => $c >= 0)) === 0, $e->acceptable);
        foreach ($e->warnings as $w) {
            self::assertNotSame('', $w['message']);
        }
    }

    public function testEstimateArguments(): void
    {
        $e = Estimate::of('SMS', '您的验证码是:1234。', '互亿无线', '70/66');
        self::assertTrue($e->signatureAdded);
        self::assertStringEndsWith('【互亿无线】', $e->message);
        self::assertSame('70/66', $e->rule);
        self::assertSame('sms', $e->product);
        $this->expectException(ValidationException::class);
        Estimate::of('sms', 'x', null, '70/65');
    }

    /**
     * @dataProvider numbers
     * @param array<string, mixed> $case
     */
    public function testNormalizeFixture(array $case): void
    {
        if (array_key_exists('expected', $case)) {
            self::assertSame($case['expected'], Client::normalizeMobile($case['product'], $case['input']));
            return;
        }
        self::assertSame('validation', $case['error']['kind']);
        try {
            Client::normalizeMobile($case['product'], $case['input']);
            self::fail('expected a ValidationException');
        } catch (ValidationException $e) {
            self::assertStringContainsString($case['error']['contains'], $e->getMessage());
            self::assertStringContainsString($case['error']['field'], $e->getMessage());
        }
    }

    public function testSendNormalizesUnlessStrict(): void
    {
        $sandbox = Sandbox::start();
        $loose = $sandbox->client('sms');
        $strict = $sandbox->client('sms', strictMobile: true);
        $loose->send('+86 138-0013-8991', self::TEMPLATE);
        try {
            $strict->send('+86 138-0013-8991', self::TEMPLATE);
            self::fail('strict mode must refuse');
        } catch (ValidationException $e) {
            self::assertStringContainsString('13800138991', $e->getMessage());
        }
        self::assertSame(1, $sandbox->requestCount());
        $strict->send('13800138991', self::TEMPLATE);
        self::assertSame(2, $sandbox->requestCount());
        $sandbox->stop();
    }

    public function testFrequencyGuardRefusesLocally(): void
    {
        $sandbox = Sandbox::start();
        $guard = new FrequencyGuard(perSecond: null, perDay: 2, codesPerDay: null);
        $a = $sandbox->client('sms', frequencyGuard: $guard);
        $b = $sandbox->client('sms', frequencyGuard: $guard);
        $guard->close(); // the clients keep it, and share its counts
        $a->send('13800138992', self::TEMPLATE);
        $b->send('13800138992', self::TEMPLATE);
        foreach ([[$a, '+86 13800138992'], [$b, '13800138992']] as [$client, $mobile]) {
            try {
                $client->send($mobile, self::TEMPLATE);
                self::fail('the guard must refuse the third send');
            } catch (ValidationException $e) {
                self::assertStringContainsString('4082', $e->getMessage());
            }
        }
        $b->send('13800138993', self::TEMPLATE);
        self::assertSame(3, $sandbox->requestCount());
        $sandbox->stop();

        try {
            new FrequencyGuard(perDay: -1);
            self::fail('a negative limit must be refused');
        } catch (ValidationException) {
        }
        $this->expectException(IhuyiException::class);
        $sandbox2 = Sandbox::start();
        try {
            $sandbox2->client('sms', frequencyGuard: $guard);
        } finally {
            $sandbox2->stop();
        }
    }
}
