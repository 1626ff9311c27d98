<?php

declare(strict_types=1);

namespace Ihuyi\Exception;

/**
 * The server answered and refused (a result code other than 2). `getCode()` is the vendor's
 * result code too.
 */
class ApiException extends IhuyiException
{
    /**
     * @param int    $resultCode the vendor's result code (e.g. 4051)
     * @param string $apiMessage the vendor's message, as sent (e.g. `剩余条数不足`)
     * @param string $kind       its class: auth, account, input, recipient, content, frequency,
     *                           balance, server, or unknown
     */
    public function __construct(
        string $message,
        public readonly int $resultCode,
        public readonly string $apiMessage,
        public readonly string $kind,
        string $status = 'IHUYI_ERR_API',
    ) {
        parent::__construct($message, $resultCode, null, $status);
    }

    /** The vendor's result code (e.g. 4051). */
    public function getResultCode(): int
    {
        return $this->resultCode;
    }

    /** The vendor's message, as sent. */
    public function getApiMessage(): string
    {
        return $this->apiMessage;
    }

    /** The class of the refusal (auth, balance, frequency...; unknown for a code outside the table). */
    public function getKind(): string
    {
        return $this->kind;
    }
}
