<?php

declare(strict_types=1);

namespace Ihuyi\Exception;

/**
 * Bad input caught locally (mobile, content, product, account, URL, a NUL byte...): nothing was
 * sent. Fix the input; retrying as is fails the same way.
 */
class ValidationException extends IhuyiException
{
}
