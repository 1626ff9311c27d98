<?php

/**
 * Sends one verification code by domestic SMS and prints the message id and the balance.
 *
 *   php examples/php/send_sms.php [mobile] [code]
 *
 * With IHUYI_ACCOUNT and IHUYI_APIKEY set, it uses that account (and IHUYI_BASE_URL if set);
 * otherwise it starts the library's local sandbox and sends there. Build the library first
 * (`cargo build -p ihuyi-c`) or point IHUYI_LIB at libihuyi.so.
 */

declare(strict_types=1);

$package = __DIR__ . '/../../bindings/php';
require is_file("$package/vendor/autoload.php") ? "$package/vendor/autoload.php" : "$package/autoload.php";

use Ihuyi\Client;
use Ihuyi\Exception\ApiException;
use Ihuyi\Exception\OutcomeUnknownException;
use Ihuyi\Exception\UnreachableException;
use Ihuyi\Exception\ValidationException;
use Ihuyi\Sandbox;

$mobile = $argv[1] ?? '13800138000';
$code = $argv[2] ?? (string) random_int(1000, 9999);
$content = "您的验证码是:{$code}。请不要把验证码泄露给其他人。【互亿无线】";

$account = getenv('IHUYI_ACCOUNT') ?: null;
$sandbox = null;
if ($account === null) {
    $sandbox = Sandbox::start();
    echo "no IHUYI_ACCOUNT: using a local sandbox at {$sandbox->baseUrl}\n";
    $client = $sandbox->client('sms');
} else {
    $client = new Client('sms', $account, (string) getenv('IHUYI_APIKEY'), getenv('IHUYI_BASE_URL') ?: null);
}

try {
    $result = $client->send($mobile, $content);
    echo "sent: id {$result->id}\n";
    echo 'balance: ' . $client->balance() . "\n";
} catch (ValidationException $e) {
    fwrite(STDERR, "not sent, fix the input: {$e->getMessage()}\n");
    exit(2);
} catch (ApiException $e) {
    fwrite(STDERR, "refused ({$e->resultCode}, {$e->kind}): {$e->apiMessage}\n");
    exit(3);
} catch (UnreachableException $e) {
    fwrite(STDERR, "server unreachable, nothing was sent (safe to retry): {$e->getMessage()}\n");
    exit(4);
} catch (OutcomeUnknownException $e) {
    // Do not resend blindly: the code may already be on its way.
    fwrite(STDERR, "outcome unknown, check before resending: {$e->getMessage()}\n");
    exit(5);
} finally {
    $client->close();
    $sandbox?->stop();
}
