<?php

declare(strict_types=1);

namespace Ihuyi\Tests;

use Ihuyi\Exception\ApiException;
use Ihuyi\Exception\OutcomeUnknownException;
use Ihuyi\Exception\ValidationException;
use Ihuyi\Protocol;
use Ihuyi\Receipt;
use PHPUnit\Framework\TestCase;

/** The shared fixtures (tests/fixtures/*.json) through the C ABI's pure functions. */
final class FixturesTest extends TestCase
{
    /** @return list<array<string, mixed>> */
    private static function cases(string $file): array
    {
        $path = dirname(__DIR__, 3) . "/tests/fixtures/$file.json";
        $data = json_decode((string) file_get_contents($path), true, 512, JSON_THROW_ON_ERROR);
        self::assertNotEmpty($data['cases']);
        return $data['cases'];
    }

    /** @return array<string, array{array<string, mixed>}> */
    private static function named(string $file): array
    {
        $out = [];
        foreach (self::cases($file) as $case) {
            $out[$case['name']] = [$case];
        }
        return $out;
    }

    /** @return array<string, array{array<string, mixed>}> */
    public static function signing(): array
    {
        return self::named('signing');
    }

    /** @return array<string, array{array<string, mixed>}> */
    public static function responses(): array
    {
        return self::named('responses');
    }

    /** @return array<string, array{array<string, mixed>}> */
    public static function receipts(): array
    {
        return self::named('receipts');
    }

    /**
     * @dataProvider signing
     * @param array<string, mixed> $case
     */
    public function testSigning(array $case): void
    {
        $password = $case['method'] === 'Submit'
            ? Protocol::submitPassword($case['account'], $case['apikey'], $case['mobile'], $case['content'], $case['time'])
            : Protocol::getNumPassword($case['account'], $case['apikey'], $case['time']);
        self::assertSame($case['password'], $password);
        self::assertSame(md5($case['hashed']), $password, 'the vector itself is consistent');
    }

    /**
     * @dataProvider responses
     * @param array<string, mixed> $case
     */
    public function testResponses(array $case): void
    {
        $expect = $case['expect'];
        $submit = $case['method'] === 'Submit';
        try {
            $answer = $submit
                ? Protocol::submitOutcome($case['product'], $case['status'], $case['body'])
                : Protocol::getNumOutcome($case['product'], $case['status'], $case['body']);
            self::assertSame('ok', $expect['outcome'], 'accepted, but expected ' . $expect['outcome']);
            self::assertSame($expect['msg'], $answer['msg']);
            if ($submit) {
                self::assertSame($expect['id'], $answer['id']);
            } else {
                self::assertSame($expect['num'], $answer['num']);
            }
        } catch (ApiException $e) {
            self::assertSame('api', $expect['outcome'], 'refused: ' . $e->getMessage());
            self::assertSame($expect['code'], $e->resultCode);
            self::assertSame($expect['msg'], $e->apiMessage);
            self::assertSame($expect['class'], $e->kind);
        } catch (OutcomeUnknownException $e) {
            self::assertSame('outcome_unknown', $expect['outcome'], 'outcome unknown: ' . $e->getMessage());
        }
    }

    /**
     * @dataProvider receipts
     * @param array<string, mixed> $case
     */
    public function testReceipts(array $case): void
    {
        $expect = $case['expect'];
        if (!$expect['ok']) {
            $this->expectException(ValidationException::class);
            Receipt::parse($case['body']);
            return;
        }
        $receipt = Receipt::parse($case['body']);
        self::assertSame($expect['id'], $receipt->id);
        self::assertSame($expect['product'], $receipt->product);
        self::assertSame($expect['code'], $receipt->code);
        self::assertSame($expect['delivered'], $receipt->delivered);
        self::assertSame($expect['mobile'], $receipt->mobile);
        self::assertSame($expect['time'], $receipt->time);
        self::assertSame($expect['msg'], $receipt->msg);
        foreach ($expect['extra'] ?? [] as $name => $value) {
            self::assertSame($value, $receipt->field($name));
        }
        self::assertNull($receipt->field('no-such-field'));
    }

    public function testRepeatedPushesAreSeenOnce(): void
    {
        $deduper = new \Ihuyi\ReceiptDeduper();
        $body = 'code=2&msg=DELIVRD&mobilephone=13800138000&smsid=16842079209571524017';
        self::assertTrue($deduper->firstSeen(Receipt::parse($body)));
        self::assertFalse($deduper->firstSeen(Receipt::parse($body)));
        self::assertFalse($deduper->firstSeen(Receipt::parse($body . '&report_time=later')));
        self::assertTrue($deduper->firstSeen(Receipt::parse('voiceid=16842079209571524017&code=2')), 'another product');
        self::assertTrue($deduper->firstSeen(Receipt::parse('smsid=2&code=2')));
        $deduper->close();
        $deduper->close();
        $this->expectException(\Ihuyi\Exception\IhuyiException::class);
        $deduper->firstSeen(Receipt::parse($body));
    }

    public function testJsonReceiptAndNulByte(): void
    {
        $receipt = Receipt::parse('{"smsid":"42","code":2,"msg":"DELIVRD"}');
        self::assertSame('42', $receipt->id);
        self::assertTrue($receipt->delivered);
        $this->expectException(ValidationException::class);
        Receipt::parse('smsid=1&msg=a%00b');
    }
}
