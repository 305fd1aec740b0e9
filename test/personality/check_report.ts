// The report of the checking C programs (test/programs/posix/check.h): a line per check, "ok WHAT"
// or "FAIL WHAT", then "N failures".
import { expect } from 'vitest';

/** Every check line says ok, there are `checks` of them, and the report ends with no failures. */
export function expectAllOk(out: string, checks: number): void {
  const lines = out.trimEnd().split('\n').filter((l) => /^(ok|FAIL) /.test(l));
  expect(lines.filter((l) => !l.startsWith('ok '))).toEqual([]);
  expect(lines).toHaveLength(checks);
  expect(out.trimEnd().split('\n').at(-1)).toBe('0 failures');
}
