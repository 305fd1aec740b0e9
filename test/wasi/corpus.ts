// corpus.ts: the runs of the WASI preview1 corpus (test/programs/wasi/*.c, one program per
// subsystem), with the arguments, environment and stdin each gets under both runtimes.
import type { Run } from './runners.js';

/** What every run reads on stdin (stdio.c and poll.c look at it). */
export const STDIN = 'line one\nline two\n';

export const RUNS: readonly Run[] = [
  { program: 'args_environ', args: ['one', 'two words', '', 'ünï'], env: ['WASI_A=1', 'WASI_EMPTY=', 'WASI_EQ=x=y'] },
  { program: 'clocks_random' },
  { program: 'fd_rw' },
  { program: 'fd_table' },
  { program: 'fd_meta' },
  { program: 'prestat' },
  { program: 'readdir' },
  { program: 'path_open' },
  { program: 'path_dirs' },
  { program: 'path_links' },
  { program: 'sandbox' },
  { program: 'poll' },
  { program: 'stdio', stderr: 'stdio: to stderr\n' },
  { program: 'sock' },
  { program: 'sock', args: ['stdin'] },
  { program: 'proc', args: ['exit', '42'] },
  { program: 'proc', args: ['return', '7'] },
  { program: 'proc', args: ['raise'] },
].map((run) => ({ stdin: STDIN, ...run }));
