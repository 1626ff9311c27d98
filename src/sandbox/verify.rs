//! The sandbox's own check of a password: deliberately not the client's signer, so a bug shared
//! by both cannot hide. Checked against the documented vector in the tests.

use md5::{Digest, Md5};

/// What the password proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PasswordCheck {
    /// The key itself, or a fresh dynamic password that verifies.
    Valid,
    /// A dynamic password older (or further in the future) than allowed.
    Expired,
    /// A dynamic password that does not verify.
    Mismatch,
    /// Neither the key nor a dynamic password (no `time`).
    Wrong,
}

/// Checks `password` for a request whose signed fields (after account and key) are `signed`.
pub(crate) fn check_password(
    account: &str,
    apikey: &str,
    password: &str,
    signed: &[&str],
    time: Option<&str>,
    now: u64,
    max_age: u64,
) -> PasswordCheck {
    if password == apikey {
        return PasswordCheck::Valid;
    }
    let Some(time) = time.filter(|t| !t.is_empty()) else {
        return PasswordCheck::Wrong;
    };
    let Ok(sent_at) = time.trim().parse::<u64>() else {
        return PasswordCheck::Mismatch;
    };
    let mut text = String::new();
    text.push_str(account);
    text.push_str(apikey);
    for part in signed {
        text.push_str(part);
    }
    text.push_str(time);
    let expected: String = Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if !expected.eq_ignore_ascii_case(password) {
        return PasswordCheck::Mismatch;
    }
    if now.abs_diff(sent_at) > max_age {
        return PasswordCheck::Expired;
    }
    PasswordCheck::Valid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_vector() {
        let check = |password: &str, now: u64| {
            check_password(
                "test",
                "1q784322ba1d9bb88d50cf5cdfd89k7d",
                password,
                &["138xxxxxxxx", "Your verification code is 1125"],
                Some("1451544941"),
                now,
                600,
            )
        };
        assert_eq!(
            check("931874145e7849c617a286800ede9844", 1451544941),
            PasswordCheck::Valid
        );
        assert_eq!(
            check("931874145e7849c617a286800ede9844", 1451544941 + 601),
            PasswordCheck::Expired
        );
        assert_eq!(
            check("031874145e7849c617a286800ede9844", 1451544941),
            PasswordCheck::Mismatch
        );
        assert_eq!(
            check("1q784322ba1d9bb88d50cf5cdfd89k7d", 0),
            PasswordCheck::Valid
        );
    }
}
