#!/usr/bin/env bash
# The Rust suite: formatting, lints, unit and integration tests (the CLI against the sandbox).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace --all-targets
cargo test --workspace --doc
