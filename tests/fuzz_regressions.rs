//! Replays every saved fuzz reproducer (fuzz/regressions/<target>/<file>: an input that once
//! made a fuzz target fail) through the same checks the target runs (fuzz/checks.rs), so a fixed
//! crash stays fixed in the ordinary test suite, without cargo-fuzz or a nightly toolchain.
//! (Except `c_abi`'s: bindings/c/rlib/tests/fuzz_regressions.rs replays those.)

#[path = "../fuzz/checks.rs"]
mod checks;
#[path = "../fuzz/replay.rs"]
mod replay;

use std::path::Path;

type Check = fn(&[u8]);

const TARGETS: [(&str, Check); 4] = [
    ("parse_response", checks::parse_response),
    ("parse_receipt", checks::parse_receipt),
    ("build_request", checks::build_request),
    ("sandbox_request", checks::sandbox_request),
];

#[test]
fn every_saved_reproducer_passes_its_targets_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        // The `c_abi` target's check calls the C ABI, which this crate does not link: its
        // reproducers are replayed by bindings/c/rlib/tests/fuzz_regressions.rs.
        if name == "c_abi" {
            continue;
        }
        let (_, check) = TARGETS
            .iter()
            .find(|(target, _)| *target == name)
            .unwrap_or_else(|| panic!("fuzz/regressions/{name}: no such fuzz target"));
        replayed += replay::replay_dir(&dir, check);
    }
    eprintln!("{replayed} reproducers replayed");
    // fuzz/regressions/build_request/ holds one: a replay that finds none is a broken harness.
    assert!(replayed > 0, "no reproducer found under {}", root.display());
}

#[test]
fn the_checks_accept_ordinary_inputs() {
    // The replay harness itself works: every check runs on a few plain inputs without failing.
    for (_, check) in TARGETS {
        for input in [&b""[..], b"\x00", b"code=2&msg=ok&smsid=1", &[0xff; 64]] {
            check(input);
        }
    }
}
