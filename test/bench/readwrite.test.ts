// Smoke test of the readwrite experiment (bench/readwrite.ts) against the built output in dist/bench/:
// its configs and ratios are well-formed and carry issue 13's goals, and a quick run of the cached 4 KiB
// read and of lseek under webmach (in-memory and host mount) and node:wasi gives sane rows and ratios.
// No timing claims.
import { describe, expect, it } from 'vitest';
import { expectSaneRow } from './rows.js';
import { runExperiment } from '../../dist/bench/harness.js';
import { experiment as readwrite, OPS, parseElapsed, READ_SIZES } from '../../dist/bench/readwrite.js';

describe('the readwrite experiment', () => {
  it('has a config per op and runtime, and ratios only between measured points', () => {
    const names = readwrite.configs.map((c) => c.name);
    for (const op of OPS) {
      expect(names).toContain(`${op.name}/webmach`);
      expect(names).toContain(`${op.name}/node-wasi`);
      expect(names.includes(`${op.name}/webmach-hostfs`)).toBe(op.files);
    }
    const sizes = (name: string) => readwrite.configs.find((c) => c.name === name)?.params?.sweep;
    expect(sizes('read-cached/webmach')).toEqual({ kind: 'list', values: READ_SIZES });
    for (const r of readwrite.ratios ?? []) {
      for (const ref of [r.numerator, r.denominator!]) {
        expect(names).toContain(ref.config);
        const sweep = sizes(ref.config);
        if (ref.param !== undefined && sweep?.kind === 'list') expect(sweep.values).toContain(ref.param);
      }
    }
    const ratioNames = readwrite.ratios?.map((r) => r.name) ?? [];
    expect(ratioNames.some((n) => n.startsWith('read-cached@4096: webmach / node-wasi') && n.includes('goal <= 1.0'))).toBe(true);
    expect(ratioNames.some((n) => n.startsWith('lseek: webmach / node-wasi') && n.includes('goal <= 1.0'))).toBe(true);
    expect(ratioNames.some((n) => n.startsWith('read1-lseek: webmach / node-wasi') && n.includes('goal <= 1.0'))).toBe(true);
  });

  it('reads the elapsed ns the program prints, and nothing else', () => {
    expect(parseElapsed('12345\n')).toBe(12345);
    expect(parseElapsed('0\n')).toBe(1);
    expect(() => parseElapsed('')).toThrow(/not a count of ns/);
  });

  it('measures a cached read and lseek under webmach and node:wasi (quick, one repetition)', { timeout: 240_000 }, async () => {
    const configs = ['read-cached/webmach', 'read-cached/node-wasi', 'lseek/webmach-hostfs'];
    const report = await runExperiment(readwrite, { quick: true, repetitions: 1, configs });
    expect(report.rows.map((r) => `${r.config}@${r.param}`)).toEqual([
      ...READ_SIZES.map((s) => `read-cached/webmach@${s}`),
      ...READ_SIZES.map((s) => `read-cached/node-wasi@${s}`),
      'lseek/webmach-hostfs@0',
    ]);
    for (const r of report.rows) expectSaneRow(r);
    for (const r of report.rows.filter((r) => r.config.startsWith('read-cached'))) expect(r.counters['MB/s']).toBeGreaterThan(0);
    const cached = report.ratios.find((r) => r.name.startsWith('read-cached@4096: webmach / node-wasi'));
    expect(cached?.value).toBeGreaterThan(0);
  });
});
