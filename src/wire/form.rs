//! `application/x-www-form-urlencoded`, exactly as the WHATWG URL standard serialises it
//! (alphanumerics and `*-._` kept, space as `+`, every other byte as `%XX`), and a lenient parser.

/// Bytes kept as they are; everything else is percent-encoded (space becomes `+`).
const fn keep_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'*' || c == b'-' || c == b'.' || c == b'_';
        b += 1;
    }
    t
}

/// Each byte's encoding, padded to three bytes, and how many of them count: one table lookup
/// and one three-byte copy per input byte, with no branch on the byte's class.
const fn encode_table() -> [([u8; 3], u8); 256] {
    const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
    let keep = keep_table();
    let mut t = [([0u8; 3], 0u8); 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if keep[b] {
            ([c, 0, 0], 1)
        } else if c == b' ' {
            ([b'+', 0, 0], 1)
        } else {
            ([b'%', HEX_UPPER[b >> 4], HEX_UPPER[b & 15]], 3)
        };
        b += 1;
    }
    t
}

static ENCODED: [([u8; 3], u8); 256] = encode_table();

/// Appends `value` form-encoded to `out`.
pub fn encode_form_value(value: &str, out: &mut String) {
    // SAFETY: only the ASCII bytes of ENCODED are written, and the zero padding past the last
    // written byte is truncated away, so `out` stays valid UTF-8.
    let buf = unsafe { out.as_mut_vec() };
    let start = buf.len();
    // Every byte takes at most three, and each step writes three (its padding is overwritten by
    // the next step or cut off below): room for all of them up front.
    buf.resize(start + value.len() * 3, 0);
    let dst = &mut buf[start..];
    let mut at = 0;
    for &b in value.as_bytes() {
        let (bytes, len) = &ENCODED[b as usize];
        dst[at..at + 3].copy_from_slice(bytes);
        at += *len as usize;
    }
    buf.truncate(start + at);
}

/// Parses a form body or query string leniently: `+` is a space, invalid percent escapes are kept
/// as they are, raw UTF-8 is accepted, invalid UTF-8 becomes U+FFFD. Empty pieces are skipped.
pub fn parse_form(input: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(input)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(s: &str) -> String {
        let mut out = String::new();
        encode_form_value(s, &mut out);
        out
    }

    #[test]
    fn encodes_like_the_url_standard() {
        assert_eq!(enc("abc-XYZ_0.9*"), "abc-XYZ_0.9*");
        assert_eq!(enc("a b&c=d+e"), "a+b%26c%3Dd%2Be");
        assert_eq!(enc("验证码"), "%E9%AA%8C%E8%AF%81%E7%A0%81");
        assert_eq!(enc("63 9171234567"), "63+9171234567");
        assert_eq!(enc("~!()'"), "%7E%21%28%29%27");
        let round: Vec<_> = parse_form(format!("x={}", enc("【互亿无线】a+b c&d")).as_bytes());
        assert_eq!(
            round,
            vec![("x".to_string(), "【互亿无线】a+b c&d".to_string())]
        );
    }

    #[test]
    fn parses_what_the_vendor_demos_send() {
        let raw = "account=用户名&password=密码&mobile=136xxxxxxxx&content=1125";
        let fields = parse_form(raw.as_bytes());
        assert_eq!(fields[0], ("account".into(), "用户名".into()));
        assert_eq!(fields[3], ("content".into(), "1125".into()));
        let odd = parse_form(b"a=%zz&b=%E9%AA&&c");
        assert_eq!(odd[0].1, "%zz");
        assert_eq!(odd[1].1, "\u{FFFD}");
        assert_eq!(odd[2], ("c".into(), "".into()));
    }
}
