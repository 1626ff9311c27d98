//! Any method, path, query and body to the sandbox's request handling (no socket): it answers
//! (or drops, under a fault) without panicking; every API request is logged exactly once with the
//! password masked; and an API answer with status 200 and no fault is one the client's parser
//! accepts (a reply or a refusal with a code, never a protocol error).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::sandbox_request(data));
