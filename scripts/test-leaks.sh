#!/usr/bin/env bash
# Memory checks beyond the C suite (which runs under valgrind in scripts/test-c.sh): the Python
# binding under valgrind. A short script (bindings/python/leaks/exercise.py: a sandbox, sends and
# balances in every mode and format, every error kind, receipts, the pure helpers) runs with
# PYTHONMALLOC=malloc so every Python allocation is visible; it must end with 0 errors and 0
# bytes definitely lost. bindings/python/leaks/cpython.supp suppresses only CPython's own
# reports (the file says which and why; the baseline run below shows them without ihuyi).
# Reuses the virtualenv of scripts/test-python.sh, building it first when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if ! command -v valgrind >/dev/null; then
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq valgrind
fi

venv=$root/bindings/python/.venv
py=$venv/bin/python
if ! "$py" -c 'import ihuyi' 2>/dev/null; then
  echo "--- leaks: the Python binding is not installed: running scripts/test-python.sh first"
  bash scripts/test-python.sh
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
vg=(valgrind --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite
    --num-callers=40)

echo "--- leaks: baseline, CPython alone (informational: what cpython.supp is for)"
(cd "$work" && PYTHONMALLOC=malloc "${vg[@]}" "$py" -c 'import gc, socket' 2>&1) \
  | grep -E 'ERROR SUMMARY|definitely lost' | sed 's/^==[0-9]*== */  /'

echo "--- leaks: the binding under valgrind"
status=0
(cd "$work" && PYTHONMALLOC=malloc "${vg[@]}" --error-exitcode=99 \
  --suppressions="$root/bindings/python/leaks/cpython.supp" \
  "$py" "$root/bindings/python/leaks/exercise.py") > "$work/vg.log" 2>&1 || status=$?
grep -E 'exercise:|ERROR SUMMARY|definitely lost|indirectly lost' "$work/vg.log" | sed 's/^==[0-9]*== */  /'
if [ "$status" -ne 0 ]; then
  cat "$work/vg.log" >&2
  echo "the Python run under valgrind failed (exit $status)" >&2
  exit 1
fi
grep -q 'ERROR SUMMARY: 0 errors' "$work/vg.log" || { echo "valgrind reported errors" >&2; exit 1; }
grep -q 'exercise: ok' "$work/vg.log" || { echo "the exercise did not finish" >&2; exit 1; }
if grep -q 'definitely lost: [1-9]' "$work/vg.log"; then
  echo "valgrind: memory definitely lost" >&2; exit 1
fi
echo "leaks: python under valgrind: 0 errors, 0 bytes definitely lost"
