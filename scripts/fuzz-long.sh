#!/usr/bin/env bash
# The long fuzz runs recorded in FUZZING.md (NOT part of CI): each named target (default: all)
# for RUNS executions (default 10 million), one at a time, optionally capped at MAX_SECONDS each.
# The fuzzer runs under SCHED_IDLE (`chrt --idle 0`): it only gets a CPU nobody else wants, so two
# of these can run beside a build or a benchmark without disturbing it. Prints libFuzzer's final stats and the wall time for each target; logs go to
# fuzz/logs/<target>.log.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export RUSTC_BOOTSTRAP=1
runs=${RUNS:-10000000}
cap=${MAX_SECONDS:-0}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)
mkdir -p logs
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  start=$(date +%s)
  status=0
  chrt --idle 0 cargo fuzz run "$target" "corpus/$target" -- -runs="$runs" -max_total_time="$cap" \
    $(grep -v "^#" "flags/$target" 2>/dev/null) -print_final_stats=1 > "logs/$target.log" 2>&1 || status=$?
  secs=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "logs/$target.log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "logs/$target.log" | tail -n 1)
  echo "$target: exit $status, ${execs:-?} executions, ${rate:-?} exec/s, ${secs}s wall, $(date -u +%H:%M:%S) UTC"
  # libFuzzer saves any input that took > 10 s of wall time as a slow unit; under SCHED_IDLE that
  # is usually the fuzzer waiting for a CPU. Replay each one alone to tell the two apart.
  for unit in artifacts/"$target"/slow-unit-*; do
    [ -e "$unit" ] || continue
    replay=$(target/x86_64-unknown-linux-gnu/release/"$target" $(grep -v "^#" "flags/$target" 2>/dev/null) "$unit" 2>&1 \
      | sed -n 's/^Executed .* in \([0-9]*\) ms$/\1/p')
    echo "  slow unit $(basename "$unit"): ${replay:-?} ms when replayed alone"
  done
done
