<?php

declare(strict_types=1);

namespace Ihuyi\Exception;

/**
 * The request may have been processed (timeout after sending, lost connection, an HTTP status
 * other than 200, an unreadable answer). The SDK never resends: resending may text twice.
 */
class OutcomeUnknownException extends IhuyiException
{
}
