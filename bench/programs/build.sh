#!/usr/bin/env bash
# build.sh: rebuilds every bench/programs/*.c into the .wasm beside it (wasm32-wasi, -O2, stripped).
# The built .wasm files are committed, so CI does not need clang; run this after editing a .c file.
# Needs clang + lld + wasi-libc + libclang-rt-dev-wasm32 (Debian). Override the compiler with $CC.
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-clang}

# Debian puts wasi-libc in /usr/{include,lib}/wasm32-wasi; with no --sysroot clang would also see
# the host's glibc headers. Give it a clean sysroot holding only the wasi-libc directories.
sysroot=$(mktemp -d)
trap 'rm -rf "$sysroot"' EXIT
mkdir -p "$sysroot/include" "$sysroot/lib"
ln -s /usr/include/wasm32-wasi "$sysroot/include/wasm32-wasi"
ln -s /usr/lib/wasm32-wasi "$sysroot/lib/wasm32-wasi"

for src in *.c; do
  out=${src%.c}.wasm
  echo "$CC $src -> $out"
  "$CC" --target=wasm32-wasi --sysroot="$sysroot" -O2 -Wall -Wextra -Wl,--strip-all "$src" -o "$out"
done
