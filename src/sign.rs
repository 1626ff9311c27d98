//! The dynamic password (动态密码): lowercase hex MD5 over the UTF-8 bytes of the fields, so the
//! APIKEY itself never travels.

use md5::{Digest, Md5};

/// The dynamic password of a Submit: `md5(account + apikey + mobile + content + time)`.
pub fn submit_password(
    account: &str,
    apikey: &str,
    mobile: &str,
    content: &str,
    time: u64,
) -> String {
    let mut digits = itoa_buffer();
    let time = format_u64(time, &mut digits);
    digest_hex(&[account, apikey, mobile, content, time])
}

/// The dynamic password of a GetNum: `md5(account + apikey + time)`.
pub fn get_num_password(account: &str, apikey: &str, time: u64) -> String {
    let mut digits = itoa_buffer();
    let time = format_u64(time, &mut digits);
    digest_hex(&[account, apikey, time])
}

fn digest_hex(parts: &[&str]) -> String {
    let mut hasher = Md5::new();
    for part in parts {
        hasher.update(part.as_bytes());
    }
    let digest = hasher.finalize();
    let mut out = String::with_capacity(32);
    for byte in digest.iter() {
        out.push(HEX[(byte >> 4) as usize] as char);
        out.push(HEX[(byte & 0x0f) as usize] as char);
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn itoa_buffer() -> [u8; 20] {
    [0; 20]
}

/// Formats `n` in decimal into `buf` without allocating.
pub(crate) fn format_u64(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buf[at..]).unwrap_or("0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_example() {
        // ihuyi-api.md: account test, the documented key, mobile 138xxxxxxxx, time 1451544941.
        let password = submit_password(
            "test",
            "1q784322ba1d9bb88d50cf5cdfd89k7d",
            "138xxxxxxxx",
            "Your verification code is 1125",
            1451544941,
        );
        assert_eq!(password, "931874145e7849c617a286800ede9844");
    }

    #[test]
    fn decimal_formatting() {
        let mut buf = [0; 20];
        assert_eq!(format_u64(0, &mut buf), "0");
        assert_eq!(format_u64(1451544941, &mut buf), "1451544941");
        assert_eq!(format_u64(u64::MAX, &mut buf), "18446744073709551615");
    }
}
