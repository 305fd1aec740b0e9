#!/usr/bin/env bash
# build.sh: rebuilds the committed WebAssembly programs from their sources: every .c into the .wasm
# beside it (wasm32-wasi, -O2, stripped) and every .wat with wat2wasm (after running the .mjs
# generators, which write .wat files), in test/programs,
# test/programs/wasi (the WASI preview1 corpus), test/programs/sandbox (escape attempts from a host mount)
# and bench/programs (the benchmark guests); and the programs written for Linux in test/programs/posix
# (and lsmp_subject.c there, written for Mach), those written for macOS in test/programs/mach, the
# INKS program (bench/programs/inks) and the proc benchmark's guest with webmach's SDK
# (`webmach cc`: run `npm run build` first).
# The built .wasm files are committed, so CI does not need clang; run this after editing a source.
# Needs clang + lld + wasi-libc + libclang-rt-dev-wasm32 + wabt (Debian). Override the compiler with $CC.
set -euo pipefail
cd "$(dirname "$0")/../.."
CC=${CC:-clang}

# Debian puts wasi-libc in /usr/{include,lib}/wasm32-wasi; with no --sysroot clang would also see
# the host's glibc headers. Give it a clean sysroot holding only the wasi-libc directories.
sysroot=$(mktemp -d)
trap 'rm -rf "$sysroot"' EXIT
mkdir -p "$sysroot/include" "$sysroot/lib"
ln -s /usr/include/wasm32-wasi "$sysroot/include/wasm32-wasi"
ln -s /usr/lib/wasm32-wasi "$sysroot/lib/wasm32-wasi"

shopt -s nullglob
for dir in test/programs test/programs/wasi test/programs/sandbox bench/programs; do
  for gen in "$dir"/*.mjs; do
    echo "node $gen"
    node "$gen"
  done
  for src in "$dir"/*.c; do
    [ "$src" = bench/programs/proc.c ] && continue # built with the SDK, below
    echo "$CC $src -> ${src%.c}.wasm"
    "$CC" --target=wasm32-wasi --sysroot="$sysroot" -O2 -Wall -Wextra -Wl,--strip-all "$src" -o "${src%.c}.wasm"
  done
  for src in "$dir"/*.wat; do
    echo "wat2wasm $src -> ${src%.wat}.wasm"
    wat2wasm "$src" -o "${src%.wat}.wasm"
  done
done

for src in test/programs/posix/*.c test/programs/mach/*.c bench/programs/proc.c; do
  echo "webmach cc $src -> ${src%.c}.wasm"
  node bin/webmach.js cc -O2 -Wall -Wextra -Wl,--strip-all "$src" -o "${src%.c}.wasm"
done

# A program with a Mach interface of its own: its generated stubs and server (abi/generate.mjs) beside it.
echo "webmach cc bench/programs/inks -> bench/programs/inks/inks.wasm"
node bin/webmach.js cc -O2 -Wall -Wextra -Wl,--strip-all bench/programs/inks/inks.c bench/programs/inks/inks_user.c bench/programs/inks/inks_server.c -o bench/programs/inks/inks.wasm
