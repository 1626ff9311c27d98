//! Replays the saved reproducers of the `c_abi` fuzz target (fuzz/regressions/c_abi/<file>)
//! through the target's own check (fuzz/c_abi_checks.rs), in the ordinary test suite, without
//! cargo-fuzz or a nightly toolchain. The other targets' reproducers are replayed by the root
//! crate's tests/fuzz_regressions.rs, which cannot link the C ABI.

// The check names the core crate `ihuyi`, as the fuzz crate does; here it is `core_ihuyi`.
extern crate core_ihuyi as ihuyi;

#[path = "../../../../fuzz/c_abi_checks.rs"]
mod checks;
#[path = "../../../../fuzz/replay.rs"]
mod replay;

use std::path::Path;

#[test]
fn every_saved_c_abi_reproducer_passes_the_check() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../fuzz/regressions/c_abi");
    let replayed = replay::replay_dir(&dir, checks::c_abi);
    eprintln!("{replayed} reproducers replayed");
}

#[test]
fn the_check_accepts_ordinary_inputs() {
    // The replay harness itself works: the check runs on a few plain inputs without failing, and
    // on every variant of the input (the first bytes choose it).
    for input in [&b""[..], b"\x00", b"smsid=1&code=2&msg=ok", &[0xff; 64]] {
        checks::c_abi(input);
    }
    for variant in 0..=255u8 {
        let mut input = vec![0u8; 16];
        input.extend_from_slice(&[variant, 0, 0, 0]);
        input.extend_from_slice(b"smsid=12345&code=2&msg=DELIVRD&mobile=13800138000");
        checks::c_abi(&input);
    }
}
