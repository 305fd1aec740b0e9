// The options of `webmach run`, parsed the way wasmtime's command line (clap) parses them: `--dir X`
// or `--dir=X`, `--env NAME[=VALUE]`, options end at the program and every argument after it goes to
// the program as it is (a `--` included). Every mistake is a UsageError (exit 2) of one line naming
// the option, found here, before a machine boots: a missing value, an unknown option, a --dir whose
// host is not a directory, a guest path mounted twice, over /dev or inside another mount.
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { MountSpec } from '../../abi/service.js';

export const HINT = "(try 'webmach --help')";

/** A mistake of the caller's: one line on stderr and an exit code (2 for usage, 126/127 for the program). */
export class UsageError extends Error {
  constructor(message: string, readonly code = 2) {
    super(message);
  }
}

export interface RunRequest {
  path: string;
  args: string[];
  env: string[];
  mounts: MountSpec[];
  trace: boolean;
}

/** What the options collect, in the order given. */
interface Given {
  dirs: string[];
  env: Map<string, string>;
  inherit: boolean;
  trace: boolean;
  argv0?: string;
}

const usage = (message: string) => new UsageError(`webmach run: ${message} ${HINT}`);

/** Options that take a value: its name in messages, and what it does. */
const VALUED: Record<string, [string, (given: Given, value: string) => void]> = {
  '--dir': ['HOST[::GUEST][:ro]', (given, spec) => given.dirs.push(spec)],
  '--env': ['NAME[=VALUE]', setEnv],
  '--argv0': ['NAME', (given, name) => (given.argv0 = name)],
  '-S': ['inherit-env[=y|n]', setWasi],
};

const FLAGS: Record<string, (given: Given) => void> = {
  '--inherit-env': (given) => (given.inherit = true),
  '--trace': (given) => (given.trace = true),
};

/** `NAME=VALUE` sets it; `NAME` alone passes webmach's own value, if it has one (as wasmtime does). */
function setEnv(given: Given, spec: string): void {
  const eq = spec.indexOf('=');
  const name = eq < 0 ? spec : spec.slice(0, eq);
  if (!name) throw usage(`--env expects NAME[=VALUE], got '${spec}'`);
  const value = eq < 0 ? process.env[name] : spec.slice(eq + 1);
  if (value !== undefined) given.env.set(name, value);
}

/** wasmtime's `-S KEY[=VAL],...` WASI settings: webmach knows inherit-env. */
function setWasi(given: Given, list: string): void {
  for (const setting of list.split(',')) {
    const [key, value = 'y'] = setting.split('=', 2);
    const on = ['y', 'yes', 'true'].includes(value);
    if (key !== 'inherit-env' || (!on && !['n', 'no', 'false'].includes(value))) {
      throw usage(`-S '${setting}' is not supported (webmach knows -S inherit-env[=y|n])`);
    }
    given.inherit = on;
  }
}

/** `--name=value`, `-Svalue` and `-S=value` carry their value inline. */
function split(arg: string): [string, string | undefined] {
  if (arg.startsWith('--')) {
    const eq = arg.indexOf('=');
    return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
  }
  return arg.length > 2 ? [arg.slice(0, 2), arg.slice(arg[2] === '=' ? 3 : 2)] : [arg, undefined];
}

/**
 * Parse `[OPTIONS] PROGRAM [ARGS...]`; 'help' when -h or --help comes before the program. With
 * `program` given (`webmach sh`), the arguments are `[OPTIONS] [ARGS...]`: webmach's options end at
 * the first argument that is not one of them (`-c` is the shell's), and the program gets the rest.
 */
export function parseRun(argv: string[], program?: string): RunRequest | 'help' {
  const given: Given = { dirs: [], env: new Map(), inherit: false, trace: false };
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('-') && argv[i] !== '-'; i++) {
    if (argv[i] === '--') {
      i++;
      break;
    }
    const [name, inline] = split(argv[i]);
    if (name === '--help' || name === '-h') return 'help';
    if (program !== undefined && !(name in FLAGS) && !(name in VALUED)) break;
    if (name in FLAGS) {
      if (inline !== undefined) throw usage(`${name} takes no value`);
      FLAGS[name](given);
    } else if (name in VALUED) {
      const [what, apply] = VALUED[name];
      const value = inline ?? (argv[i + 1]?.startsWith('-') ? undefined : argv[++i]);
      if (value === undefined) throw usage(`${name} expects ${what}`);
      apply(given, value);
    } else {
      throw usage(`unknown option '${name}'`);
    }
  }
  const path = program ?? argv[i++];
  if (!path) throw usage('no program given');
  return {
    path,
    args: [given.argv0 ?? basename(path), ...argv.slice(i)],
    env: environment(given),
    mounts: mounts(given.dirs),
    trace: given.trace,
  };
}

/** With inherit-env, webmach's own environment first; --env overrides it. */
function environment(given: Given): string[] {
  const env = new Map(given.inherit ? Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined) : []);
  for (const [name, value] of given.env) env.set(name, value);
  return [...env].map(([name, value]) => `${name}=${value}`);
}

/** A guest path as the machine's tree names it: '/' joined, or '.' for the current directory. */
function guestKey(guest: string): string {
  if (/^(\.\/*)+$/.test(guest)) return '.';
  return guest.startsWith('/') ? '/' + guest.split('/').filter(Boolean).join('/') : guest;
}

function mounts(specs: string[]): MountSpec[] {
  const taken = new Map<string, string>();
  return specs.map((spec) => {
    const mount = parseDir(spec);
    const key = guestKey(mount.guest);
    const same = taken.get(key);
    if (same) throw usage(`--dir '${spec}': ${key} is already mounted by --dir '${same}'`);
    const outer = [...taken].find(([other]) => nested(key, other));
    if (outer) throw usage(`--dir '${spec}': ${key} and ${outer[0]} (--dir '${outer[1]}') cannot be mounted one inside the other`);
    taken.set(key, spec);
    return mount;
  });
}

/** One of two absolute guest paths inside the other (a mount at / holds the others beside it). */
function nested(a: string, b: string): boolean {
  if (a === '/' || b === '/' || !a.startsWith('/') || !b.startsWith('/')) return false;
  return a.startsWith(b + '/') || b.startsWith(a + '/');
}

/** `HOST[::GUEST][:ro]`: HOST an existing directory; GUEST (default HOST) clear of /dev, without . or .. steps. */
function parseDir(spec: string): MountSpec {
  const readOnly = spec.endsWith(':ro');
  const body = readOnly ? spec.slice(0, -3) : spec;
  const [host, guest = host, extra] = body.split('::');
  if (!host || !guest || extra !== undefined) throw usage(`--dir expects HOST[::GUEST][:ro], got '${spec}'`);
  const key = guestKey(guest);
  if (key.startsWith('/') && key.split('/').some((step) => step === '.' || step === '..')) {
    throw usage(`--dir '${spec}': GUEST must not contain . or .. steps`);
  }
  if (key === '/dev' || key.startsWith('/dev/')) throw usage(`--dir '${spec}': cannot mount over /dev, where webmach's devices are`);
  let isDir: boolean;
  try {
    isDir = statSync(host).isDirectory();
  } catch {
    throw usage(`--dir '${host}': no such directory`);
  }
  if (!isDir) throw usage(`--dir '${host}': not a directory`);
  return { host: resolve(host), guest: key, readOnly };
}
