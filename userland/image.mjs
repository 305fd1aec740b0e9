// Packs the system's own programs, userland/bin/NAME.wasm, into the boot image build/bin.img (the
// layout is abi/bootimage.ts), served at /bin as NAME. Run by `npm run build`, after tsc.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { packBootImage } from '../dist/abi/bootimage.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}userland/bin/`;
const files = readdirSync(bin)
  .filter((f) => f.endsWith('.wasm'))
  .sort()
  .map((f) => ({ name: f.slice(0, -'.wasm'.length), bytes: readFileSync(bin + f) }));
mkdirSync(`${root}build`, { recursive: true });
writeFileSync(`${root}build/bin.img`, packBootImage({ mtim: BigInt(Date.now()) * 1_000_000n, files }));
