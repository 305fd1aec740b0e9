// Benchmark harness in the spirit of L4bench: an experiment is a list of configurations, each swept
// over one parameter; each (config, param) gets setup, calibrated repetitions of run, teardown.
// Interface: runExperiment() -> Report; formatReport() / reportToJson() render it; the pure statistics
// (median, percentile, linearFit, sweepValues, chooseIterations, computeFits, computeRatios) are exported.
// It does not time anything itself: run() returns the nanoseconds the experiment measured. Each
// measured run follows an untimed lead-in run (not for whole-process configs, one fresh process a
// run); a repetition during which the hypervisor took CPU time from the machine (steal) is measured again.
import { readFileSync } from 'node:fs';
import os from 'node:os';

// ---- declarations an experiment makes ----

/** How a range sweep advances: `add` (lower, lower+step, ...) or `mul` (lower, lower*step, ...). */
export type StepFunction = 'add' | 'mul';

/** A parameter sweep: a bounded range with a step function, or an explicit list of values. */
export type Sweep = RangeSweep | ListSweep;

export interface RangeSweep {
  readonly kind: 'range';
  readonly lower: number;
  readonly upper: number;
  readonly step: number;
  readonly stepFunction: StepFunction;
}

export interface ListSweep {
  readonly kind: 'list';
  readonly values: readonly number[];
}

/** The parameter of an experiment or config: its unit names what one step of the param is (e.g. `word`). */
export interface ParamSpec {
  readonly unit: string;
  readonly sweep: Sweep;
}

/** What run() returns: elapsed ns for all iterations, optionally with named counters (e.g. ops/s). */
export type RunOutcome = number | { readonly elapsedNs: number; readonly counters?: Readonly<Record<string, number>> };

/** Free-form numeric options a config's hooks read (e.g. `spinPolls`), so configs can share a setup. */
export type ConfigOptions = Readonly<Record<string, number>>;

/** What setup() learns of the run it is part of: a quick run may choose a smaller workload. */
export interface SetupContext {
  readonly quick: boolean;
}

/**
 * One configuration. setup(config, param, context) returns the state; run(state, iterations) performs
 * `iterations` operations and returns the elapsed ns it measured; teardown(state) frees everything.
 * `params` overrides the experiment's sweep for this config. `wholeProcess`: each operation is a
 * fresh process, spawned and timed whole, so the harness measures one a repetition after a single
 * untimed one, without calibration, warm-up or lead-in runs (they would only repeat the same cold
 * start, at seconds a run).
 */
export interface BenchConfig<S = unknown> {
  readonly name: string;
  readonly description?: string;
  readonly params?: ParamSpec;
  readonly options?: ConfigOptions;
  readonly wholeProcess?: boolean;
  setup(config: BenchConfig<S>, param: number, context: SetupContext): S | Promise<S>;
  run(state: S, iterations: number): RunOutcome | Promise<RunOutcome>;
  teardown?(state: S): void | Promise<void>;
}

/** A point in the results: a config at a param (default: the config's smallest measured param). */
export interface RatioRef {
  readonly config: string;
  readonly param?: number;
}

/**
 * A ratio numerator/denominator of medians; without a denominator it reports the numerator's ns.
 * `interleaved`: measure the two sides as one unit, alternating INTERLEAVE_CHUNKS chunks of each
 * within every repetition, so that both see the same conditions even when these change within
 * milliseconds (a subject takes part in one interleaved ratio at most).
 */
export interface RatioSpec {
  readonly name: string;
  readonly numerator: RatioRef;
  readonly denominator?: RatioRef;
  readonly interleaved?: boolean;
}

export interface Experiment {
  readonly name: string;
  readonly description: string;
  readonly params: ParamSpec;
  readonly configs: readonly BenchConfig[];
  readonly ratios?: readonly RatioSpec[];
}

