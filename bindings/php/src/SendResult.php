<?php

declare(strict_types=1);

namespace Ihuyi;

/**
 * An accepted send (result code 2).
 */
final class SendResult
{
    /**
     * @param string $id      the message id (流水号): up to 20 digits, beyond PHP's int, so a string
     * @param string $product `sms`, `voice` or `isms`
     * @param string $mobile  the recipient, as given
     */
    public function __construct(
        public readonly string $id,
        public readonly string $product,
        public readonly string $mobile,
    ) {
    }
}
