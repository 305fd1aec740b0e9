// Tests of the benchmark harness (bench/harness.ts) against the built output in dist/bench/: the
// pure statistics on known data, sweeps, ratios and the JSON shape, then one quick run of the ipc
// experiment's atomics-floor and postmessage configs (rows exist and are sane; no timing claims).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectSaneRow } from './rows.js';
import {
  chooseIterations,
  computeFits,
  computeRatios,
  formatNs,
  INTERLEAVE_CHUNKS,
  linearFit,
  measurementUnits,
  MAX_ITERATIONS,
  median,
  percentile,
  reportToJson,
  runExperiment,
  STEAL_RETRIES,
  stolenNs,
  sweepValues,
} from '../../dist/bench/harness.js';
import { experiment as ipc } from '../../dist/bench/ipc.js';

const row = (config: string, param: number, medianNs: number) => ({
  config,
  param,
  medianNs,
  p10Ns: medianNs,
  p90Ns: medianNs,
  iterations: 1,
  repetitions: 1,
  redone: 0,
  disturbed: 0,
  counters: {},
});

/** The param spec of the synthetic experiments below: one param, 0. */
const ONE_PARAM = { unit: 'op', sweep: { kind: 'list' as const, values: [0] } };

describe('median and percentile', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('interpolates between closest ranks (R-7)', () => {
    const xs = [11, 1, 10, 2, 9, 3, 8, 4, 7, 5, 6]; // 1..11, shuffled
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile(xs, 10)).toBe(2);
    expect(percentile(xs, 90)).toBe(10);
    expect(percentile(xs, 100)).toBe(11);
    expect(percentile([0, 10], 25)).toBe(2.5);
  });

  it('does not reorder its input and rejects bad arguments', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
    expect(() => median([])).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('linearFit', () => {
  it('recovers y = 3x + 5 exactly', () => {
    const xs = [0, 8, 16, 32, 64];
    const f = linearFit(xs, xs.map((x) => 3 * x + 5));
    expect(f.slope).toBeCloseTo(3, 12);
    expect(f.intercept).toBeCloseTo(5, 12);
    expect(f.r2).toBeCloseTo(1, 12);
  });

  it('computes r2 of an imperfect fit', () => {
    // least squares through (0,0) (1,2) (2,1): y = 0.5 + 0.5x, SSres = 1.5, SStot = 2
    const f = linearFit([0, 1, 2], [0, 2, 1]);
    expect(f.slope).toBeCloseTo(0.5, 12);
    expect(f.intercept).toBeCloseTo(0.5, 12);
    expect(f.r2).toBeCloseTo(0.25, 12);
  });

  it('gives a flat line with r2 = 1 for constant data, and needs two distinct x', () => {
    expect(linearFit([1, 2, 3], [4, 4, 4])).toEqual({ intercept: 4, slope: 0, r2: 1 });
    expect(() => linearFit([2, 2], [1, 3])).toThrow(RangeError);
    expect(() => linearFit([1, 2], [1])).toThrow(RangeError);
  });
});

describe('sweepValues', () => {
  it('adds a step (linear) up to and including the upper bound', () => {
    expect(sweepValues({ kind: 'range', lower: 0, upper: 64, step: 16, stepFunction: 'add' })).toEqual([0, 16, 32, 48, 64]);
    expect(sweepValues({ kind: 'range', lower: 1, upper: 10, step: 4, stepFunction: 'add' })).toEqual([1, 5, 9]);
    expect(sweepValues({ kind: 'range', lower: 0, upper: 0.3, step: 0.1, stepFunction: 'add' })).toHaveLength(4);
  });

  it('multiplies by a step (geometric), as in L4bench 10..10000 step 10', () => {
    expect(sweepValues({ kind: 'range', lower: 10, upper: 10000, step: 10, stepFunction: 'mul' })).toEqual([10, 100, 1000, 10000]);
    expect(sweepValues({ kind: 'range', lower: 1, upper: 100, step: 2, stepFunction: 'mul' })).toEqual([1, 2, 4, 8, 16, 32, 64]);
  });

  it('returns explicit lists as given, and refuses sweeps that never end', () => {
    expect(sweepValues({ kind: 'list', values: [0, 8, 16, 32, 64] })).toEqual([0, 8, 16, 32, 64]);
    expect(() => sweepValues({ kind: 'range', lower: 0, upper: 10, step: 0, stepFunction: 'add' })).toThrow(RangeError);
    expect(() => sweepValues({ kind: 'range', lower: 0, upper: 10, step: 2, stepFunction: 'mul' })).toThrow(RangeError);
    expect(() => sweepValues({ kind: 'range', lower: 1, upper: 10, step: 1, stepFunction: 'mul' })).toThrow(RangeError);
    expect(() => sweepValues({ kind: 'list', values: [] })).toThrow(RangeError);
  });
});

describe('iterations, fits, ratios, formatting', () => {
  it('chooses iterations for the target duration, clamped', () => {
    expect(chooseIterations(1000, 30e6)).toBe(30000);
    expect(chooseIterations(1e9, 30e6)).toBe(1);
    expect(chooseIterations(0, 30e6)).toBe(MAX_ITERATIONS);
    expect(chooseIterations(1e-6, 30e6)).toBe(MAX_ITERATIONS);
  });

  it('fits each config over its params and skips configs with one param', () => {
    const rows = [0, 8, 16].map((p) => row('k', p, 2 * p + 100)).concat([row('floor', 0, 50)]);
    const fits = computeFits(rows, () => 'word');
    expect(fits).toHaveLength(1);
    expect(fits[0].config).toBe('k');
    expect(fits[0].slopeNs).toBeCloseTo(2, 9);
    expect(fits[0].interceptNs).toBeCloseTo(100, 9);
    expect(fits[0].unit).toBe('word');
  });

  it('takes ratios of medians, defaults to the smallest param, and skips what was not run', () => {
    const rows = [row('a', 0, 300), row('a', 8, 900), row('b', 4, 100)];
    const ratios = computeRatios(rows, [
      { name: 'a@8 / b', numerator: { config: 'a', param: 8 }, denominator: { config: 'b' } },
      { name: 'a / b', numerator: { config: 'a' }, denominator: { config: 'b' } },
      { name: 'a@0 (ns)', numerator: { config: 'a', param: 0 } },
      { name: 'missing / b', numerator: { config: 'missing' }, denominator: { config: 'b' } },
      { name: 'a@16 / b', numerator: { config: 'a', param: 16 }, denominator: { config: 'b' } },
    ]);
    expect(ratios.map((r) => [r.name, r.value])).toEqual([
      ['a@8 / b', 9],
      ['a / b', 3],
      ['a@0 (ns)', 300],
    ]);
    expect(ratios[0].denominator).toEqual({ config: 'b', param: 4, median_ns: 100 });
  });

  it('formats durations in ns, us, ms', () => {
    expect(formatNs(75.3)).toBe('75.3 ns');
    expect(formatNs(8240)).toBe('8.24 us');
    expect(formatNs(552e3)).toBe('552 us');
    expect(formatNs(1.5e6)).toBe('1.50 ms');
  });
});

describe('repetitions disturbed by steal time', () => {
  // A config whose run() reports a fixed time, and a steal clock that advances during chosen attempts.
  const fixed = { name: 'fixed', setup: () => undefined, run: (_: unknown, n: number) => n * 100 };
  const experiment = { name: 'steal', description: 'a fixed cost', params: ONE_PARAM, configs: [fixed] };

  it('measures a repetition again while steal advances during it, and keeps it after STEAL_RETRIES', async () => {
    // Attempts in order: rep 1 clean; rep 2 disturbed once, then clean; rep 3 disturbed every time.
    const disturbedAttempts = [false, true, false, ...Array<boolean>(STEAL_RETRIES + 1).fill(true)];
    let attempt = 0;
    let before = true;
    let clock = 0;
    const steal = () => {
      if (!before && disturbedAttempts[attempt++]) clock += 1e7;
      before = !before;
      return clock;
    };
    const report = await runExperiment(experiment, { repetitions: 3, steal });
    expect(attempt).toBe(disturbedAttempts.length);
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]).toMatchObject({ repetitions: 3, redone: 1 + STEAL_RETRIES, disturbed: 1, medianNs: 100 });
  });

  it('measures once when no steal clock is available', async () => {
    const report = await runExperiment(experiment, { repetitions: 2, steal: () => undefined });
    expect(report.rows[0]).toMatchObject({ repetitions: 2, redone: 0, disturbed: 0 });
  });

  it('reads the steal column of /proc/stat on Linux', () => {
    const ns = stolenNs();
    if (process.platform === 'linux') expect(ns).toBeGreaterThanOrEqual(0);
    else expect(ns).toBeUndefined();
  });
});

