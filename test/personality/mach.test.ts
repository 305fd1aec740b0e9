// Mach as programs written for macOS use it: C programs built with the SDK against XNU's headers
// (test/programs/mach) check ports and rights, mach_msg, notifications, tasks and threads as ports,
// semaphores and the bootstrap name service, success and XNU's error returns, several across
// processes, and messages larger than the message window; the INKS program (bench/programs/inks) runs one interface's routines through the
// three bindings (full message, direct call, colocated) and checks the same results from each.
// After every program the machine holds what it held before: processes, frames, ports and names.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useMachine } from './machine_fixture.js';
import { expectAllOk } from './check_report.js';

const MACH = fileURLToPath(new URL('../programs/mach/', import.meta.url));
const INKS = fileURLToPath(new URL('../../bench/programs/inks/', import.meta.url));

describe('Mach, as programs written for macOS use it', () => {
  const fx = useMachine();

  async function run(dir: string, name: string, args: string[]): Promise<void> {
    const program = await WebAssembly.compile(await readFile(`${dir}${name}.wasm`));
    const mounts = [{ guest: '/progs', host: dir, readOnly: true }];
    expect(await fx.machine.run(program, [`${name}.wasm`, ...args, `/progs/${name}.wasm`], [], { mounts })).toEqual({ code: 0 });
  }

  it('ports and rights: allocate, names, types, references, insert and extract, destroy, port sets, attributes, errors', async () => {
    await run(MACH, 'ports', ['all']);
    expectAllOk(fx.platform.out[1], 99);
  });

  it('mach_msg: in-line data, header rights, every disposition, out-of-line memory, timeouts, RCV_LARGE, queue limits, port sets, dead ports, rights destroyed undelivered', async () => {
    await run(MACH, 'msg', ['all']);
    expectAllOk(fx.platform.out[1], 82);
  });

  it('notifications: no-senders with the make-send count, dead-name, port-destroyed, send-once, a receiver that exits, errors', async () => {
    await run(MACH, 'notify', ['all']);
    expectAllOk(fx.platform.out[1], 53);
  });

  it('tasks and threads as ports: mach_task_self, task_info, thread_info, task_threads, task_for_pid, pid_for_task, suspend and resume', async () => {
    await run(MACH, 'task', ['all']);
    expectAllOk(fx.platform.out[1], 33);
  });

  it('semaphores: counts, timed waits, wait_signal, signal_all across processes, destroy, errors', async () => {
    await run(MACH, 'semaphore', ['all']);
    expectAllOk(fx.platform.out[1], 34);
  });

  it('the bootstrap name service: two programs started separately find each other and exchange rights and out-of-line memory', async () => {
    await run(MACH, 'bootstrap', ['all']);
    expectAllOk(fx.platform.out[1], 9);
  });

  it('messages larger than the message window: megabytes of out-of-line memory, to itself and another process; over 64 MiB refused', async () => {
    await run(MACH, 'large', ['all']);
    expectAllOk(fx.platform.out[1], 5);
  });

  it("a task's memory: vm_allocate, vm_deallocate, vm_read, vm_read_overwrite, vm_write, vm_copy, errors", async () => {
    await run(MACH, 'vm', ['all']);
    expectAllOk(fx.platform.out[1], 8);
  });

  it('one interface through three bindings (full message, direct call, colocated): the same results, complex calls by message', async () => {
    await run(INKS, 'inks', ['check']);
    expectAllOk(fx.platform.out[1], 14);
    expect(fx.platform.out[1]).toContain('ok direct: the six simple calls took that binding');
  });
});
