// Whether the SDK's tests can run here: `webmach cc` needs Debian's clang, lld and wasi-libc. Without
// them the tests are skipped with one line saying what to install, unless WEBMACH_SDK_TESTS=required
// (CI installs them, see .ci/run), where a missing toolchain fails them instead.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const present = spawnSync(process.env.WEBMACH_CC ?? 'clang', ['--version'], { stdio: 'ignore' }).status === 0 &&
  existsSync('/usr/include/wasm32-wasi/stdio.h') && existsSync('/usr/bin/wasm-ld');

export const SDK_SKIPPED = present || process.env.WEBMACH_SDK_TESTS === 'required'
  ? false
  : 'webmach: the SDK tests (webmach cc) are skipped: install clang, lld, wasi-libc and libclang-rt-dev-wasm32 (Debian) to run them';
