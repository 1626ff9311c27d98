<?php

declare(strict_types=1);

namespace Ihuyi;

use FFI\CData;
use Ihuyi\Internal\Native;

/**
 * What a message is before it is sent: characters as the vendor counts them (every letter,
 * symbol or Chinese character is one), billed segments, and warnings naming the code the
 * platform would answer (over 300 characters 4073, emoji 4074, a missing or malformed
 * 【signature】 4070-4072). Computed by the native core; made by {@see Estimate::of()}.
 */
final class Estimate
{
    /**
     * @param string      $product        `sms`, `voice` or `isms`
     * @param string      $message        the text that would be sent, signature included
     * @param int         $characters     characters as the vendor counts them
     * @param int         $utf16Units     UTF-16 code units (what a carrier encoding UCS-2 counts)
     * @param int         $segments       billed segments (a voice code is one call)
     * @param string|null $rule           `70/67` or `70/66`; null for a voice code
     * @param bool        $signatureAdded whether the given signature was appended
     * @param bool        $acceptable     true when no warning names a result code
     * @param list<array{kind: string, code: ?int, message: string}> $warnings what the
     *        platform would refuse (`code` set) or might count differently (`code` null)
     */
    private function __construct(
        public readonly string $product,
        public readonly string $message,
        public readonly int $characters,
        public readonly int $utf16Units,
        public readonly int $segments,
        public readonly ?string $rule,
        public readonly bool $signatureAdded,
        public readonly bool $acceptable,
        public readonly array $warnings,
    ) {
    }

    /**
     * Estimates `$content` for `$product`.
     *
     * @param string      $product   `sms`, `voice` or `isms` (any case)
     * @param string|null $signature with or without its 【】, appended unless the content already
     *                               starts or ends with it
     * @param string|null $rule      `70/67` (null: the default) or `70/66`
     *
     * @throws Exception\ValidationException an unknown product or rule
     */
    public static function of(string $product, string $content, ?string $signature = null, ?string $rule = null): self
    {
        $ffi = Library::ffi();
        $handle = $ffi->new('ihuyi_estimate*');
        Native::check($ffi, $ffi->ihuyi_estimate_new(
            Native::cString('product', $product),
            Native::cString('content', $content),
            $signature === null ? null : Native::cString('signature', $signature),
            $rule === null ? null : Native::cString('rule', $rule),
            \FFI::addr($handle),
        ), 'estimate');
        try {
            return self::read($ffi, $handle, strtolower($product));
        } finally {
            $ffi->ihuyi_estimate_free($handle);
        }
    }

    private static function read(\FFI $ffi, CData $e, string $product): self
    {
        $n = $ffi->new('size_t');
        $segments = $ffi->new('uint64_t');
        $flag = $ffi->new('bool');
        Native::check($ffi, $ffi->ihuyi_estimate_characters($e, \FFI::addr($n)), 'estimate');
        $characters = (int) $n->cdata;
        Native::check($ffi, $ffi->ihuyi_estimate_utf16_units($e, \FFI::addr($n)), 'estimate');
        $utf16 = (int) $n->cdata;
        Native::check($ffi, $ffi->ihuyi_estimate_segments($e, \FFI::addr($segments)), 'estimate');
        Native::check($ffi, $ffi->ihuyi_estimate_signature_added($e, \FFI::addr($flag)), 'estimate');
        $added = (bool) $flag->cdata;
        Native::check($ffi, $ffi->ihuyi_estimate_acceptable($e, \FFI::addr($flag)), 'estimate');
        $acceptable = (bool) $flag->cdata;
        $out = Native::outString($ffi);
        Native::check($ffi, $ffi->ihuyi_estimate_message($e, \FFI::addr($out)), 'estimate');
        $message = Native::takeString($ffi, $out);
        $out = Native::outString($ffi);
        $status = $ffi->ihuyi_estimate_rule($e, \FFI::addr($out), null, null);
        if ($status === Native::OK) {
            $rule = Native::takeString($ffi, $out);
        } elseif ($status === Native::ERR_NOT_FOUND) {
            $rule = null; // a voice code is not split into segments
        } else {
            Native::fail($ffi, $status, 'estimate');
        }
        Native::check($ffi, $ffi->ihuyi_estimate_warning_count($e, \FFI::addr($n)), 'estimate');
        $warnings = [];
        $count = (int) $n->cdata;
        $code = $ffi->new('int64_t');
        for ($i = 0; $i < $count; $i++) {
            $kind = Native::outString($ffi);
            $text = Native::outString($ffi);
            Native::check($ffi, $ffi->ihuyi_estimate_warning($e, $i, \FFI::addr($kind), \FFI::addr($code), \FFI::addr($text)), 'estimate');
            $c = (int) $code->cdata;
            $warnings[] = [
                'kind' => Native::takeString($ffi, $kind),
                'code' => $c < 0 ? null : $c,
                'message' => Native::takeString($ffi, $text),
            ];
        }
        return new self($product, $message, $characters, $utf16, (int) $segments->cdata, $rule, $added, $acceptable, $warnings);
    }
}
