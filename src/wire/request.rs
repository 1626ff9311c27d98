//! Building a signed `Submit` or `GetNum` request: method, URL and form body.

use std::fmt;

use super::form::encode_form_value;
use super::{ApiMethod, Format};
use crate::catalogue::Product;
use crate::error::Error;
use crate::secret::ApiKey;
use crate::sign;
use crate::validate;

/// How the `password` field is filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum PasswordMode {
    /// The dynamic MD5 password with a `time` field: the key never travels. The default.
    #[default]
    Dynamic,
    /// The APIKEY itself in the form body (never in the URL). Only on request.
    Plain,
}

/// Where requests go: an origin (`scheme://host[:port]`) to which each product's own path is
/// appended.
pub struct Endpoint;

impl Endpoint {
    /// The vendor's default origin for a product: always `https://`.
    pub fn vendor_origin(product: Product) -> String {
        format!("https://{}", product.spec().host)
    }

    /// Checks a base URL override and returns its origin. Accepted: `http://` or `https://`, a
    /// host, an optional port, an optional trailing `/`. Refused: a path, query, fragment or
    /// user-info (the message then does not repeat the URL, which might hold a secret).
    pub fn parse_base_url(base_url: &str) -> Result<String, Error> {
        let base = base_url.trim();
        let invalid = |why: &str| Error::validation("base_url", why.to_string());
        let (scheme, rest) = if let Some(rest) = strip_prefix_ignore_case(base, "https://") {
            ("https", rest)
        } else if let Some(rest) = strip_prefix_ignore_case(base, "http://") {
            ("http", rest)
        } else {
            return Err(invalid("must start with http:// or https://"));
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains('@') {
            return Err(invalid("must not contain user info"));
        }
        if authority.contains(['/', '?', '#']) {
            return Err(invalid(
                "must be scheme://host[:port] only; the product's path is added by the SDK",
            ));
        }
        if authority.is_empty()
            || authority
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii())
        {
            return Err(invalid("has an empty or malformed host"));
        }
        let (host, port) = split_host_port(authority);
        if host.is_empty() {
            return Err(invalid("has an empty host"));
        }
        if let Some(port) = port {
            if port.parse::<u16>().map_or(true, |p| p == 0) {
                return Err(invalid("has an invalid port"));
            }
        }
        Ok(format!("{scheme}://{authority}"))
    }
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn split_host_port(authority: &str) -> (&str, Option<&str>) {
    if let Some(rest) = authority.strip_prefix('[') {
        // [IPv6]:port
        return match rest.split_once(']') {
            Some((host, tail)) => (host, tail.strip_prefix(':')),
            None => ("", None),
        };
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    }
}

/// Everything needed to build requests for one product and account. Immutable; cheap to share.
#[derive(Clone)]
pub struct RequestConfig {
    product: Product,
    account: String,
    apikey: ApiKey,
    mode: PasswordMode,
    format: Format,
    submit_url: String,
    get_num_url: String,
}

impl RequestConfig {
    /// Validates the credentials and the base URL (`None`: the vendor's `https://` host).
    pub fn new(
        product: Product,
        account: &str,
        apikey: ApiKey,
        base_url: Option<&str>,
        mode: PasswordMode,
        format: Format,
    ) -> Result<RequestConfig, Error> {
        validate::account(account)?;
        validate::apikey(apikey.expose())?;
        let origin = match base_url {
            Some(base) => Endpoint::parse_base_url(base)?,
            None => Endpoint::vendor_origin(product),
        };
        let path = product.spec().path;
        Ok(RequestConfig {
            product,
            account: account.to_owned(),
            apikey,
            mode,
            format,
            submit_url: format!("{origin}{path}?method=Submit"),
            get_num_url: format!("{origin}{path}?method=GetNum"),
        })
    }

    /// The product.
    pub fn product(&self) -> Product {
        self.product
    }

    /// The APIID.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The password mode.
    pub fn password_mode(&self) -> PasswordMode {
        self.mode
    }

    /// The answer format asked for.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The key, for code that must scrub it from text it did not produce (server excerpts).
    pub(crate) fn apikey(&self) -> &ApiKey {
        &self.apikey
    }

    /// The full URL of a method (it never carries credentials).
    pub fn url(&self, method: ApiMethod) -> &str {
        match method {
            ApiMethod::Submit => &self.submit_url,
            ApiMethod::GetNum => &self.get_num_url,
        }
    }

    /// A signed Submit of `content` to `mobile` at Unix time `time`, after local validation.
    pub fn submit(
        &self,
        mobile: &str,
        content: &str,
        time: u64,
    ) -> Result<PreparedRequest<'_>, Error> {
        validate::mobile(self.product, mobile)?;
        validate::content(self.product, content)?;
        let mut body =
            String::with_capacity(96 + self.account.len() + mobile.len() + content.len() * 3);
        self.push_credentials(
            &mut body,
            |key, time| sign::submit_password(&self.account, key, mobile, content, time),
            time,
        );
        body.push_str("&mobile=");
        encode_form_value(mobile, &mut body);
        body.push_str("&content=");
        encode_form_value(content, &mut body);
        self.push_tail(&mut body, time);
        Ok(PreparedRequest {
            method: ApiMethod::Submit,
            url: &self.submit_url,
            body,
        })
    }

