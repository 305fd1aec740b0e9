// The strace-style line for one system call, built from its spec in interfaces/bsd.ts: arguments by
// kind (paths as strings, written data as a short preview, flags in hex), then the errno or the
// results, e.g. `[pid 1] openat(3, 0x1, "out.txt", 0x1, ...) = 0 (fd=4)`.
import type { SyscallEntry, Request } from './syscalls.js';
import { errnoName } from '../interfaces/errno.js';
import { wordsU64 } from '../interfaces/bsd.js';

const PREVIEW = 32;
const preview = new TextDecoder();

function field(decl: string): [kind: string, name: string] {
  const [kind, name] = decl.split(' ');
  return [kind, name];
}

/** One argument or result, formatted; returns it and the words it took. */
function formatWord(kind: string, words: readonly number[], i: number, r: Request | undefined, pathIndex: number): [string, number] {
  switch (kind) {
    case 'u64':
    case 's64': {
      const v = wordsU64(words[i], words[i + 1]);
      return [String(kind === 's64' ? BigInt.asIntN(64, v) : v), 2];
    }
    case 'flags':
      return [`0x${(words[i] >>> 0).toString(16)}`, 1];
    case 'path':
      return [r ? quotedPath(r, pathIndex) : String(words[i]), 1];
    case 'data':
      return [r ? dataPreview(r, words[i] >>> 0) : String(words[i]), 1];
    case 'int':
      return [String(words[i] | 0), 1];
    default:
      return [String(words[i] >>> 0), 1];
  }
}

function quotedPath(r: Request, k: number): string {
  try {
    return JSON.stringify(r.path(k));
  } catch {
    return '<bad path>';
  }
}

function dataPreview(r: Request, len: number): string {
  try {
    const text = JSON.stringify(preview.decode(r.data(Math.min(len, PREVIEW)).slice()));
    return `${text}${len > PREVIEW ? '...' : ''}, ${len}`;
  } catch {
    return String(len);
  }
}

function formatList(decls: readonly string[], words: readonly number[], r: Request | undefined, named: boolean): string[] {
  const out: string[] = [];
  let i = 0;
  let paths = 0;
  for (const decl of decls) {
    const [kind, name] = field(decl);
    const [text, used] = formatWord(kind, words, i, r, paths);
    if (kind === 'path') paths++;
    out.push(named ? `${name}=${text}` : text);
    i += used;
  }
  return out;
}

export function formatCall(pid: number, entry: SyscallEntry, r: Request, errno: number, results: readonly number[]): string {
  const args = formatList(entry.spec.args, r.args, r, false).join(', ');
  const outcome = errno !== 0 ? `-1 ${errnoName(errno)}` : results.length ? `0 (${formatList(entry.spec.results, results, undefined, true).join(', ')})` : '0';
  return `[pid ${pid}] ${entry.name}(${args}) = ${outcome}`;
}
