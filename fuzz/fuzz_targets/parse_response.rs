//! Any bytes, any status, any product: the answer parser returns a reply or a protocol error,
//! never panics, and never loses an id's digits.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::parse_response(data));
