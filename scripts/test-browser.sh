#!/usr/bin/env bash
# The browser suite: the sandbox inbox page in Debian's headless Chromium, driven by
# playwright-core from npm (never a downloaded browser). Installs what it needs, idempotently:
# chromium and a CJK font (for readable screenshots) from apt, playwright-core with npm ci.
# Saves artifacts/inbox.png and artifacts/inbox-phone.png; UPDATE_DOCS=1 also rewrites the
# README's docs/inbox.png. Prints "N passed, N failed"; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
# A failure before the test itself runs still ends with the closing line.
trap 'rc=$?; [ $rc -eq 0 ] || echo "0 passed, 1 failed (setup failed with exit code $rc)"' EXIT

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei" || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Debug build: the same binary the Rust suite tests (IHUYI_BIN overrides it).
if [ -z "${IHUYI_BIN:-}" ]; then
  cargo build --quiet --bin ihuyi
  export IHUYI_BIN="$PWD/target/debug/ihuyi"
fi

cd tests/browser
if ! node -e "require.resolve('playwright-core')" 2>/dev/null \
  || [ "$(node -p "require('playwright-core/package.json').version")" != "$(node -p "require('./package.json').dependencies['playwright-core']")" ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
if [ "${UPDATE_DOCS:-0}" = 1 ]; then
  mkdir -p ../../docs
  export DOCS_SCREENSHOT="$PWD/../../docs/inbox.png"
fi
export ARTIFACTS="$PWD/../../artifacts"
trap - EXIT
rc=0
timeout 170 node inbox.test.mjs || rc=$?
if [ "$rc" -eq 124 ]; then echo "the browser test took more than 170 s"; echo "0 passed, 1 failed"; fi
exit "$rc"
