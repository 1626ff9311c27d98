<?php

declare(strict_types=1);

// Composer's autoloader when `composer dump-autoload` ran (scripts/test-php.sh does), else the
// package's own: the suite needs nothing from Packagist.
$composer = __DIR__ . '/../vendor/autoload.php';
require is_file($composer) ? $composer : __DIR__ . '/../autoload.php';
if (!class_exists(Ihuyi\Tests\Support\Http::class)) {
    spl_autoload_register(static function (string $class): void {
        if (str_starts_with($class, 'Ihuyi\\Tests\\')) {
            require __DIR__ . '/' . str_replace('\\', '/', substr($class, 12)) . '.php';
        }
    });
}
