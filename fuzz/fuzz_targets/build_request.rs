//! Arbitrary field values: building a request either refuses them (validation) or produces a
//! body that decodes back to exactly the fields given, with the right dynamic password, and
//! without the key.
#![no_main]

use arbitrary::Arbitrary;
use ihuyi::wire::{RequestConfig, parse_form};
use ihuyi::{ApiKey, Format, PasswordMode, Product, sign};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    product: u8,
    account: &'a str,
    apikey: &'a str,
    mobile: &'a str,
    content: &'a str,
    time: u64,
    plain: bool,
    json: bool,
}

fuzz_target!(|input: Input<'_>| {
    let product = Product::ALL[input.product as usize % 3];
    let mode = if input.plain { PasswordMode::Plain } else { PasswordMode::Dynamic };
    let format = if input.json { Format::Json } else { Format::Xml };
    let Ok(config) = RequestConfig::new(product, input.account, ApiKey::new(input.apikey), None, mode, format) else {
        return;
    };
    let Ok(request) = config.submit(input.mobile, input.content, input.time) else {
        return;
    };
    let fields = parse_form(request.body.as_bytes());
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    assert_eq!(get("account"), Some(input.account));
    assert_eq!(get("mobile"), Some(input.mobile));
    assert_eq!(get("content"), Some(input.content));
    assert_eq!(get("format").is_some(), input.json);
    match mode {
        PasswordMode::Plain => assert_eq!(get("password"), Some(input.apikey)),
        PasswordMode::Dynamic => {
            let expected = sign::submit_password(input.account, input.apikey, input.mobile, input.content, input.time);
            assert_eq!(get("password"), Some(expected.as_str()));
            assert_eq!(get("time"), Some(input.time.to_string().as_str()));
            let others = [input.account, input.mobile, input.content];
            if !others.iter().any(|f| f.contains(input.apikey)) && !expected.contains(input.apikey) {
                assert!(!request.body.contains(input.apikey));
            }
        }
    }
    // The URL is the vendor's fixed one: a key long enough to be a real key is never in it.
    if input.apikey.len() >= 8 {
        assert!(!request.url.contains(input.apikey));
    }
});
