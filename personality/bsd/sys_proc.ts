// Process system calls: the null call and exit.
import { ESUCCESS } from '../interfaces/errno.js';
import type { Request } from './syscalls.js';

export function sysNull(): readonly number[] {
  return [ESUCCESS];
}

/** exit(status): the process ends; the status a parent (or the CLI) sees is its low 8 bits. */
export function sysExit(r: Request): readonly number[] {
  r.server.end(r.proc, { code: (r.args[0] ?? 0) & 0xff });
  return [ESUCCESS];
}
