<?php

declare(strict_types=1);

namespace Ihuyi\Exception;

/**
 * Nothing can have reached the server (DNS, refused connection, TLS): safe to retry.
 */
class UnreachableException extends IhuyiException
{
}
