// The node:wasi side of the `programs` benchmark (bench/programs.ts): the tiny script a user would
// write to run a WASI program with Node's own implementation, as one process.
// `node dist/bench/node_wasi.js [--dir HOST::GUEST ...] PROGRAM.wasm [ARGS...]`: preopens each HOST
// at GUEST, runs PROGRAM with the process's standard streams and exits with the program's status.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { WASI } from 'node:wasi';

const argv = process.argv.slice(2);
const preopens: Record<string, string> = {};
while (argv[0] === '--dir') {
  const [host, guest] = (argv[1] ?? '').split('::');
  if (!host || !guest) throw new Error(`--dir expects HOST::GUEST, got '${argv[1]}'`);
  preopens[guest] = host;
  argv.splice(0, 2);
}
const [path, ...args] = argv;
if (path === undefined) throw new Error('usage: node_wasi.js [--dir HOST::GUEST ...] PROGRAM.wasm [ARGS...]');
const wasi = new WASI({ version: 'preview1', args: [basename(path), ...args], env: {}, preopens, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(path));
process.exitCode = wasi.start(await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport }));
