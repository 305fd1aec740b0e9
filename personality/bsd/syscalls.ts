// The BSD system-call table: number -> name and handler, one handler signature (decode and check the
// arguments, then act). Unknown numbers get ENOSYS from the dispatcher in server.ts; tracing is there too.
import { SYS, type SysName } from '../interfaces/bsd.js';
import type { Process } from './proc.js';
import type { Personality } from '../server.js';
import { sysNull, sysExit } from './sys_proc.js';
import { sysWrite } from './sys_file.js';

export interface Request {
  proc: Process;
  /** The untyped words after the tag. */
  args: readonly number[];
  /** The bulk item, if the call carried one (a view of the server's receive buffer). */
  bulk: Uint8Array | undefined;
  server: Personality;
}

/** Reply words (MR1..): errno first, then results. */
export type Handler = (r: Request) => readonly number[];

const HANDLERS: Readonly<Record<SysName, Handler>> = {
  null: sysNull,
  exit: sysExit,
  write: sysWrite,
};

export const SYSCALLS: ReadonlyMap<number, { name: SysName; handler: Handler }> = new Map(
  (Object.keys(SYS) as SysName[]).map((name) => [SYS[name], { name, handler: HANDLERS[name] }]),
);