export interface RunOptions {
  /** Fewer repetitions (QUICK_REPETITIONS instead of REPETITIONS). */
  readonly quick?: boolean;
  /** Run only these configs (default: all). Unknown names throw. */
  readonly configs?: readonly string[];
  /** Override the repetition count. */
  readonly repetitions?: number;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
  /** Clock of CPU time the hypervisor took from this machine, in ns (default: stolenNs). */
  readonly steal?: () => number | undefined;
}

// ---- results ----

export interface Row {
  readonly config: string;
  readonly param: number;
  readonly medianNs: number;
  readonly p10Ns: number;
  readonly p90Ns: number;
  /** Iterations of the last repetition (one far from the target duration re-chooses the count). */
  readonly iterations: number;
  readonly repetitions: number;
  /** Repetitions measured again because the hypervisor took CPU time meanwhile. */
  readonly redone: number;
  /** Samples kept although disturbed so (after STEAL_RETRIES attempts). */
  readonly disturbed: number;
  /** Median over repetitions of each counter run() reported. */
  readonly counters: Readonly<Record<string, number>>;
}

export interface Fit {
  readonly config: string;
  readonly interceptNs: number;
  readonly slopeNs: number;
  readonly r2: number;
  readonly unit: string;
}

export interface RatioPoint {
  readonly config: string;
  readonly param: number;
  readonly median_ns: number;
}

export interface RatioResult {
  readonly name: string;
  readonly value: number;
  readonly numerator: RatioPoint;
  readonly denominator?: RatioPoint;
}

export interface Machine {
  readonly cpu_model: string;
  readonly cpu_count: number;
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly total_memory_bytes: number;
}

export interface Report {
  readonly experiment: string;
  readonly machine: Machine;
  readonly quick: boolean;
  readonly rows: readonly Row[];
  readonly fits: readonly Fit[];
  readonly ratios: readonly RatioResult[];
}

/** The `--json` file, exactly. */
export interface JsonReport {
  readonly experiment: string;
  readonly machine: Machine;
  readonly rows: readonly { config: string; param: number; median_ns: number; p10_ns: number; p90_ns: number }[];
  readonly fits: readonly { config: string; intercept_ns: number; slope_ns: number; r2: number; unit: string }[];
  readonly ratios: readonly RatioResult[];
}

// ---- tuning ----

export const REPETITIONS = 15;
export const QUICK_REPETITIONS = 5;
/** Discarded runs at the chosen iteration count after calibration (at least this many, at most MAX_WARMUP_RUNS). */
export const WARMUP_RUNS = 1;
const MAX_WARMUP_RUNS = 4;
/** Each repetition aims at this duration (inside the 20-50 ms window). */
export const TARGET_REPETITION_NS = 30e6;
/**
 * A repetition during which steal time advanced is measured again, at most this many times, after a
 * pause of STEAL_PAUSE_MS: on a shared VM the host sometimes takes a vCPU away for seconds, and
 * the two threads of a round trip then share one (a spinning round trip goes from 0.3 us to 0.1 ms).
 */
export const STEAL_RETRIES = 3;
const STEAL_PAUSE_MS = 100;
/**
 * Each measured run follows an untimed run of this fraction of its iterations (about 5 ms). With
 * interleaving, a configuration's workers have been idle since its previous repetition, and the
 * first milliseconds of a round-trip loop after that measure the wake-up, not the steady state:
 * Linux first runs a woken thread beside its waker, and a spinning pair on one vCPU pays a whole
 * spin budget a round trip until the load balancer moves one (in the ipc experiment, the first
 * tenth of a repetition cost up to 10x the rest).
 */
export const LEAD_IN_FRACTION = 1 / 6;
/** Chunks of each side in one repetition of an interleaved ratio's two subjects. */
export const INTERLEAVE_CHUNKS = 10;
/** Calibration grows the iteration count until one run lasts at least this long. */
const CALIBRATION_MIN_NS = 3e6;
export const MAX_ITERATIONS = 1 << 24;

// ---- pure statistics ----

