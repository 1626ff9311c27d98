#!/usr/bin/env bash
# The C suite: builds libihuyi (the C ABI crate), checks that the committed headers are what
# cbindgen generates and that they compile as C99 and C++11, installs into a temporary prefix,
# builds the examples and the C test suite against the installed files (pkg-config), and runs
# the suite under valgrind. Installs what it needs first (apt, a pinned cbindgen).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CBINDGEN_VERSION=0.29.4
export RUST_BACKTRACE=0 # a caught panic's backtrace would leave the symbolizer's cache behind

step() { echo "--- c: $*"; }

step "system packages"
need=()
for pkg in gcc g++ make pkg-config valgrind libcjson-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi

step "cbindgen $CBINDGEN_VERSION"
export PATH="$HOME/.cargo/bin:$PATH"
if [ "$(cbindgen --version 2>/dev/null)" != "cbindgen $CBINDGEN_VERSION" ]; then
  cargo install cbindgen --version "$CBINDGEN_VERSION" --locked
fi

step "the committed headers are what cbindgen generates"
make -s -C bindings/c check-headers

step "the headers compile as C99 and C++11 (-Wall -Wextra -Werror -pedantic)"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
printf '#include "ihuyi.h"\n#include "ihuyi.h"\nint main(void) { return ihuyi_version() == 0; }\n' > "$WORK/h.c"
cp "$WORK/h.c" "$WORK/h.cpp"
gcc -std=c99 -Wall -Wextra -Werror -pedantic -Iinclude -c "$WORK/h.c" -o "$WORK/h.o"
g++ -std=c++11 -Wall -Wextra -Werror -pedantic -Iinclude -c "$WORK/h.cpp" -o "$WORK/hpp.o"
printf '#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n#include "ihuyi_php.h"\nint main(void) { return ihuyi_version() == 0; }\n' > "$WORK/php.c"
gcc -std=c99 -Wall -Wextra -Werror -pedantic -Iinclude -c "$WORK/php.c" -o "$WORK/php.o"
# PHP's FFI::cdef ignores '#' lines, rejects extern "C" and needs a final newline.
if grep -n '^[[:space:]]*#\|extern "C"' include/ihuyi_php.h; then
  echo "include/ihuyi_php.h must have no preprocessor lines and no extern \"C\"" >&2; exit 1
fi
[ "$(tail -c 1 include/ihuyi_php.h | od -An -c | tr -d ' ')" = '\n' ] || { echo "ihuyi_php.h: no final newline" >&2; exit 1; }

step "install into a temporary prefix"
PREFIX="$WORK/prefix"
make -s -C bindings/c install PREFIX="$PREFIX" PROFILE=debug
export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig"
pkg-config --exists ihuyi
[ "$(pkg-config --modversion ihuyi)" = "$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)" ]
pkg-config --static --libs ihuyi | grep -q -- -lpthread
cmp "$PREFIX/include/ihuyi.h" include/ihuyi.h

step "PHP's FFI::cdef accepts ihuyi_php.h against the installed library"
if php -r 'exit(extension_loaded("ffi") ? 0 : 1);' 2>/dev/null; then
  php -r '$f = FFI::cdef(file_get_contents($argv[1]), $argv[2]);
          if ($f->ihuyi_version() !== $argv[3] || $f->IHUYI_ERR_PANIC !== 199) exit(1);
          echo "php ffi: ok\n";' include/ihuyi_php.h "$PREFIX/lib/libihuyi.so" "$(pkg-config --modversion ihuyi)"
else
  echo "php with FFI is not installed: this check is left to the PHP suite"
fi

step "the library exports exactly the functions the header declares"
grep -o '\bihuyi_[a-z0-9_]*(' include/ihuyi.h | tr -d '(' | sort -u > "$WORK/declared"
nm -D --defined-only "$PREFIX/lib/libihuyi.so" | awk '$2 == "T" && $3 ~ /^ihuyi_/ {print $3}' | sort -u > "$WORK/exported"
diff "$WORK/declared" "$WORK/exported"
echo "$(wc -l < "$WORK/exported") functions"

step "examples (C linked statically, C++ against the shared library)"
make -s -C examples/c -B LINK=static
make -s -C examples/cpp -B
./examples/c/send_and_balance
./examples/cpp/send_and_balance
# and the C one linked against the shared library
make -s -C examples/c -B LINK=shared
./examples/c/send_and_balance > /dev/null
make -s -C examples/c clean
make -s -C examples/cpp clean

step "the C test suite under valgrind"
make -s -C tests/c -B
LOG="$WORK/suite.log"
status=0
valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,possible \
  ./tests/c/ihuyi_tests "$ROOT/tests/fixtures" > "$LOG" 2>&1 || status=$?
grep -v '^ok ' "$LOG" | grep -v 'deliberate panic\|panicked at\|^$' || true
make -s -C tests/c clean
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$LOG" | tail -n 1)
echo "c suite: ${summary:-no summary line}"
grep -q 'ERROR SUMMARY: 0 errors' "$LOG" || { echo "valgrind reported errors" >&2; exit 1; }
grep -q 'definitely lost: [1-9]' "$LOG" && { echo "valgrind: memory definitely lost" >&2; exit 1; }
[ "$status" -eq 0 ] || { echo "the C suite failed (exit $status)" >&2; exit 1; }
case "$summary" in *" 0 failed") ;; *) echo "the C suite did not pass" >&2; exit 1 ;; esac
