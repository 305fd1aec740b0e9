#!/usr/bin/env bash
# build.sh: rebuilds the system's own programs, the in-memory /bin, with webmach's SDK (`webmach cc`;
# run `npm run build` first): every userland/cmd/NAME.c, linked with the utilities' shared library
# userland/lib/*.c, into userland/bin/NAME.wasm, and the shell from all of userland/sh/*.c into
# userland/bin/sh.wasm (with the 8 MiB stack its main.c expects). `[` is test under its other name.
# The built .wasm files are committed, so CI needs no C toolchain; run this after editing a source.
# Build one program: userland/build.sh NAME.
set -euo pipefail
cd "$(dirname "$0")/.."
cc() { node bin/webmach.js cc -O2 -Wall -Wextra -Wl,--strip-all "$@"; }

build() {
  local name=$1
  if [ "$name" = sh ]; then
    echo "webmach cc userland/sh/*.c -> userland/bin/sh.wasm"
    cc userland/sh/*.c -Wl,-z,stack-size=8388608 -o userland/bin/sh.wasm
  else
    echo "webmach cc userland/cmd/$name.c userland/lib/*.c -> userland/bin/$name.wasm"
    cc "userland/cmd/$name.c" userland/lib/*.c -o "userland/bin/$name.wasm"
  fi
  if [ "$name" = test ]; then cp userland/bin/test.wasm 'userland/bin/[.wasm'; fi
}

if [ $# -gt 0 ]; then
  for name in "$@"; do build "$name"; done
  exit 0
fi
shopt -s nullglob
for src in userland/cmd/*.c; do
  name=$(basename "$src" .c)
  build "$name"
done
if compgen -G 'userland/sh/*.c' >/dev/null; then build sh; fi
