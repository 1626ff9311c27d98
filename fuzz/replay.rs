//! Replays the saved reproducers of one fuzz target (`fuzz/regressions/<target>/<file>`) through
//! its check, in the ordinary test suite: shared by tests/fuzz_regressions.rs and
//! bindings/c/rlib/tests/fuzz_regressions.rs, which include it by path.

use std::path::Path;

/// Runs `check` on every file of `dir` but dot-files (`.gitkeep`); returns how many it ran. A
/// directory that does not exist holds no reproducer.
pub fn replay_dir(dir: &Path, check: impl Fn(&[u8])) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut replayed = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        let input = std::fs::read(&path).unwrap();
        eprintln!("replaying {}", path.display());
        check(&input);
        replayed += 1;
    }
    replayed
}
