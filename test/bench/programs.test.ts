// Smoke test of the programs experiment (bench/programs.ts) against the built output in dist/bench/:
// one config per program and runtime, an interleaved ratio with its goal per program, and one quick
// repetition of each program but the quiet stdio copy (each run a spawned process: webmach run, or
// node:wasi through bench/node_wasi.ts) gives sane rows and their ratios; the busy configs start and
// stop their busy processes. Runs that fail or print the wrong thing throw.
// No timing claims.
import { describe, expect, it } from 'vitest';
import { expectSaneRow } from './rows.js';
import { runExperiment } from '../../dist/bench/harness.js';
import { commandLine, experiment as programs, GOALS, PROGRAMS, RUNTIMES, speechText } from '../../dist/bench/programs.js';

describe('the programs experiment', () => {
  it('has one whole-process config per program and runtime, and an interleaved ratio with a goal per program', () => {
    const names = programs.configs.map((c) => c.name);
    expect(names).toEqual(PROGRAMS.flatMap((p) => RUNTIMES.map((r) => `${p}/${r}`)));
    expect(programs.configs.every((c) => c.wholeProcess === true)).toBe(true);
    expect(programs.ratios?.map((r) => [r.numerator.config, r.denominator?.config, r.interleaved])).toEqual(
      PROGRAMS.map((p) => [`${p}/webmach`, `${p}/node-wasi`, true]),
    );
    expect(programs.ratios?.map((r) => r.name)).toContain(`hello/webmach / hello/node-wasi (goal <= ${GOALS.hello})`);
  });

  it('runs the same program, arguments and directories under both runtimes', () => {
    const inv = { program: '/p.wasm', args: ['-x', '1'], dirs: [['/h', '/g']] as const, busy: 0, check: async () => undefined, cleanup: async () => {} };
    const webmach = commandLine('webmach', inv);
    const nodeWasi = commandLine('node-wasi', inv);
    expect(webmach.slice(1)).toEqual(['run', '--dir', '/h::/g', '/p.wasm', '-x', '1']);
    expect(nodeWasi.slice(2)).toEqual(['--dir', '/h::/g', '/p.wasm', '-x', '1']);
  });

  it('speaks a text of the size asked, the same every time', () => {
    expect(speechText(2000).length).toBeGreaterThanOrEqual(2000);
    expect(speechText(2000).length).toBeLessThan(2100);
    expect(speechText(500)).toBe(speechText(500));
  });

  it('measures programs under webmach and node:wasi and takes their ratios (quick, one repetition)', { timeout: 600_000 }, async () => {
    const configs = ['flite', 'compute', 'hello', 'stdio-busy'].flatMap((p) => RUNTIMES.map((r) => `${p}/${r}`));
    const report = await runExperiment(programs, { quick: true, repetitions: 1, configs, steal: () => undefined });
    expect(report.rows.map((r) => r.config)).toEqual(configs);
    for (const r of report.rows) {
      expectSaneRow(r);
      expect(r.iterations).toBe(1);
    }
    expect(report.ratios.map((r) => r.name)).toEqual(programs.ratios?.filter((r) => !r.name.startsWith('stdio/')).map((r) => r.name));
    for (const r of report.ratios) expect(r.value).toBeGreaterThan(0);
  });
});