describe('iteration counts', () => {
  it('raises the count after a transient that lasted all through warm-up', async () => {
    // Each run costs a fixed 50 us (a wake-up) plus 1 ms an op for the first 100 ops ever, then 100 ns.
    let ops = 0;
    const run = (_: unknown, n: number) => {
      let ns = 50e3;
      for (let i = 0; i < n; i++) ns += ops++ < 100 ? 1e6 : 100;
      return ns;
    };
    const slowStart = { name: 'slow-start', setup: () => undefined, run };
    const experiment = { name: 'transient', description: 'a slow start', params: ONE_PARAM, configs: [slowStart] };
    const report = await runExperiment(experiment, { repetitions: 9, steal: () => undefined });
    const [r] = report.rows;
    expect(r!.iterations).toBeGreaterThan(chooseIterations(1e6) * 100); // settled at about 30 during the transient
    expect(r!.medianNs).toBeLessThan(110); // at 30 ops a repetition, the 50 us would make it about 1.8 us
  });
});

describe('interleaved ratios', () => {
  const subject = (name: string, param = 0) => ({ config: { name }, param });

  it('group the two sides of each interleaved ratio into one unit, at the first one\'s place', () => {
    const [a, b0, b8, c] = [subject('a'), subject('b', 0), subject('b', 8), subject('c')];
    const ratios = [
      { name: 'c / a', numerator: { config: 'c' }, denominator: { config: 'a' } },
      { name: 'b / a', numerator: { config: 'b' }, denominator: { config: 'a' }, interleaved: true },
    ];
    expect(measurementUnits([a, b0, b8, c], ratios)).toEqual([[a, b0], [b8], [c]]);
    const twice = [...ratios, { name: 'c / b', numerator: { config: 'c' }, denominator: { config: 'b' }, interleaved: true }];
    expect(() => measurementUnits([a, b0, b8, c], twice)).toThrow(/one other only/);
  });

  it('alternate chunks of the two sides within each repetition', async () => {
    const log: string[] = [];
    const config = (name: string, ns: number) => ({
      name,
      setup: () => undefined,
      run: (_: unknown, n: number) => {
        log.push(name);
        return { elapsedNs: n * ns, counters: { rate: ns / 1000 } };
      },
    });
    const experiment = {
      name: 'pair',
      description: 'two interleaved configs',
      params: ONE_PARAM,
      configs: [config('slow', 200), config('fast', 100)],
      ratios: [{ name: 'slow / fast', numerator: { config: 'slow' }, denominator: { config: 'fast' }, interleaved: true }],
    };
    const report = await runExperiment(experiment, { repetitions: 2, steal: () => undefined });
    // Per repetition (the end of the log): each side's lead-in, then INTERLEAVE_CHUNKS chunks of slow and fast in turn.
    const repetition = ['slow', 'fast', ...Array<string[]>(INTERLEAVE_CHUNKS).fill(['slow', 'fast']).flat()];
    expect(log.slice(-2 * repetition.length)).toEqual([...repetition, ...repetition]);
    expect(report.ratios[0]!.value).toBe(2);
    expect(report.rows.map((r) => [r.config, r.medianNs])).toEqual([
      ['slow', 200],
      ['fast', 100],
    ]);
    // Counters are rates: the chunks' values averaged, weighted by their iterations.
    expect(report.rows[0]!.counters['rate']).toBeCloseTo(0.2, 12);
    expect(report.rows[1]!.counters['rate']).toBeCloseTo(0.1, 12);
  });
});

