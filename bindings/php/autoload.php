<?php

/**
 * A PSR-4 autoloader for using the package without Composer (examples, a plain checkout):
 * `require 'bindings/php/autoload.php';`. With Composer, use vendor/autoload.php instead.
 */

declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'Ihuyi\\')) {
        $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, 6)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