function sorted(xs: readonly number[]): number[] {
  if (xs.length === 0) throw new RangeError('statistics of an empty sample');
  return [...xs].sort((a, b) => a - b);
}

/** Percentile p in [0, 100], linear interpolation between closest ranks (R-7, as numpy's default). */
export function percentile(xs: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} outside [0, 100]`);
  const s = sorted(xs);
  const h = (s.length - 1) * (p / 100);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

export interface LinearFit {
  readonly intercept: number;
  readonly slope: number;
  readonly r2: number;
}

/** Ordinary least squares y = intercept + slope*x; r2 is 1 when the data has no variance to explain. */
export function linearFit(xs: readonly number[], ys: readonly number[]): LinearFit {
  if (xs.length !== ys.length) throw new RangeError('linearFit: xs and ys differ in length');
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (n < 2 || sxx === 0) throw new RangeError('linearFit needs at least two distinct x values');
  const slope = sxy / sxx;
  const ssRes = syy - slope * sxy;
  const r2 = syy === 0 ? 1 : Math.max(0, 1 - ssRes / syy);
  return { intercept: my - slope * mx, slope, r2 };
}

/** The values a sweep visits, in order. Ranges include `upper` (with a relative tolerance for floats). */
export function sweepValues(sweep: Sweep): number[] {
  if (sweep.kind === 'list') {
    if (sweep.values.length === 0) throw new RangeError('empty parameter list');
    return [...sweep.values];
  }
  const { lower, upper, step, stepFunction } = sweep;
  const grows = stepFunction === 'add' ? step > 0 : step > 1 && lower > 0;
  if (!grows || !(upper >= lower)) throw new RangeError(`sweep ${JSON.stringify(sweep)} never reaches its upper bound`);
  const limit = upper + Math.abs(upper) * 1e-9;
  const out: number[] = [];
  for (let i = 0, v = lower; v <= limit; i++) {
    out.push(v);
    v = stepFunction === 'add' ? lower + (i + 1) * step : v * step;
  }
  return out;
}

/** Did a run last about as long as a repetition should (within [TARGET/2, TARGET*2])? */
function onTarget(elapsedNs: number): boolean {
  return elapsedNs >= TARGET_REPETITION_NS / 2 && elapsedNs <= TARGET_REPETITION_NS * 2;
}

/** Iterations so one repetition lasts about targetNs, given a measured per-op cost. */
export function chooseIterations(perOpNs: number, targetNs: number = TARGET_REPETITION_NS): number {
  if (!(perOpNs > 0) || !Number.isFinite(perOpNs)) return MAX_ITERATIONS;
  return Math.max(1, Math.min(MAX_ITERATIONS, Math.round(targetNs / perOpNs)));
}

/** The item (row or subject) a ratio side names: its config at ref.param, or at its smallest param. */
function findRef<T extends { readonly param: number }>(items: readonly T[], ref: RatioRef, nameOf: (item: T) => string): T | undefined {
  const mine = items.filter((i) => nameOf(i) === ref.config);
  if (ref.param !== undefined) return mine.find((i) => i.param === ref.param);
  return mine.reduce<T | undefined>((best, i) => (best === undefined || i.param < best.param ? i : best), undefined);
}

function findRow(rows: readonly Row[], ref: RatioRef): Row | undefined {
  return findRef(rows, ref, (r) => r.config);
}

function point(row: Row): RatioPoint {
  return { config: row.config, param: row.param, median_ns: row.medianNs };
}

/** Ratios of medians; specs that name a config or param that was not measured are skipped. */
export function computeRatios(rows: readonly Row[], specs: readonly RatioSpec[]): RatioResult[] {
  const out: RatioResult[] = [];
  for (const spec of specs) {
    const num = findRow(rows, spec.numerator);
    if (num === undefined) continue;
    if (spec.denominator === undefined) {
      out.push({ name: spec.name, value: num.medianNs, numerator: point(num) });
      continue;
    }
    const den = findRow(rows, spec.denominator);
    if (den === undefined) continue;
    out.push({ name: spec.name, value: num.medianNs / den.medianNs, numerator: point(num), denominator: point(den) });
  }
  return out;
}

/** A least-squares line per config over its params; configs measured at fewer than two params get none. */
export function computeFits(rows: readonly Row[], unitOf: (config: string) => string): Fit[] {
  const configs = [...new Set(rows.map((r) => r.config))];
  const fits: Fit[] = [];
  for (const config of configs) {
    const mine = rows.filter((r) => r.config === config);
    if (new Set(mine.map((r) => r.param)).size < 2) continue;
    const f = linearFit(mine.map((r) => r.param), mine.map((r) => r.medianNs));
    fits.push({ config, interceptNs: f.intercept, slopeNs: f.slope, r2: f.r2, unit: unitOf(config) });
  }
  return fits;
}

// ---- running ----

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu_model: cpus[0]?.model.trim() ?? 'unknown',
    cpu_count: cpus.length,
    node: process.version,
    platform: os.platform(),
    arch: os.arch(),
    total_memory_bytes: os.totalmem(),
  };
}

interface Sample {
  readonly elapsedNs: number;
  readonly counters: Readonly<Record<string, number>>;
}

/**
 * CPU time the hypervisor has taken from this machine since boot, in ns: the `steal` column of
 * Linux's /proc/stat (in USER_HZ = 100 ticks a second). Undefined where there is no such file.
 */
export function stolenNs(): number | undefined {
  let fields: string[];
  try {
    fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  } catch {
    return undefined;
  }
  const ticks = Number(fields[8]);
  return fields[0] === 'cpu' && Number.isFinite(ticks) ? ticks * 1e7 : undefined;
}

async function runOnce<S>(config: BenchConfig<S>, state: S, iterations: number): Promise<Sample> {
  const outcome = await config.run(state, iterations);
  const sample: Sample =
    typeof outcome === 'number'
      ? { elapsedNs: outcome, counters: {} }
      : { elapsedNs: outcome.elapsedNs, counters: outcome.counters ?? {} };
  if (!(sample.elapsedNs > 0) || !Number.isFinite(sample.elapsedNs)) {
    throw new Error(`${config.name}: run(${iterations}) returned ${sample.elapsedNs} ns, not a positive finite number`);
  }
  return sample;
}

/** Grow the iteration count until one run is long enough to estimate the per-op cost (ns). */
async function calibrate<S>(config: BenchConfig<S>, state: S): Promise<number> {
  await runOnce(config, state, 1); // first-use costs (worker start-up, JIT) land here, not in the estimate
  for (let iterations = 1; ; ) {
    const { elapsedNs } = await runOnce(config, state, iterations);
    if (elapsedNs >= CALIBRATION_MIN_NS || iterations >= MAX_ITERATIONS) return elapsedNs / iterations;
    iterations = Math.min(MAX_ITERATIONS, iterations * (elapsedNs < CALIBRATION_MIN_NS / 100 ? 10 : 2));
  }
}

/**
 * Warm up (the runs are discarded) and settle the iteration count: while a run lands outside
 * [TARGET/2, TARGET*2], re-choose the count from the lowest per-op cost seen so far: a higher one
 * is a transient (a worker still starting, two threads sharing a vCPU until the scheduler moves
 * one), and a count chosen from it makes every repetition short enough to be all transient.
 * Returns the count to measure with.
 */
async function warmUp<S>(config: BenchConfig<S>, state: S, perOpNs: number): Promise<number> {
  const estimates = [perOpNs];
  let iterations = chooseIterations(perOpNs);
  for (let i = 0; i < MAX_WARMUP_RUNS; i++) {
    const { elapsedNs } = await runOnce(config, state, iterations);
    estimates.push(elapsedNs / iterations);
    const next = onTarget(elapsedNs) ? iterations : chooseIterations(Math.min(...estimates));
    if (next === iterations && i + 1 >= WARMUP_RUNS) break;
    iterations = next;
  }
  return iterations;
}

function medianCounters(samples: readonly Sample[]): Record<string, number> {
  const names = new Set(samples.flatMap((s) => Object.keys(s.counters)));
  const out: Record<string, number> = {};
  for (const name of names) {
    const values = samples.map((s) => s.counters[name]).filter((v): v is number => v !== undefined);
    out[name] = median(values);
  }
  return out;
}

/** A measured run and the iteration count it ran. */
interface Measured extends Sample {
  readonly iterations: number;
}

/**
 * One (config, param) pair being measured: its live state and iteration count (re-chosen after a
 * repetition far from the target duration: measureRepetition).
 */
interface Subject {
  readonly config: BenchConfig;
  readonly param: number;
  readonly state: unknown;
  iterations: number;
  readonly samples: Measured[];
  redone: number;
  disturbed: number;
}

/** The iteration count of a whole-process config: one, after one untimed run (file cache, first use). */
async function firstRun<S>(config: BenchConfig<S>, state: S): Promise<number> {
  await runOnce(config, state, 1);
  return 1;
}

async function prepare(config: BenchConfig, param: number, context: SetupContext): Promise<Subject> {
  const state = await config.setup(config, param, context);
  try {
    const iterations = config.wholeProcess === true ? await firstRun(config, state) : await warmUp(config, state, await calibrate(config, state));
    return { config, param, state, iterations, samples: [], redone: 0, disturbed: 0 };
  } catch (e) {
    await config.teardown?.(state);
    throw e;
  }
}

function rowOf(s: Subject): Row {
  const perOp = s.samples.map((x) => x.elapsedNs / x.iterations);
  return {
    config: s.config.name,
    param: s.param,
    medianNs: median(perOp),
    p10Ns: percentile(perOp, 10),
    p90Ns: percentile(perOp, 90),
    iterations: s.iterations,
    repetitions: s.samples.length,
    redone: s.redone,
    disturbed: s.disturbed,
    counters: medianCounters(s.samples),
  };
}

/**
 * Group subjects into measurement units: the two sides of each interleaved ratio form one unit, at
 * the place of whichever comes first; every other subject is a unit of its own.
 */
export function measurementUnits<T extends { readonly config: { readonly name: string }; readonly param: number }>(
  subjects: readonly T[],
  ratios: readonly RatioSpec[],
): T[][] {
  const find = (ref: RatioRef): T | undefined => findRef(subjects, ref, (s) => s.config.name);
  const partner = new Map<T, T>();
  for (const r of ratios) {
    if (r.interleaved !== true || r.denominator === undefined) continue;
    const [a, b] = [find(r.numerator), find(r.denominator)];
    if (a === undefined || b === undefined) continue;
    if (partner.has(a) || partner.has(b) || a === b) throw new RangeError(`${r.name}: a subject can be interleaved with one other only`);
    partner.set(a, b).set(b, a);
  }
  const units: T[][] = [];
  const placed = new Set<T>();
  for (const s of subjects) {
    if (placed.has(s)) continue;
    const unit = partner.has(s) ? [s, partner.get(s)!] : [s];
    unit.forEach((u) => placed.add(u));
    units.push(unit);
  }
  return units;
}

/**
 * Measure every unit `repetitions` times, round-robin: repetition i of every unit runs before
 * repetition i + 1 of any. On a shared, noisy machine whose speed drifts (vCPU placement, neighbours),
 * this exposes all configurations to the same conditions, which is what makes their ratios meaningful.
 */
async function measureInterleaved(units: readonly Subject[][], repetitions: number, steal: () => number | undefined): Promise<void> {
  for (let i = 0; i < repetitions; i++) {
    for (const unit of units) await measureRepetition(unit, steal);
  }
}

/** `total` split into `parts` near-equal counts (the first ones one larger). */
function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/**
 * One measured run of each subject of `unit`, in INTERLEAVE_CHUNKS alternating chunks when there
 * are two. Counters are rates, so a subject's chunks are averaged weighted by their iterations.
 */
async function runUnit(unit: readonly Subject[]): Promise<Sample[]> {
  const chunks = unit.length > 1 ? INTERLEAVE_CHUNKS : 1;
  const plans = unit.map((s) => split(s.iterations, chunks));
  const elapsed = unit.map(() => 0);
  const counters = unit.map((): Record<string, number> => ({}));
  for (let c = 0; c < chunks; c++) {
    for (const [k, s] of unit.entries()) {
      const n = plans[k]![c]!;
      if (n === 0) continue;
      const sample = await runOnce(s.config, s.state, n);
      elapsed[k] += sample.elapsedNs;
      for (const [name, v] of Object.entries(sample.counters)) counters[k]![name] = (counters[k]![name] ?? 0) + (v * n) / s.iterations;
    }
  }
  return unit.map((_, k) => ({ elapsedNs: elapsed[k]!, counters: counters[k]! }));
}

/**
 * One repetition of `unit`: an untimed lead-in run of a LEAD_IN_FRACTION of each subject's
 * iterations, then the measured run (runUnit), measured again (up to STEAL_RETRIES times) while
 * steal time advances during it. A repetition outside [TARGET/2, TARGET*2] re-chooses the count for
 * the next ones from its own cost: warm-up can settle on a count while a transient lasts all
 * through it (a new pair of workers sharing a vCPU for 50-150 ms), and repetitions that short would
 * then measure little but each one's wake-up.
 */
async function measureRepetition(unit: readonly Subject[], steal: () => number | undefined): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    for (const s of unit) if (s.config.wholeProcess !== true) await runOnce(s.config, s.state, Math.ceil(s.iterations * LEAD_IN_FRACTION));
    const before = steal();
    const samples = await runUnit(unit);
    const after = steal();
    const disturbed = before !== undefined && after !== undefined && after > before;
    if (!disturbed || attempt === STEAL_RETRIES) {
      for (const [k, s] of unit.entries()) keep(s, samples[k]!, disturbed);
      return;
    }
    for (const s of unit) s.redone++;
    await new Promise((resolve) => setTimeout(resolve, STEAL_PAUSE_MS));
  }
}

function keep(s: Subject, sample: Sample, disturbed: boolean): void {
  s.samples.push({ ...sample, iterations: s.iterations });
  if (disturbed) s.disturbed++;
  if (!onTarget(sample.elapsedNs) && s.config.wholeProcess !== true) s.iterations = chooseIterations(sample.elapsedNs / s.iterations);
}

function selectConfigs(experiment: Experiment, names: readonly string[] | undefined): readonly BenchConfig[] {
  if (names === undefined || names.length === 0) return experiment.configs;
  const known = experiment.configs.map((c) => c.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new RangeError(`unknown config ${unknown.join(', ')} for ${experiment.name}; available: ${known.join(', ')}`);
  }
  return experiment.configs.filter((c) => names.includes(c.name));
}

export function paramsOf(experiment: Experiment, config: BenchConfig): ParamSpec {
  return config.params ?? experiment.params;
}

/** Run the selected configs over their sweeps (set up together, measured interleaved), then fit and take ratios. */
export async function runExperiment(experiment: Experiment, options: RunOptions = {}): Promise<Report> {
  const quick = options.quick ?? false;
  const repetitions = options.repetitions ?? (quick ? QUICK_REPETITIONS : REPETITIONS);
  const subjects: Subject[] = [];
  try {
    for (const config of selectConfigs(experiment, options.configs)) {
      for (const param of sweepValues(paramsOf(experiment, config).sweep)) {
        subjects.push(await prepare(config, param, { quick }));
        options.log?.(`${config.name} @ ${param}: ready (${subjects[subjects.length - 1].iterations} iterations a repetition)`);
      }
    }
    await measureInterleaved(measurementUnits(subjects, experiment.ratios ?? []), repetitions, options.steal ?? stolenNs);
  } finally {
    for (const s of subjects) await s.config.teardown?.(s.state);
  }
  const rows = subjects.map(rowOf);
  const unitOf = (name: string): string => {
    const config = experiment.configs.find((c) => c.name === name);
    return config === undefined ? experiment.params.unit : paramsOf(experiment, config).unit;
  };
  return {
    experiment: experiment.name,
    machine: describeMachine(),
    quick,
    rows,
    fits: computeFits(rows, unitOf),
    ratios: computeRatios(rows, experiment.ratios ?? []),
  };
}

// ---- output ----

/** Human-readable duration: ns below 1 us, then us, ms, s with three significant digits. */
export function formatNs(ns: number): string {
  const abs = Math.abs(ns);
  if (abs < 1e3) return `${ns.toPrecision(3)} ns`;
  if (abs < 1e6) return `${(ns / 1e3).toPrecision(3)} us`;
  if (abs < 1e9) return `${(ns / 1e6).toPrecision(3)} ms`;
  return `${(ns / 1e9).toPrecision(3)} s`;
}

function table(header: readonly string[], body: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}

/** How many repetitions steal time disturbed: redone, and kept anyway after STEAL_RETRIES. */
function stealText(r: Row): string {
  if (r.redone === 0 && r.disturbed === 0) return '-';
  return r.disturbed === 0 ? `${r.redone} redone` : `${r.redone} redone, ${r.disturbed} kept`;
}

function counterText(counters: Readonly<Record<string, number>>): string {
  return Object.entries(counters)
    .map(([k, v]) => `${k}=${v.toPrecision(4)}`)
    .join(' ');
}

function machineText(m: Machine): string {
  const gib = (m.total_memory_bytes / 2 ** 30).toFixed(1);
  return `${m.cpu_count} x ${m.cpu_model}, node ${m.node}, ${m.platform}/${m.arch}, ${gib} GiB`;
}

function ratioText(r: RatioResult): string {
  if (r.denominator === undefined) return formatNs(r.value);
  return `${r.value.toPrecision(3)}x  (${formatNs(r.numerator.median_ns)} / ${formatNs(r.denominator.median_ns)})`;
}

/** The printed report: machine line, results table, fits, ratios. */
export function formatReport(report: Report): string {
  const out = [`experiment ${report.experiment}${report.quick ? ' (quick)' : ''}: ${machineText(report.machine)}`, ''];
  const rows = report.rows.map((r) => [
    r.config,
    String(r.param),
    formatNs(r.medianNs),
    formatNs(r.p10Ns),
    formatNs(r.p90Ns),
    `${r.iterations}x${r.repetitions}`,
    stealText(r),
    counterText(r.counters),
  ]);
  out.push(...table(['config', 'param', 'median', 'p10', 'p90', 'iters x reps', 'steal', 'counters'], rows));
  if (report.fits.length > 0) {
    out.push('', 'fits (least squares over each config\'s param sweep)');
    const fits = report.fits.map((f) => [
      f.config,
      formatNs(f.interceptNs),
      `${formatNs(f.slopeNs)} per ${f.unit}`,
      f.r2.toFixed(4),
    ]);
    out.push(...table(['config', 'intercept', 'slope', 'r2'], fits));
  }
  if (report.ratios.length > 0) {
    out.push('', 'ratios');
    out.push(...table(['ratio', 'value'], report.ratios.map((r) => [r.name, ratioText(r)])));
  }
  return out.join('\n');
}

/** The `--json` shape, with exactly the documented keys. */
export function reportToJson(report: Report): JsonReport {
  return {
    experiment: report.experiment,
    machine: report.machine,
    rows: report.rows.map((r) => ({
      config: r.config,
      param: r.param,
      median_ns: r.medianNs,
      p10_ns: r.p10Ns,
      p90_ns: r.p90Ns,
    })),
    fits: report.fits.map((f) => ({
      config: f.config,
      intercept_ns: f.interceptNs,
      slope_ns: f.slopeNs,
      r2: f.r2,
      unit: f.unit,
    })),
    ratios: report.ratios,
  };
}
