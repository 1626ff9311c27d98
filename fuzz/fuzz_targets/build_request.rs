//! Arbitrary field values: building a request either refuses them (validation) or produces a
//! body that decodes back to exactly the fields given, with the right dynamic password, and
//! without the key.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::build_request(data));
