// differential.test.ts: runs every program of the WASI preview1 corpus (test/programs/wasi) under
// node:wasi and under `webmach run`, each in a fresh sandbox, with the same arguments, environment
// and stdin, and compares stdout, exit code and the files left behind. The programs mark every
// line that departs from the spec with "[spec: ...]"; webmach must print none, and node:wasi only
// those listed in KNOWN_DIFFERENCES, which name the spec's line webmach prints instead. Also checks
// that the corpus imports every wasi_snapshot_preview1 function.
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PREVIEW1_FUNCTIONS } from '../../dist/libsystem/wasi.js';
import { RUNS } from './corpus.js';
import { KNOWN_DIFFERENCES, type KnownDifference } from './known_differences.js';
import { runId, runIn, wasmPath, ROOT, type Outcome } from './runners.js';

const SPEC_MARKER = '[spec:';

function differencesOf(id: string): KnownDifference[] {
  return KNOWN_DIFFERENCES.filter((d) => d.run === id);
}

/** The transcript's lines that a program marked as departing from the spec. */
function offSpec(transcript: string): string[] {
  return transcript.split('\n').filter((line) => line.includes(SPEC_MARKER));
}

/** How often block occurs in transcript as whole lines. */
function occurrences(transcript: string, block: string): number {
  return `\n${transcript}`.split(`\n${block}\n`).length - 1;
}

/** node:wasi's transcript with each known difference replaced by the spec's lines. */
function corrected(transcript: string, differences: readonly KnownDifference[]): string {
  return differences.reduce((t, d) => `\n${t}`.replace(`\n${d.node}\n`, `\n${d.webmach}\n`).slice(1), transcript);
}

describe.each(RUNS.map((run) => [runId(run), run] as const))('%s', (id, run) => {
  const differences = differencesOf(id);
  let node: Outcome;
  let webmach: Outcome;

  beforeAll(() => {
    node = runIn('node:wasi', run);
    webmach = runIn('webmach', run);
  });

  it('node:wasi departs from the spec only where KNOWN_DIFFERENCES says', () => {
    for (const d of differences) expect(occurrences(node.transcript, d.node), `node prints once: ${d.node}`).toBe(1);
    expect(offSpec(corrected(node.transcript, differences))).toEqual([]);
    expect(node.transcript).toMatch(/\nexit: \d+\n$|^exit: \d+\n$/);
  });

  it("webmach prints the spec's line for every known difference of node:wasi, and no off-spec line", () => {
    for (const d of differences) expect(occurrences(webmach.transcript, d.webmach), `webmach prints once: ${d.webmach}`).toBe(1);
    expect(offSpec(webmach.transcript)).toEqual([]);
  });

  it('webmach prints what node:wasi prints, known differences corrected, and exits the same way', () => {
    expect(webmach.transcript).toBe(corrected(node.transcript, differences));
  });

  it('both leave the same files in the sandbox and nothing beside it', () => {
    expect(webmach.files).toEqual(node.files);
    expect(node.escaped).toEqual([]);
    expect(webmach.escaped).toEqual([]);
    if (run.stderr !== undefined) {
      expect(node.stderr).toContain(run.stderr);
      expect(webmach.stderr).toContain(run.stderr);
    }
  });
});

describe('the corpus', () => {
  it('imports every wasi_snapshot_preview1 function, and nothing else from that module', () => {
    const imported = new Set<string>();
    for (const program of new Set(RUNS.map((run) => run.program))) {
      const module = new WebAssembly.Module(readFileSync(wasmPath(program)));
      for (const i of WebAssembly.Module.imports(module)) if (i.module === 'wasi_snapshot_preview1') imported.add(i.name);
    }
    const all: readonly string[] = PREVIEW1_FUNCTIONS;
    expect(all.filter((name) => !imported.has(name))).toEqual([]);
    expect([...imported].filter((name) => !all.includes(name))).toEqual([]);
  });

  it('runs every program in test/programs/wasi, and lists differences only for runs that exist', () => {
    const sources = readdirSync(`${ROOT}/test/programs/wasi`).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2));
    expect([...new Set(RUNS.map((run) => run.program))].sort()).toEqual(sources.sort());
    const ids = new Set(RUNS.map(runId));
    expect(KNOWN_DIFFERENCES.filter((d) => !ids.has(d.run))).toEqual([]);
  });
});