describe('ipc experiment through the harness (quick)', () => {
  it('measures atomics-floor and postmessage', async () => {
    const report = await runExperiment(ipc, { quick: true, configs: ['atomics-floor', 'postmessage'] });
    expect(report.rows.map((r) => r.config)).toEqual(['postmessage', 'atomics-floor']); // the experiment's order
    for (const r of report.rows) {
      expect(r.param).toBe(0);
      expectSaneRow(r);
    }
    expect(report.ratios).toEqual([]); // every declared ratio names a config that did not run
    const json = reportToJson(report);
    expect(Object.keys(json).sort()).toEqual(['experiment', 'fits', 'machine', 'ratios', 'rows']);
    expect(Object.keys(json.rows[0]).sort()).toEqual(['config', 'median_ns', 'p10_ns', 'p90_ns', 'param']);
    expect(json.machine.cpu_count).toBeGreaterThan(0);
  });

  it('rejects config names the experiment does not have', async () => {
    await expect(runExperiment(ipc, { quick: true, configs: ['nope'] })).rejects.toThrow(/unknown config nope/);
  });
});

describe('bench CLI', () => {
  it('exits 2 with a one-line error naming the available experiments', () => {
    const cli = fileURLToPath(new URL('../../dist/bench/run.js', import.meta.url));
    const out = spawnSync(process.execPath, [cli, 'no-such-experiment'], { encoding: 'utf8' });
    expect(out.status).toBe(2);
    expect(out.stderr.trim().split('\n')).toEqual([expect.stringMatching(/unknown experiment.*available: .*ipc/)]);
  });
});
