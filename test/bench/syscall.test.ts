// Smoke test of the syscall experiment (bench/syscall.ts) against the built output in dist/bench/: its
// configs and ratios are well-formed, and quick runs of a few configs through the harness give sane rows,
// one pair under node:wasi and @wasmer/wasi, one beside webmach. No timing claims.
import { describe, expect, it } from 'vitest';
import { expectSaneRow } from './rows.js';
import { runExperiment } from '../../dist/bench/harness.js';
import { experiment as syscall, OPS, parseElapsed, RUNTIMES } from '../../dist/bench/syscall.js';

describe('the syscall experiment', () => {
  it('has one config per op and runtime, and ratios only between them', () => {
    const names = syscall.configs.map((c) => c.name);
    expect(names).toEqual(OPS.flatMap((op) => RUNTIMES.map((runtime) => `${op}/${runtime}`)));
    for (const r of syscall.ratios ?? []) {
      expect(names).toContain(r.numerator.config);
      expect(names).toContain(r.denominator?.config);
    }
    expect(syscall.ratios?.map((r) => r.name)).toContain('commpage/webmach / commpage/node-wasi (goal <= 1.5)');
  });

  it('reads the elapsed ns the program prints, and nothing else', () => {
    expect(parseElapsed('12345\n')).toBe(12345);
    expect(parseElapsed('0\n')).toBe(1); // shorter than the guest clock's tick
    expect(() => parseElapsed('')).toThrow(/not a count of ns/);
    expect(() => parseElapsed('-5\n')).toThrow(/not a count of ns/);
  });

  it('measures the program under node:wasi and @wasmer/wasi (quick)', { timeout: 120_000 }, async () => {
    const report = await runExperiment(syscall, { quick: true, configs: ['null/node-wasi', 'read-4k/wasmer'] });
    expect(report.rows.map((r) => r.config)).toEqual(['null/node-wasi', 'read-4k/wasmer']);
    for (const r of report.rows) expectSaneRow(r);
    expect(report.ratios).toEqual([]); // every ratio has a webmach numerator
  });

  it('measures webmach beside node:wasi and takes their ratio (quick)', { timeout: 180_000 }, async () => {
    const report = await runExperiment(syscall, { quick: true, configs: ['commpage/webmach', 'commpage/node-wasi'] });
    expect(report.rows.map((r) => r.config)).toEqual(['commpage/webmach', 'commpage/node-wasi']);
    for (const r of report.rows) expectSaneRow(r);
    const commpage = report.ratios.find((r) => r.name.startsWith('commpage/webmach / commpage/node-wasi'));
    expect(commpage?.value).toBeGreaterThan(0);
  });
});
