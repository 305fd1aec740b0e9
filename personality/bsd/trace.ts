// The strace-style line for one system call, from its routine's fields as abi/bsd.defs defines them:
// in arguments by type (strings quoted, data as a short preview, flags in hex, a result room as its
// size), then the errno or the out arguments, e.g. `[pid 1] openat(3, 0x1, "out.txt", 0x1, ...) = 0 (fd=4)`.
import { errnoName } from '../../abi/errno.js';
import type { Field, Routine } from './bsd_server.js';
import type { Request } from './syscalls.js';

const PREVIEW = 32;
const preview = new TextDecoder();

function dataPreview(bytes: Uint8Array): string {
  const text = JSON.stringify(preview.decode(bytes.subarray(0, PREVIEW).slice()));
  return `${text}${bytes.length > PREVIEW ? '...' : ''}, ${bytes.length}`;
}

/** One value of field `f` (an in argument from the decoded arguments, an out one from the results). */
function format(f: Field, value: unknown, dir: 'in' | 'out'): string {
  if (value instanceof Uint8Array) return dir === 'in' && f.dir === 'in' ? dataPreview(value) : String(value.length);
  if (typeof value === 'string') return JSON.stringify(value);
  if (f.type === 'flags') return `0x${(Number(value) >>> 0).toString(16)}`;
  return String(value);
}

export function formatCall(pid: number, routine: Routine<Request>, args: object, errno: number, out: object): string {
  const a = args as Record<string, unknown>;
  const o = out as Record<string, unknown>;
  const ins = routine.fields.filter((f) => f.dir !== 'out' || f.type === 'bytes').map((f) => format(f, a[f.name], 'in'));
  const outs = routine.fields.filter((f) => f.dir !== 'in').map((f) => `${f.name}=${format(f, o[f.name], 'out')}`);
  const outcome = errno !== 0 ? `-1 ${errnoName(errno)}` : outs.length ? `0 (${outs.join(', ')})` : '0';
  return `[pid ${pid}] ${routine.name}(${ins.join(', ')}) = ${outcome}`;
}

/** The line for a message that could not be decoded (a wrong word count, data outside the window). */
export function formatMalformed(pid: number, routine: Routine<Request>, errno: number): string {
  return `[pid ${pid}] ${routine.name}(<malformed>) = -1 ${errnoName(errno)}`;
}
