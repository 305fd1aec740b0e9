// Shared check for benchmark rows in tests: the numbers a report carries are usable, whatever they are.
import { expect } from 'vitest';

interface RowLike {
  medianNs: number;
  p10Ns: number;
  p90Ns: number;
  iterations: number;
}

/** Median and percentiles positive and finite, ordered p10 <= median <= p90, at least one iteration. */
export function expectSaneRow(r: RowLike): void {
  for (const v of [r.medianNs, r.p10Ns, r.p90Ns]) {
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThan(0);
  }
  expect(r.p10Ns).toBeLessThanOrEqual(r.medianNs);
  expect(r.medianNs).toBeLessThanOrEqual(r.p90Ns);
  expect(r.iterations).toBeGreaterThanOrEqual(1);
}
