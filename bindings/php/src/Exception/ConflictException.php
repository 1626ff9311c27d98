<?php

declare(strict_types=1);

namespace Ihuyi\Exception;

/**
 * A ledger key already stands for another message (another product, account, mobile or
 * content), or cannot be resolved the way asked: nothing was sent.
 */
class ConflictException extends IhuyiException
{
}
