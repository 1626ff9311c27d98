#!/usr/bin/env bash
# A smoke run of every cargo-fuzz target (tens of seconds each) plus the saved reproducers.
# Long runs (>= 10 million executions each) are recorded in FUZZING.md: scripts/fuzz-long.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO_FUZZ_VERSION=0.13.1
if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
fi
# cargo-fuzz needs nightly-only flags (sanitizers); the stable toolchain accepts them this way.
export RUSTC_BOOTSTRAP=1
seconds=${FUZZ_SECONDS:-20}
cd fuzz
mkdir -p logs
targets=$(cargo fuzz list)
for target in $targets; do
  mkdir -p "corpus/$target"
  # Saved reproducers (inputs that once crashed) must pass first.
  if [ -d "regressions/$target" ] && [ -n "$(ls -A "regressions/$target")" ]; then
    cargo fuzz run "$target" "regressions/$target" -- -runs=0 $(grep -v '^#' "flags/$target" 2>/dev/null)
  fi
  # fuzz/flags/<target>: extra libFuzzer flags a target needs (each file says why).
  status=0
  cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" \
    $(grep -v '^#' "flags/$target" 2>/dev/null) -print_final_stats=1 > "logs/smoke-$target.log" 2>&1 || status=$?
  grep -E "stat::number_of_executed_units|Done|ERROR|panicked" "logs/smoke-$target.log" || true
  # A build failure, crash, leak, timeout or out-of-memory makes cargo fuzz exit non-zero: fail
  # on it, and on any artifact it left. A `slow-unit-*` only says an input took > 10 s of wall
  # time, which a starved low-priority long run (scripts/fuzz-long.sh) produces without any slow
  # input; that script re-times each one.
  if [ "$status" -ne 0 ]; then
    echo "fuzz target $target failed (exit $status): fuzz/logs/smoke-$target.log" >&2
    tail -n 40 "logs/smoke-$target.log" >&2
    exit 1
  fi
  if [ -d "artifacts/$target" ] && [ -n "$(ls -A "artifacts/$target" 2>/dev/null | grep -v '^slow-unit-')" ]; then
    echo "fuzz target $target left a crash artifact: fuzz/artifacts/$target" >&2
    exit 1
  fi
done
echo "fuzz smoke: $(echo $targets | wc -w) passed, 0 failed"
