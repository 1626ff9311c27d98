//! Any push body: a receipt with a non-empty id, or an error; never a panic.
#![no_main]

use ihuyi::parse_receipt;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    if let Ok(receipt) = parse_receipt(body) {
        assert!(!receipt.id.is_empty());
        assert_eq!(receipt.delivered(), receipt.code == Some(2));
    }
});
