//! The API key as a type that cannot leak by accident.

use std::fmt;

/// An APIKEY. Its `Debug` and `Display` print `<redacted>`, it is never put in a URL, an error
/// message or a log line, and its bytes are overwritten when it is dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> ApiKey {
        ApiKey(key.into())
    }

    /// The key itself, for signing and for the plain-password mode only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the key is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> ApiKey {
        ApiKey::new(key)
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> ApiKey {
        ApiKey::new(key)
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Drop for ApiKey {
    fn drop(&mut self) {
        // SAFETY: writing zero bytes keeps the string valid UTF-8; volatile so the wipe of memory
        // about to be freed is not optimised away.
        unsafe {
            for byte in self.0.as_bytes_mut() {
                std::ptr::write_volatile(byte, 0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_never_shows_the_key() {
        let key = ApiKey::new("1q784322ba1d9bb88d50cf5cdfd89k7d");
        assert!(!format!("{key:?}").contains("1q78"));
        assert!(!format!("{key}").contains("1q78"));
        assert!(!format!("{:#?}", Some(&key)).contains("1q78"));
        assert_eq!(key.expose(), "1q784322ba1d9bb88d50cf5cdfd89k7d");
    }
}
