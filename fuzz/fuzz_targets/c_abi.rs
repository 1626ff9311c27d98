//! The C ABI's input-taking functions (outcomes, receipts, estimates, normalization, dynamic
//! passwords, status names, the last-error accessors, client builders) with arbitrary strings,
//! bodies, numbers, buffer lengths and NULL pointers: each call does what its doc comment says,
//! agrees with the core's own function, and never panics.
#![no_main]

#[path = "../c_abi_checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(init: checks::warm_up(), |data: &[u8]| checks::c_abi(data));
