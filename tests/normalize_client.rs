//! The client normalizes every recipient before sending (and refuses instead in strict mode);
//! the sandbox's log shows what went on the wire.
#![cfg(feature = "sandbox")]

use ihuyi::sandbox::Sandbox;
use ihuyi::{Client, Error, Product};

const CODE: &str = "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】";

fn client(sandbox: &Sandbox, product: Product, strict: bool) -> Client {
    let account = sandbox.account(product);
    Client::builder(product)
        .account(account.account)
        .apikey(account.apikey)
        .base_url(sandbox.base_url())
        .strict_mobile(strict)
        .build()
        .unwrap()
}

fn mobiles_sent(sandbox: &Sandbox) -> Vec<String> {
    sandbox
        .requests()
        .iter()
        .filter_map(|r| r.field("mobile").map(str::to_owned))
        .collect()
}

#[test]
fn what_people_type_is_sent_in_the_apis_form() {
    let sandbox = Sandbox::start_default().unwrap();
    let sms = client(&sandbox, Product::Sms, false);
    for typed in ["+86 138-0013-8000", "0086 13800138000", "8613800138000"] {
        let sent = sms
            .send(typed, CODE)
            .unwrap_or_else(|e| panic!("{typed}: {e}"));
        assert_eq!(sent.code, 2);
    }
    let voice = client(&sandbox, Product::Voice, false);
    voice.send("+86 139 0013 9000", "1234").unwrap();
    let mut expected = vec!["13800138000"; 3];
    expected.push("13900139000");
    if cfg!(feature = "phonenumbers") {
        let isms = client(&sandbox, Product::Isms, false);
        isms.send("00852-6123 4567", "Your verification code is 1234.")
            .unwrap();
        expected.push("852 61234567");
    }
    assert_eq!(mobiles_sent(&sandbox), expected);
    // Every request was accepted: the dynamic password was computed over the normalized number.
    assert!(sandbox.requests().iter().all(|r| r.code == Some(2)));
}

#[test]
fn strict_mode_refuses_instead_and_names_the_form() {
    let sandbox = Sandbox::start_default().unwrap();
    let sms = client(&sandbox, Product::Sms, true);
    match sms.send("+86 138-0013-8000", CODE) {
        Err(Error::Validation(v)) => {
            assert_eq!(v.field, "mobile");
            assert!(v.message.contains("13800138000"), "{v}");
        }
        other => panic!("{other:?}"),
    }
    assert!(sandbox.requests().is_empty());
    sms.send("13800138000", CODE).unwrap();
    assert_eq!(mobiles_sent(&sandbox), ["13800138000"]);
}

#[test]
fn unusable_numbers_are_refused_before_sending() {
    let sandbox = Sandbox::start_default().unwrap();
    let sms = client(&sandbox, Product::Sms, false);
    for bad in ["+852 6123 4567", "12800138000", "138 0013 800", "call me"] {
        let e = sms.send(bad, CODE).unwrap_err();
        assert!(
            matches!(e, Error::Validation(ref v) if v.field == "mobile"),
            "{bad}: {e}"
        );
    }
    if cfg!(feature = "phonenumbers") {
        let isms = client(&sandbox, Product::Isms, false);
        let e = isms.send("+44 20 7946 0958", "Hello").unwrap_err();
        assert!(e.to_string().contains("fixed-line"), "{e}");
    }
    assert!(sandbox.requests().is_empty());
}
