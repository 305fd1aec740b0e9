// /bin/lsmp and /proc/PID/ports on a running machine: a C program built with the SDK
// (test/programs/posix/lsmp_subject.c) makes Mach names of every kind, runs /bin/lsmp on itself
// and checks what it lists; this test reads the same listing and checks its lines against the
// names the program says it made. After the run the machine holds what it held before (the leak check).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Machine } from '../../dist/host/machine.js';
import { CapturePlatform } from '../../dist/host/node/capture.js';

const PROGRAMS = fileURLToPath(new URL('../programs/posix/', import.meta.url));
const mounts = [{ guest: '/progs', host: PROGRAMS, readOnly: true }];
const HEADER = 'name        ipc-object  rights      urefs  reqs  msgcount  qlimit  mscount  receiver  object';

/** The subject's output: the names it made, its pid and its child's, and lsmp's listing by name (each line's columns). */
function parse(out: string) {
  const made = Object.fromEntries([...out.matchAll(/^made (\w+) (0x[0-9a-f]{8})$/gm)].map((m) => [m[1], m[2]]));
  const [, me, child] = out.match(/^pids (\d+) (\d+)$/m)!;
  const listing = out.split('listing:\n')[1].split('end of listing\n')[0].split('\n').slice(0, -1);
  const rows = new Map(listing.slice(2).map((l) => [l.slice(0, 10), l.split(/ {2,}/)]));
  return { made, me, child, listing, rows };
}

describe('lsmp and /proc/PID/ports', () => {
  const platform = new CapturePlatform();
  let machine: Machine;

  beforeAll(async () => {
    machine = await Machine.boot(platform, { spareWorkers: 2 });
  });

  afterAll(async () => {
    await machine?.shutdown();
  });

  it('list every name a process made: its rights, references, queue, requests, receiver and kernel object', async () => {
    const idle = await machine.census();
    const subject = await WebAssembly.compile(await readFile(`${PROGRAMS}lsmp_subject.wasm`));
    expect(await machine.run(subject, ['lsmp_subject.wasm', '/progs/lsmp_subject.wasm'], [], { mounts })).toEqual({ code: 0 });
    const out = platform.out[1];
    const checks = out.split('\n').filter((l) => /^(ok|FAIL) /.test(l));
    expect(checks.filter((l) => !l.startsWith('ok '))).toEqual([]);
    expect(checks).toHaveLength(27);
    expect(out.trimEnd().split('\n').at(-1)).toBe('0 failures');

    const { made, me, child, listing, rows } = parse(out);
    expect(listing[0]).toBe(`Process (${me}) : lsmp_subject.wasm`);
    expect(listing[1]).toBe(HEADER);
    expect([...rows.keys()]).toEqual(Object.values(made).sort()); // one line per name, in name order
    const row = (what: string) => rows.get(made[what])!;
    const object = (what: string) => row(what)[1];
    // name, ipc-object, rights, urefs, reqs, msgcount, qlimit, mscount, receiver[, object]
    expect(row('recv')).toEqual([made.recv, object('recv'), 'recv,send', '3', '---', '1', '3', '1', me]);
    expect(row('set')).toEqual([made.set, object('set'), 'port-set', '-', '---', '-', '-', '-', '-', `members ${object('recv')}`]);
    expect(row('dead')).toEqual([made.dead, '-', 'dead-name', '2', '---', '-', '-', '-', '-']);
    expect(row('sonce')).toEqual([made.sonce, object('recv'), 'send-once', '1', '---', '-', '-', '-', me]);
    expect(row('watched')).toEqual([made.watched, object('watched'), 'recv,send', '1', 'NP-', '0', '5', '1', me]);
    expect(row('service')).toEqual([made.service, object('service'), 'send', '1', '--D', '-', '-', '-', child]);
    expect(row('task')).toEqual([made.task, object('task'), 'send', '1', '---', '-', '-', '-', 'kernel', `TASK (${me})`]);
    expect(row('thread')).toEqual([made.thread, object('thread'), 'send', '1', '---', '-', '-', '-', 'kernel', `THREAD (${me})`]);
    expect(row('child_task')).toEqual([made.child_task, object('child_task'), 'send', '1', '---', '-', '-', '-', 'kernel', `TASK (${child})`]);
    expect(row('bootstrap')).toEqual([made.bootstrap, object('bootstrap'), 'send', '1', '---', '-', '-', '-', 'kernel', 'BOOTSTRAP']);
    expect(row('semaphore')).toEqual([made.semaphore, object('semaphore'), 'send', '1', '---', '-', '-', '-', 'kernel', 'SEMAPHORE']);
    const objects = [...rows.values()].map((r) => r[1]).filter((o) => o !== '-' && o !== object('recv'));
    expect(new Set(objects).size).toBe(objects.length); // distinct ports have distinct numbers
    expect(await machine.census()).toEqual(idle);
  });
});
