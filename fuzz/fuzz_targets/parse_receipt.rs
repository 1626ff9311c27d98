//! Any push body: a receipt with a non-empty id, or an error; never a panic.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::parse_receipt(data));
