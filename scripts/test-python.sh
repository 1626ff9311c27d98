#!/usr/bin/env bash
# The Python suite: builds and installs the binding with `pip install ./bindings/python` into a
# virtualenv it creates (bindings/python/.venv), checks the PyO3 crate with rustfmt and clippy,
# runs the pytest suite (which includes `python -m mypy.stubtest ihuyi`), type-checks and runs
# the example. Idempotent: an existing virtualenv is reused.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

# Pinned test tools; maturin is the build backend pyproject.toml asks for (pip fetches it).
PYTEST_VERSION=9.2.0
MYPY_VERSION=2.4.1
MATURIN_VERSION=1.16.0
MIN_TESTS=140

python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null || ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "installing python3 and python3-venv"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq python3 python3-venv python3-pip >/dev/null
  python=python3
fi

venv=$root/bindings/python/.venv
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
fi
py=$venv/bin/python
"$py" -m pip install -q "pytest==$PYTEST_VERSION" "mypy==$MYPY_VERSION" "maturin==$MATURIN_VERSION"

# pyo3's build script asks this interpreter for its configuration; keeping it the same for
# clippy and for maturin keeps cargo from rebuilding pyo3 between the two.
export PYO3_PYTHON=$py
manifest=bindings/python/Cargo.toml
cargo fmt --manifest-path "$manifest" --check
cargo clippy --manifest-path "$manifest" --all-targets -- -D warnings

# Exactly what a user runs (maturin from PyPI as the build backend, a release build).
"$py" -m pip install --force-reinstall --no-deps ./bindings/python

# Run from outside the source tree so `import ihuyi` is the installed package.
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
(
  cd "$results"
  "$py" -m pytest "$root/bindings/python/tests" -q -rfEs -p no:cacheprovider \
    --junitxml="$results/junit.xml"
)
# pytest exits 5 when it collected nothing (set -e stops on that); also refuse a suite that
# shrank or skipped anything, which would otherwise pass quietly.
"$py" - "$results/junit.xml" "$MIN_TESTS" <<'PY'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suite = root if root.tag == "testsuite" else root.find("testsuite")
tests, skipped = int(suite.get("tests")), int(suite.get("skipped"))
failed = int(suite.get("failures")) + int(suite.get("errors"))
print(f"pytest: {tests} tests, {skipped} skipped, {failed} failed")
if tests < int(sys.argv[2]) or skipped or failed:
    sys.exit(f"the Python suite must run at least {sys.argv[2]} tests, none skipped or failed")
PY

# The package, its stubs, the tests and the example pass a strict type checker (run from
# outside the source tree: `ihuyi` must be the installed package), and the example runs
# against the sandbox.
(
  cd "$results"
  "$py" -m mypy --strict --no-incremental -p ihuyi
  "$py" -m mypy --strict --no-incremental "$root/bindings/python/tests" "$root/examples/python/send_sms.py"
)
env -u IHUYI_ACCOUNT -u IHUYI_APIKEY -u IHUYI_BASE_URL "$py" examples/python/send_sms.py