    /// A signed GetNum at Unix time `time`.
    pub fn get_num(&self, time: u64) -> PreparedRequest<'_> {
        let mut body = String::with_capacity(96 + self.account.len());
        self.push_credentials(
            &mut body,
            |key, time| sign::get_num_password(&self.account, key, time),
            time,
        );
        self.push_tail(&mut body, time);
        PreparedRequest {
            method: ApiMethod::GetNum,
            url: &self.get_num_url,
            body,
        }
    }

    fn push_credentials(
        &self,
        body: &mut String,
        dynamic: impl Fn(&str, u64) -> String,
        time: u64,
    ) {
        body.push_str("account=");
        encode_form_value(&self.account, body);
        body.push_str("&password=");
        match self.mode {
            PasswordMode::Dynamic => body.push_str(&dynamic(self.apikey.expose(), time)),
            PasswordMode::Plain => encode_form_value(self.apikey.expose(), body),
        }
    }

    fn push_tail(&self, body: &mut String, time: u64) {
        if self.mode == PasswordMode::Dynamic {
            let mut digits = [0; 20];
            body.push_str("&time=");
            body.push_str(sign::format_u64(time, &mut digits));
        }
        // XML is the server's default: asking for it explicitly would change nothing.
        if self.format == Format::Json {
            body.push_str("&format=json");
        }
    }
}

impl fmt::Debug for RequestConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestConfig")
            .field("product", &self.product)
            .field("account", &self.account)
            .field("apikey", &self.apikey)
            .field("mode", &self.mode)
            .field("format", &self.format)
            .field("submit_url", &self.submit_url)
            .finish()
    }
}

/// A request ready for any HTTP client: `POST url` with a form body.
pub struct PreparedRequest<'a> {
    /// `Submit` or `GetNum`.
    pub method: ApiMethod,
    /// The URL, `?method=` included; it never carries credentials.
    pub url: &'a str,
    /// The form body. In plain-password mode it holds the key: never log it.
    pub body: String,
}

impl PreparedRequest<'_> {
    /// Always `POST`.
    pub const HTTP_METHOD: &'static str = "POST";
    /// The body's content type.
    pub const CONTENT_TYPE: &'static str = "application/x-www-form-urlencoded";

    /// The body with the `password` value replaced by `<redacted>`, for logs and debugging.
    pub fn redacted_body(&self) -> String {
        self.body
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some(("password", _)) => "password=<redacted>".to_string(),
                _ => pair.to_string(),
            })
            .collect::<Vec<_>>()
            .join("&")
    }
}

impl fmt::Debug for PreparedRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("body", &self.redacted_body())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(mode: PasswordMode, format: Format) -> RequestConfig {
        RequestConfig::new(
            Product::Sms,
            "test",
            ApiKey::new("1q784322ba1d9bb88d50cf5cdfd89k7d"),
            None,
            mode,
            format,
        )
        .unwrap()
    }

    #[test]
    fn dynamic_submit_body() {
        let c = config(PasswordMode::Dynamic, Format::Xml);
        let r = c
            .submit("13800138000", "您的验证码是:1234。", 1451544941)
            .unwrap();
        assert_eq!(
            r.url,
            "https://106.ihuyi.com/webservice/sms.php?method=Submit"
        );
        let expected_pw = sign::submit_password(
            "test",
            "1q784322ba1d9bb88d50cf5cdfd89k7d",
            "13800138000",
            "您的验证码是:1234。",
            1451544941,
        );
        assert_eq!(
            r.body,
            format!(
                "account=test&password={expected_pw}&mobile=13800138000&content=%E6%82%A8%E7%9A%84%E9%AA%8C%E8%AF%81%E7%A0%81%E6%98%AF%3A1234%E3%80%82&time=1451544941"
            )
        );
        assert!(!r.body.contains("1q784322"));
        assert!(!format!("{r:?}").contains(&expected_pw));
    }

    #[test]
    fn plain_json_get_num_body() {
        let c = config(PasswordMode::Plain, Format::Json);
        let r = c.get_num(1);
        assert_eq!(
            r.url,
            "https://106.ihuyi.com/webservice/sms.php?method=GetNum"
        );
        assert_eq!(
            r.body,
            "account=test&password=1q784322ba1d9bb88d50cf5cdfd89k7d&format=json"
        );
        let shown = format!("{r:?} {c:?}");
        assert!(!shown.contains("1q784322"), "{shown}");
    }

    #[test]
    fn base_urls() {
        let ok = |s: &str| Endpoint::parse_base_url(s).unwrap();
        assert_eq!(ok("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(ok("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
        assert_eq!(ok("HTTPS://sms.example.com"), "https://sms.example.com");
        assert_eq!(ok("http://[::1]:9000"), "http://[::1]:9000");
        for bad in [
            "",
            "127.0.0.1:80",
            "ftp://x",
            "http://",
            "http://h/webservice/sms.php",
            "http://u:p@h",
            "http://h:99999",
            "http://h:0",
            "http://h?x",
            "http://h st",
        ] {
            let err = Endpoint::parse_base_url(bad).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Validation, "{bad}");
        }
        let err = Endpoint::parse_base_url("http://user:hunter2@h")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("hunter2"));
    }

    #[test]
    fn submit_validates_first() {
        let c = config(PasswordMode::Dynamic, Format::Xml);
        assert!(c.submit("12345", "hi", 1).is_err());
        assert!(c.submit("13800138000", "", 1).is_err());
    }
}
