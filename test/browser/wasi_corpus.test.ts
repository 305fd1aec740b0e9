// The WASI preview1 corpus (test/programs/wasi) in Debian chromium: every run of test/wasi/corpus.ts
// in webmach's page, with /sandbox a fresh in-memory directory instead of a host mount and the same
// arguments, environment and standard input. Each must print what `webmach run` prints in Node
// (which test/wasi/differential.test.ts holds to the spec against node:wasi) and exit the same way,
// with no line departing from the spec.
import { describe, expect, it } from 'vitest';
import { pageSession } from './page.js';
import { BROWSER_SKIPPED } from './chromium.js';
import { RUNS } from '../wasi/corpus.js';
import { runId, runIn, type Run } from '../wasi/runners.js';

function query(run: Run): string {
  const q = new URLSearchParams({ program: `/test/programs/wasi/${run.program}.wasm`, dir: '/sandbox', stdin: run.stdin ?? '' });
  for (const a of run.args ?? []) q.append('arg', a);
  for (const e of run.env ?? []) q.append('env', e);
  return q.toString();
}

describe.skipIf(BROWSER_SKIPPED)('the WASI corpus in chromium', () => {
  const session = pageSession();

  it.each(RUNS.map((run) => [runId(run), run] as const))('%s', async (_id, run) => {
    const expected = runIn('webmach', run).transcript;
    const r = await session.run(query(run));
    expect(r.status).toBe('exited');
    const transcript = `${r.stdout}exit: ${r.code}\n`;
    expect(transcript.split('\n').filter((l) => l.includes('[spec:'))).toEqual([]);
    expect(transcript).toBe(expected);
    await r.page.close();
  });
});
