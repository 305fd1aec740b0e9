// Processes made by the server for programs: C programs written as for Linux, built with the SDK
// (test/programs/posix), check posix_spawn (arguments, environment, file actions, inherited and
// close-on-exec descriptors, PATH search, errors), the wait family (statuses, WNOHANG, any child,
// ECHILD), getppid, fork and vfork, the exec family, mmap, signals, process groups and sessions, job control (stop and continue), dup/dup2/dup3, fcntl and pipes (between processes, a pipeline of three). After every program, and after parents that end
// without waiting for their children, the machine holds what it held before (the leak check).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Machine } from '../../dist/host/machine.js';
import { CapturePlatform } from '../../dist/host/node/capture.js';
import { useMachine } from './machine_fixture.js';
import { expectAllOk } from './check_report.js';
import { compileProgram } from '../../dist/libsystem/imports.js';

const PROGRAMS = fileURLToPath(new URL('../programs/posix/', import.meta.url));
const mounts = [{ guest: '/progs', host: PROGRAMS, readOnly: true }];

async function program(name: string): Promise<WebAssembly.Module> {
  return WebAssembly.compile(await readFile(`${PROGRAMS}${name}.wasm`));
}

describe('processes made by programs', () => {
  const fx = useMachine();

  it('dup, dup2, dup3 and fcntl: numbers, shared open files, FD_CLOEXEC, errors', async () => {
    expect(await fx.machine.run(await program('dup'), ['dup.wasm'])).toEqual({ code: 0 });
    expectAllOk(fx.platform.out[1], 23);
  });

  it('posix_spawn and wait: statuses, arguments, environment, file actions, inheritance, WNOHANG, ECHILD, PATH, errors', async () => {
    expect(await fx.machine.run(await program('spawn'), ['spawn.wasm', 'all', '/progs/spawn.wasm'], [], { mounts })).toEqual({ code: 0 });
    expectAllOk(fx.platform.out[1], 24);
    expect(fx.platform.out[1]).toContain('hello from a child\nok a child writes to the same standard output\n');
  });

  it('pipes: data and end of file, PIPE_BUF atomicity across processes, O_NONBLOCK, poll, SIGPIPE, 4 MiB, a pipeline of three programs', async () => {
    expect(await fx.machine.run(await program('pipes'), ['pipes.wasm', 'all', '/progs/pipes.wasm'], [], { mounts })).toEqual({ code: 0 });
    expectAllOk(fx.platform.out[1], 15);
  });

  it("mmap: anonymous, private and shared mappings; a shared mapping's changes reach the file and other processes at msync, munmap, exit and exec, only the bytes changed; MS_INVALIDATE; errors", async () => {
    expect(await fx.machine.run(await program('mman'), ['mman.wasm', 'all', '/progs/mman.wasm', '/tmp'], [], { mounts })).toEqual({ code: 0 });
    expectAllOk(fx.platform.out[1], 23);
  });

  it('the exec family: a new image in the same process, close-on-exec, offsets, environment, directory, PATH, #! scripts, errors', async () => {
    expect(await fx.machine.run(await program('exec'), ['exec.wasm', 'all', '/progs/exec.wasm', '/tmp'], [], { mounts })).toEqual({ code: 0 });
    expectAllOk(fx.platform.out[1], 14);
  });

  it('signals: handlers, masks, pending, SIG_IGN, SA_RESETHAND, SA_SIGINFO, default actions (a loop without calls too), SIGCHLD, timers, EINTR, SA_RESTART, exec', async () => {
    expect(await fx.machine.run(await program('signals'), ['signals.wasm', 'all', '/progs/signals.wasm'], [], { mounts })).toEqual({ code: 0 });
    expectAllOk(fx.platform.out[1], 30);
  });

  it('process groups and sessions: setpgid, getpgid, setsid, getsid, kill of a group, and the spawn attributes', async () => {
    expect(await fx.machine.run(await program('pgrp'), ['pgrp.wasm', 'all', '/progs/pgrp.wasm'], [], { mounts })).toEqual({ code: 0 });
    expectAllOk(fx.platform.out[1], 18);
  });

  it('job control: stop signals stop a process and SIGCONT continues it (WUNTRACED, WCONTINUED, SIGCHLD), waitpid by group; the terminal calls on what is no terminal', async () => {
    expect(await fx.machine.run(await program('jobs'), ['jobs.wasm', 'all', '/progs/jobs.wasm'], [], { mounts })).toEqual({ code: 0 });
    expectAllOk(fx.platform.out[1], 31);
  }, 30_000);

  it('err.h: warn, warnx, err and errx name the program and the error, as BSD and glibc print them', async () => {
    expect(await fx.machine.run(await program('err'), ['/progs/err.wasm'])).toEqual({ code: 4 });
    expect(fx.platform.out[2]).toBe('err.wasm: cannot open /no/such/file: No such file or directory\nerr.wasm: 3 things\nerr.wasm: Permission denied\nerr.wasm: the end\n');
  });

  it('the system\'s programs in /bin: listed, found on PATH, run, and read-only (EROFS)', async () => {
    expect(await fx.machine.run(await program('bin'), ['bin.wasm'])).toEqual({ code: 0 });
    expectAllOk(fx.platform.out[1], 12);
  });

  it('fork and vfork: two returns, copied memory, shared offsets, inherited signals, many and nested children, children killed at once, exec after fork, setpgid before exec, ENOSYS in a handler', async () => {
    const fork = await compileProgram(new Uint8Array(await readFile(`${PROGRAMS}fork.wasm`)));
    expect(await fx.machine.run(fork, ['fork.wasm', '/progs/fork.wasm', '/tmp'], [], { mounts })).toEqual({ code: 0 });
    expectAllOk(fx.platform.out[1], 24);
    expect(fx.platform.out[1]).toContain('atexit in child\n');
  }, 60_000);

  it('a parent that ends without waiting: its running children run on and end, its zombies go', async () => {
    const spawn = await program('spawn');
    expect(await fx.machine.run(spawn, ['spawn.wasm', 'leave', '3', 'sleep', '/progs/spawn.wasm'], [], { mounts })).toEqual({ code: 0 });
    expect((await fx.machine.census()).processes).toBeGreaterThan(fx.idle.processes); // the sleepers, orphaned
    expect(await fx.settled()).toEqual(fx.idle);
    expect(await fx.machine.run(spawn, ['spawn.wasm', 'leave', '3', 'exit', '/progs/spawn.wasm'], [], { mounts })).toEqual({ code: 0 });
  });
});

describe('pipes through the server alone (tracing: the task library serves no descriptor itself)', () => {
  const platform = new CapturePlatform();
  let machine: Machine;

  beforeAll(async () => {
    machine = await Machine.boot(platform, { spareWorkers: 2, trace: true });
  });

  afterAll(async () => {
    await machine?.shutdown();
  });

  it('pass the same checks, and every pipe call shows in the trace', async () => {
    expect(await machine.run(await program('pipes'), ['pipes.wasm', 'all', '/progs/pipes.wasm'], [], { mounts })).toEqual({ code: 0 });
    expectAllOk(platform.out[1], 15);
    expect(platform.out[2]).toMatch(/\] pipe\(0x0\) = 0 \(readfd=\d+, writefd=\d+\)/);
    expect(platform.out[2]).toMatch(/\] write\(\d+, "hello", 5\) = 0 \(n=5\)/);
  });
});
