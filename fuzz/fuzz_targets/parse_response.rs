//! Any bytes, any status, any product: the answer parser returns a reply or a protocol error,
//! never panics, and never loses an id's digits.
#![no_main]

use ihuyi::{Product, get_num_outcome, submit_outcome};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u8, u16, &[u8])| {
    let (which, status, body) = input;
    let product = Product::ALL[which as usize % 3];
    if let Ok(sent) = submit_outcome(product, "http://fuzz/", status, body) {
        assert_eq!(sent.code, 2);
        assert_eq!(status, 200);
    }
    if let Ok(balance) = get_num_outcome(product, "http://fuzz/", status, body) {
        assert_eq!(balance.code, 2);
    }
});
