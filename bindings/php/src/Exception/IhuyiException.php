<?php

declare(strict_types=1);

namespace Ihuyi\Exception;

/**
 * The base of every exception this package throws. Thrown as itself for failures that are not
 * about a message (the library could not be loaded, a closed client was used, a library bug).
 * Messages never contain the API key.
 */
class IhuyiException extends \RuntimeException
{
    /**
     * @param string $status the C status name (`IHUYI_ERR_...`), or '' when the failure did not
     *                       come from the library
     */
    public function __construct(
        string $message,
        int $code = 0,
        ?\Throwable $previous = null,
        public readonly string $status = '',
    ) {
        parent::__construct($message, $code, $previous);
    }
}
