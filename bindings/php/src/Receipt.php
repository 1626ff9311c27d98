<?php

declare(strict_types=1);

namespace Ihuyi;

use FFI\CData;
use Ihuyi\Internal\Native;

/**
 * A delivery receipt pushed by the platform to your URL. Answer the push with the body `success`,
 * and de-duplicate by {@see Receipt::$id}: the platform repeats pushes.
 *
 * ```php
 * $receipt = Ihuyi\Receipt::parse(file_get_contents('php://input'));
 * echo 'success';
 * ```
 */
final class Receipt
{
    private ?CData $handle;

    /**
     * @param string   $id        the message id the receipt is about
     * @param string   $product   `sms`, `voice`, `isms`, or '' when the push used a generic id name
     * @param ?int     $code      the delivery code (2: delivered), null when not a number
     * @param bool     $delivered whether the platform reports the message delivered
     * @param string   $mobile    the recipient, '' when missing
     * @param string   $time      when it was reported, as sent, '' when missing
     * @param string   $msg       the platform's description, '' when missing
     */
    private function __construct(
        CData $handle,
        public readonly string $id,
        public readonly string $product,
        public readonly ?int $code,
        public readonly bool $delivered,
        public readonly string $mobile,
        public readonly string $time,
        public readonly string $msg,
    ) {
        $this->handle = $handle;
    }

    /**
     * Parses a push body (form-encoded, or a JSON object).
     *
     * @throws Exception\ValidationException when the body is not a receipt (empty, no id, too big)
     */
    public static function parse(string $body): self
    {
        $ffi = Library::ffi();
        [$buf, $len] = Native::bytes($ffi, $body);
        $handle = $ffi->new('ihuyi_receipt*');
        Native::check($ffi, $ffi->ihuyi_receipt_parse($buf, $len, \FFI::addr($handle)), 'parsing the receipt');
        try {
            $code = $ffi->new('int64_t');
            $status = $ffi->ihuyi_receipt_code($handle, \FFI::addr($code));
            if ($status !== Native::OK && $status !== Native::ERR_NOT_FOUND) {
                Native::fail($ffi, $status, 'receipt code');
            }
            $delivered = $ffi->new('bool');
            Native::check($ffi, $ffi->ihuyi_receipt_delivered($handle, \FFI::addr($delivered)), 'receipt delivered');
            $receipt = new self(
                $handle,
                self::text($ffi, $handle, 'ihuyi_receipt_id'),
                self::text($ffi, $handle, 'ihuyi_receipt_product'),
                $status === Native::OK ? (int) $code->cdata : null,
                (bool) $delivered->cdata,
                self::text($ffi, $handle, 'ihuyi_receipt_mobile'),
                self::text($ffi, $handle, 'ihuyi_receipt_time'),
                self::text($ffi, $handle, 'ihuyi_receipt_msg'),
            );
        } catch (\Throwable $e) {
            $ffi->ihuyi_receipt_free($handle);
            throw $e;
        }
        return $receipt;
    }

    /** Any field of the push by name (`channel`, `code`...), as sent; null when absent. */
    public function field(string $name): ?string
    {
        if ($this->handle === null) {
            return null;
        }
        $ffi = Library::ffi();
        $out = Native::outString($ffi);
        $status = $ffi->ihuyi_receipt_field($this->handle, Native::cString('field name', $name), \FFI::addr($out));
        if ($status === Native::ERR_NOT_FOUND) {
            return null;
        }
        if ($status !== Native::OK) {
            Native::freeString($ffi, $out);
            Native::fail($ffi, $status, "receipt field '$name'");
        }
        return Native::takeString($ffi, $out);
    }

    /**
     * The native receipt, for ReceiptDeduper.
     *
     * @internal
     */
    public function nativeHandle(): CData
    {
        if ($this->handle === null) {
            throw new Exception\IhuyiException('this Ihuyi\Receipt was released');
        }
        return $this->handle;
    }

    /** @return array<string, mixed> what var_dump() shows: the fields, no pointer */
    public function __debugInfo(): array
    {
        return [
            'id' => $this->id,
            'product' => $this->product,
            'code' => $this->code,
            'delivered' => $this->delivered,
            'mobile' => $this->mobile,
            'time' => $this->time,
            'msg' => $this->msg,
        ];
    }

    public function __destruct()
    {
        if ($this->handle !== null) {
            $handle = $this->handle;
            $this->handle = null;
            Library::ffi()->ihuyi_receipt_free($handle);
        }
    }

    /** A clone would share the native handle and free it twice. */
    private function __clone()
    {
    }

    private static function text(\FFI $ffi, CData $handle, string $function): string
    {
        $out = Native::outString($ffi);
        $status = $ffi->$function($handle, \FFI::addr($out));
        if ($status !== Native::OK) {
            Native::freeString($ffi, $out);
            Native::fail($ffi, $status, $function);
        }
        return Native::takeString($ffi, $out);
    }
}
