<?php

declare(strict_types=1);

namespace Ihuyi\Tests;

use Ihuyi\Exception\IhuyiException;
use Ihuyi\Library;
use Ihuyi\Tests\Support\Http;
use PHPUnit\Framework\TestCase;

/** The loader: where it looks, what it says when it fails, the version check. */
final class LibraryTest extends TestCase
{
    public function testLoadsTheMatchingVersion(): void
    {
        self::assertSame(Library::VERSION, Library::version());
        self::assertNotNull(Library::path());
        self::assertSame(Library::ffi(), Library::load(), 'the FFI object is cached');
        self::assertSame(Library::ffi(), Library::load(Library::path()));
    }

    public function testASecondLibraryIsRefused(): void
    {
        $this->expectException(IhuyiException::class);
        $this->expectExceptionMessage('already loaded');
        Library::load('/elsewhere/libihuyi.so');
    }

    public function testAMismatchedVersionIsRefused(): void
    {
        try {
            Library::checkVersion('9.9.9', '0.1.0', '/x/libihuyi.so');
            self::fail('expected an IhuyiException');
        } catch (IhuyiException $e) {
            self::assertStringContainsString('9.9.9', $e->getMessage());
            self::assertStringContainsString('0.1.0', $e->getMessage());
            self::assertStringContainsString('/x/libihuyi.so', $e->getMessage());
        }
        Library::checkVersion('0.1.0', '0.1.0', '/x/libihuyi.so');
        $this->addToAssertionCount(1);
    }

    public function testTheDefaultSearchOrder(): void
    {
        $root = dirname(__DIR__, 3);
        $saved = getenv('IHUYI_LIB');
        putenv('IHUYI_LIB');
        try {
            self::assertSame(
                ["$root/target/debug/libihuyi.so", "$root/target/release/libihuyi.so", 'libihuyi.so'],
                Library::candidates(),
            );
            putenv('IHUYI_LIB=/opt/lib/libihuyi.so');
            self::assertSame(['/opt/lib/libihuyi.so'], Library::candidates());
            self::assertSame(['/mine.so'], Library::candidates('/mine.so'));
        } finally {
            putenv($saved === false ? 'IHUYI_LIB' : "IHUYI_LIB=$saved");
        }
    }

    public function testAMissingLibraryListsWhatWasTried(): void
    {
        [$rc, $out] = Http::php('Ihuyi\Library::load("/nonexistent/libihuyi.so");');
        self::assertNotSame(0, $rc);
        self::assertStringContainsString('/nonexistent/libihuyi.so (no such file)', $out);
        self::assertStringContainsString('IHUYI_LIB', $out, 'the message says how to fix it');

        [$rc, $out] = Http::php('Ihuyi\Library::ffi();', ['IHUYI_LIB' => '/tmp/none/libihuyi.so']);
        self::assertNotSame(0, $rc);
        self::assertStringContainsString('/tmp/none/libihuyi.so (no such file)', $out);

        $notALibrary = tempnam(sys_get_temp_dir(), 'ihuyi');
        file_put_contents($notALibrary, 'not an ELF file');
        try {
            [$rc, $out] = Http::php('Ihuyi\Library::ffi();', ['IHUYI_LIB' => $notALibrary]);
            self::assertNotSame(0, $rc);
            self::assertStringContainsString($notALibrary . ' (', $out);
        } finally {
            unlink($notALibrary);
        }
    }

    public function testIhuyiLibIsHonoured(): void
    {
        $path = (string) Library::path();
        [$rc, $out] = Http::php('echo Ihuyi\Library::version(), " ", Ihuyi\Library::path();', ['IHUYI_LIB' => $path]);
        self::assertSame(0, $rc, $out);
        self::assertSame(Library::VERSION . ' ' . $path, $out);
    }

    public function testTheBuiltInWebServerNeedsFfiEnable(): void
    {
        $router = __DIR__ . '/Support/router_version.php';
        foreach (['preload' => 'error PHP FFI is not allowed here', '1' => 'version ' . Library::VERSION] as $setting => $expected) {
            $server = Http::serve($router, ['-d', "ffi.enable=$setting"]);
            try {
                $page = (string) file_get_contents($server->baseUrl . '/');
                self::assertStringStartsWith($expected, $page, "ffi.enable=$setting");
            } finally {
                $server->stop();
            }
        }
    }

    public function testFfiDisabledIsExplained(): void
    {
        [$rc, $out] = Http::php('Ihuyi\Library::ffi();', [], ['ffi.enable=0']);
        self::assertNotSame(0, $rc);
        self::assertStringContainsString('ffi.enable=1', $out);
    }
}
