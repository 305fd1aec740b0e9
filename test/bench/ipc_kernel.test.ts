// Smoke test of the ipc experiment's kernel configs (bench/ipc_kernel.ts) against the built output in
// dist/bench/ and build/kernel.wasm: one quick run of the four configs through the harness; every
// (config, param) row exists with positive, finite numbers, and the word sweeps get fits. No timing
// claims: a run that saw a wrong reply throws, so finishing at all means every round trip checked out.
// The floors run on the worker pairs of the kernel configs they are compared with, interleaved with them.
import { describe, expect, it } from 'vitest';
import { expectSaneRow } from './rows.js';
import { measurementUnits, paramsOf, runExperiment, sweepValues } from '../../dist/bench/harness.js';
import { experiment as ipc } from '../../dist/bench/ipc.js';
import { pairsStarted } from '../../dist/bench/ipc_kernel.js';

const KERNEL_CONFIGS = [
  'call-cross-worker',
  'call-cross-worker-blocking',
  'call-cross-worker-slowpath',
  'call-colocated',
];
const WORDS = [0, 8, 16, 32, 64];

describe('ipc kernel configs through the harness (quick)', () => {
  it('measures every kernel config at every param', { timeout: 180_000 }, async () => {
    const report = await runExperiment(ipc, { quick: true, configs: KERNEL_CONFIGS });
    const measured = report.rows.map((r) => `${r.config}@${r.param}`);
    expect(measured).toEqual([
      ...WORDS.map((w) => `call-cross-worker@${w}`),
      'call-cross-worker-blocking@0',
      'call-cross-worker-slowpath@0',
      ...WORDS.map((w) => `call-colocated@${w}`),
    ]);
    for (const r of report.rows) {
      expectSaneRow(r);
      for (const v of Object.values(r.counters)) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    expect(report.fits.map((f) => [f.config, f.unit])).toEqual([
      ['call-cross-worker', 'word'],
      ['call-colocated', 'word'],
    ]);
    for (const f of report.fits) expect(Number.isFinite(f.slopeNs) && Number.isFinite(f.interceptNs)).toBe(true);
    const colocated = report.ratios.find((r) => r.name === 'call-colocated@0 (ns)');
    expect(colocated?.value).toBeGreaterThan(0);
  });
});

describe('the floors (quick)', () => {
  it('are measured interleaved with the kernel config each is compared with', () => {
    const subjects = ipc.configs.flatMap((config) =>
      sweepValues(paramsOf(ipc, config).sweep).map((param) => ({ config, param })),
    );
    const paired = measurementUnits(subjects, ipc.ratios ?? [])
      .filter((unit) => unit.length === 2)
      .map((unit) => unit.map((s) => `${s.config.name}@${s.param}`));
    expect(paired).toEqual([
      ['spin-floor@0', 'call-cross-worker@0'],
      ['atomics-floor@0', 'call-cross-worker-blocking@0'],
    ]);
  });

  it('run on the worker pair of the kernel config each is compared with, and count their waits', { timeout: 120_000 }, async () => {
    const before = pairsStarted();
    const configs = ['spin-floor', 'atomics-floor', 'call-cross-worker', 'call-cross-worker-blocking'];
    const report = await runExperiment(ipc, { quick: true, configs });
    // call-cross-worker at five word counts and the blocking config: six pairs, the floors on two of them.
    expect(pairsStarted() - before).toBe(WORDS.length + 1);
    const floor = (name: string) => report.rows.find((r) => r.config === name)!;
    for (const name of ['spin-floor', 'atomics-floor']) {
      expectSaneRow(floor(name));
      expect(Object.keys(floor(name).counters).sort()).toEqual(['ping-waits/rt', 'pong-waits/rt']);
    }
    // A bare ping-pong blocks on most round trips; a spinning one almost never in the steady state.
    expect(floor('atomics-floor').counters['ping-waits/rt']).toBeGreaterThan(0);
    expect(report.ratios.map((r) => r.name)).toContain('call-cross-worker@0 / spin-floor');
  });
});
