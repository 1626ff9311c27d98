<?php

// A web page using the package, served by `php -S` in LibraryTest: it shows whether FFI may be
// used under the built-in web server with the ffi.enable setting the test chose.
declare(strict_types=1);

require __DIR__ . '/../../autoload.php';

try {
    $version = Ihuyi\Library::version();
    echo "version $version";
} catch (Ihuyi\Exception\IhuyiException $e) {
    echo 'error ', $e->getMessage();
}
