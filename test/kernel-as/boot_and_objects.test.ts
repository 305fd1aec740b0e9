// Boot, binding and the kernel objects: kernel_boot/attach/switch, the spin and fastpath settings,
// tasks, threads and capabilities (creation, exhaustion, every argument check), the privilege checks
// seen from an unprivileged and from a privileged non-root task (each in its own worker), and
// task_destroy's argument checks. IPC itself is in ipc.test.ts.
import { describe, expect, it } from 'vitest';
import { abi, kb, kernelModule, useMachines, x, type Rec } from './helpers.js';

const boot = useMachines();

describe('kernel_boot and kernel_attach', () => {
  it('attach before boot is E_STATE, and so is every call from an unattached instance', async () => {
    const memory = kb.createMachineMemory();
    const k = await kb.Kernel.create(await kernelModule(), memory);
    expect(k.attach(1 << abi.THREAD_INDEX_BITS, 0)).toBe(abi.E_STATE);
    expect(k.x.kernel_current()).toBe(0);

    // After boot, an instance that never attached is still refused.
    const root = k.x.kernel_boot(-1);
    expect(root).toBeGreaterThan(0);
    const other = await kb.Kernel.create(await kernelModule(), memory);
    expect(other.x.task_create(0)).toBe(-abi.E_STATE);
    expect(other.x.thread_create(0)).toBe(-abi.E_STATE);
    expect(other.x.cap_mint(0, 0, root, 0, abi.RIGHT_SEND)).toBe(abi.E_STATE);
    expect(other.x.ipc_send(0, 0)).toBe(abi.E_STATE);
    expect(other.x.ipc_receive(abi.ANY, 0)).toBe(abi.E_STATE);
    expect(other.x.task_destroy(1)).toBe(abi.E_STATE);
  });

  it('boot makes root thread of privileged task 0 and fills the header', async () => {
    const m = await boot();
    const w = new Int32Array(m.memory.buffer);
    expect(m.root).toBeGreaterThan(0);
    expect(m.k.x.thread_task(m.root)).toBe(0);
    expect(m.k.x.thread_state(m.root)).toBe(abi.TS_RUNNING);
    expect(m.k.x.kernel_current()).toBe(m.root);
    expect(m.k.x.utcb_addr(m.root)).toBe(kb.utcbOf(m.root));
    expect(w[(abi.KHDR_BASE + abi.KHDR_MAGIC) >> 2]).toBe(abi.ABI_MAGIC);
    expect(w[(abi.KHDR_BASE + abi.KHDR_VERSION) >> 2]).toBe(abi.ABI_VERSION);
    expect(w[(abi.KHDR_BASE + abi.KHDR_SPIN) >> 2]).toBe(abi.DEFAULT_SPIN);
    expect(w[(abi.KHDR_BASE + abi.KHDR_FASTPATH) >> 2]).toBe(1);
    expect(w[(abi.KHDR_BASE + abi.KHDR_LOCK) >> 2]).toBe(0);
  });

  it('attach to a non-live thread id is E_DEAD', async () => {
    const m = await boot();
    const k2 = await kb.Kernel.create(m.module, m.memory);
    expect(k2.attach(0, 1)).toBe(abi.E_DEAD);
    expect(k2.attach(-1, 1)).toBe(abi.E_DEAD);
    expect(k2.attach((1 << abi.THREAD_INDEX_BITS) | 7, 1)).toBe(abi.E_DEAD); // never created
    expect(k2.attach(abi.MAX_THREADS, 1)).toBe(abi.E_DEAD); // index out of range
    const t = m.task();
    const tid = m.thread(t);
    expect(k2.attach(tid + (1 << abi.THREAD_INDEX_BITS), 1)).toBe(abi.E_DEAD); // wrong generation
    expect(m.k.x.task_destroy(t)).toBe(abi.OK);
    expect(k2.attach(tid, 1)).toBe(abi.E_DEAD); // dead
    expect(k2.x.kernel_current()).toBe(0);
    // A live one works.
    const t2 = m.task();
    const tid2 = m.thread(t2);
    expect(k2.attach(tid2, 1)).toBe(abi.OK);
    expect(k2.x.kernel_current()).toBe(tid2);
  });

  it('kernel_switch: same task only, live threads only', async () => {
    const m = await boot();
    const mine = m.thread(0);
    const t = m.task();
    const theirs = m.thread(t);
    expect(m.k.switchTo(theirs)).toBe(abi.E_PERM);
    expect(m.k.x.kernel_current()).toBe(m.root);
    expect(m.k.switchTo(theirs + (1 << abi.THREAD_INDEX_BITS))).toBe(abi.E_DEAD);
    expect(m.k.switchTo(mine)).toBe(abi.OK);
    expect(m.k.current).toBe(mine);
    expect(m.k.x.kernel_current()).toBe(mine);
    expect(m.k.switchTo(m.root)).toBe(abi.OK);
    expect(m.k.x.kernel_current()).toBe(m.root);
  });

  it('kernel_set_spin and kernel_set_fastpath check their argument and write the header', async () => {
    const m = await boot({ spin: 123 });
    const w = new Int32Array(m.memory.buffer);
    expect(w[abi.KHDR_SPIN >> 2]).toBe(123);
    expect(m.k.x.kernel_set_spin(-1)).toBe(abi.E_INVALID_ARG);
    expect(m.k.x.kernel_set_spin(0)).toBe(abi.OK);
    expect(w[abi.KHDR_SPIN >> 2]).toBe(0);
    expect(m.k.x.kernel_set_fastpath(2)).toBe(abi.E_INVALID_ARG);
    expect(m.k.x.kernel_set_fastpath(-1)).toBe(abi.E_INVALID_ARG);
    expect(m.k.x.kernel_set_fastpath(0)).toBe(abi.OK);
    expect(w[abi.KHDR_FASTPATH >> 2]).toBe(0);
    expect(m.k.x.kernel_set_fastpath(1)).toBe(abi.OK);
    expect(w[abi.KHDR_FASTPATH >> 2]).toBe(1);
  });
});

describe('tasks and threads', () => {
  it('task_create and thread_create return fresh ids; thread_task and thread_state report them', async () => {
    const m = await boot();
    const a = m.task();
    const b = m.task(abi.TASK_PRIVILEGED);
    expect(a).toBeGreaterThanOrEqual(1);
    expect(b).not.toBe(a);
    const ids = new Set<number>();
    for (const t of [a, a, b, 0]) {
      const tid = m.thread(t);
      expect(tid).toBeGreaterThan(0);
      expect(ids.has(tid)).toBe(false);
      ids.add(tid);
      expect(m.k.x.thread_task(tid)).toBe(t);
      expect(m.k.x.thread_state(tid)).toBe(abi.TS_RUNNING);
      expect(m.k.x.utcb_addr(tid)).toBe(kb.utcbOf(tid));
    }
    expect(m.k.x.thread_task(12345 << 16)).toBe(-abi.E_DEAD);
    expect(m.k.x.thread_state(0)).toBe(-abi.E_DEAD);
    expect(m.k.x.utcb_addr(0)).toBe(0);
  });

  it('thread_create in a task that does not exist is -E_INVALID_ARG', async () => {
    const m = await boot();
    expect(m.k.x.thread_create(5)).toBe(-abi.E_INVALID_ARG);
    expect(m.k.error).toBe(abi.E_INVALID_ARG);
    expect(m.k.x.thread_create(-1)).toBe(-abi.E_INVALID_ARG);
    expect(m.k.x.thread_create(abi.MAX_TASKS)).toBe(-abi.E_INVALID_ARG);
    const t = m.task();
    expect(m.k.x.task_destroy(t)).toBe(abi.OK);
    expect(m.k.x.thread_create(t)).toBe(-abi.E_INVALID_ARG);
  });

  it('the task table runs out with -E_NO_SPACE, and a destroyed record is reused', async () => {
    const m = await boot();
    const made: number[] = [];
    for (let i = 1; i < abi.MAX_TASKS; i++) made.push(m.task());
    expect(new Set(made).size).toBe(abi.MAX_TASKS - 1);
    expect(m.k.x.task_create(0)).toBe(-abi.E_NO_SPACE);
    expect(m.k.error).toBe(abi.E_NO_SPACE);
    expect(m.k.x.task_destroy(made[10])).toBe(abi.OK);
    expect(m.k.x.task_create(0)).toBe(made[10]);
    expect(m.k.x.task_create(0)).toBe(-abi.E_NO_SPACE);
  });

  it('the thread table runs out with -E_NO_SPACE, and dead slots are reused with a new generation', async () => {
    const m = await boot();
    const t = m.task();
    const tids: number[] = [];
    for (let i = 1; i < abi.MAX_THREADS; i++) tids.push(m.thread(t));
    expect(m.k.x.thread_create(t)).toBe(-abi.E_NO_SPACE);
    expect(m.k.error).toBe(abi.E_NO_SPACE);
    expect(m.k.x.task_destroy(t)).toBe(abi.OK);
    const t2 = m.task();
    const fresh = m.thread(t2);
    expect(tids).not.toContain(fresh);
    expect(m.k.x.thread_state(tids[(fresh & 0xffff) - 1])).toBe(-abi.E_DEAD); // the old id of that slot
  });
});

describe('capabilities', () => {
  it('cap_mint checks slot, rights, target and task', async () => {
    const m = await boot();
    const t = m.task();
    const tid = m.thread(t);
    const mint = (task: number, slot: number, target: number, rights: number) => m.k.x.cap_mint(task, slot, target, 9, rights);
    expect(mint(t, -1, tid, abi.RIGHT_SEND)).toBe(abi.E_INVALID_ARG);
    expect(m.k.error).toBe(abi.E_INVALID_ARG);
    expect(mint(t, abi.CAP_SLOTS, tid, abi.RIGHT_SEND)).toBe(abi.E_INVALID_ARG);
    expect(mint(t, 0, tid, 0)).toBe(abi.E_INVALID_ARG);
    expect(mint(t, 0, tid, 8)).toBe(abi.E_INVALID_ARG);
    expect(mint(t, 0, tid, abi.RIGHT_SEND | 0x100)).toBe(abi.E_INVALID_ARG);
    expect(mint(t, 0, 0, abi.RIGHT_SEND)).toBe(abi.E_DEAD);
    expect(mint(t, 0, tid + (1 << abi.THREAD_INDEX_BITS), abi.RIGHT_SEND)).toBe(abi.E_DEAD);
    expect(mint(40, 0, tid, abi.RIGHT_SEND)).toBe(abi.E_INVALID_ARG); // no such task
    expect(mint(t, 0, tid, abi.RIGHT_SEND | abi.RIGHT_NOTIFY | abi.RIGHT_RECEIVE)).toBe(abi.OK);
    expect(m.k.error).toBe(abi.OK);
    expect(mint(t, abi.CAP_SLOTS - 1, tid, abi.RIGHT_NOTIFY)).toBe(abi.OK);

    // The entry as written (white-box, layout from the ABI).
    const w = new Int32Array(m.memory.buffer);
    const c = abi.TASK_BASE + t * abi.TASK_SIZE + abi.TASK_CAPS;
    expect(w[(c + abi.CAP_TYPE) >> 2]).toBe(abi.CAP_THREAD);
    expect(w[(c + abi.CAP_TARGET) >> 2]).toBe(tid);
    expect(w[(c + abi.CAP_BADGE) >> 2]).toBe(9);

    // A dead target.
    const t2 = m.task();
    const dead = m.thread(t2);
    expect(m.k.x.task_destroy(t2)).toBe(abi.OK);
    expect(mint(t, 1, dead, abi.RIGHT_SEND)).toBe(abi.E_DEAD);
  });

  it('cap_delete empties a slot (then E_INVALID_CAP) and checks its arguments', async () => {
    const m = await boot();
    const target = m.thread(m.task());
    m.mint(0, 3, target, 1, abi.RIGHT_SEND);
    m.k.setMessage(1, []);
    expect(m.k.x.ipc_send(3, 0)).toBe(abi.E_TIMEOUT); // the capability works (nobody receives)
    expect(m.k.x.cap_delete(0, -1)).toBe(abi.E_INVALID_ARG);
    expect(m.k.x.cap_delete(0, abi.CAP_SLOTS)).toBe(abi.E_INVALID_ARG);
    expect(m.k.x.cap_delete(50, 3)).toBe(abi.E_INVALID_ARG);
    expect(m.k.x.cap_delete(0, 3)).toBe(abi.OK);
    expect(m.k.x.ipc_send(3, 0)).toBe(abi.E_INVALID_CAP);
    expect(m.k.x.cap_delete(0, 3)).toBe(abi.OK); // deleting an empty slot is fine
  });

  it('task_set_pager and task_set_exc_handler check the thread and the task', async () => {
    const m = await boot();
    const t = m.task();
    const tid = m.thread(t);
    expect(m.k.x.task_set_pager(t, 0)).toBe(abi.E_DEAD);
    expect(m.k.x.task_set_exc_handler(t, tid + (1 << 16))).toBe(abi.E_DEAD);
    expect(m.k.x.task_set_pager(33, tid)).toBe(abi.E_INVALID_ARG);
    expect(m.k.x.task_set_exc_handler(-1, tid)).toBe(abi.E_INVALID_ARG);
    expect(m.k.x.task_set_pager(t, m.root)).toBe(abi.OK);
    expect(m.k.x.task_set_exc_handler(t, m.root)).toBe(abi.OK);
    const w = new Int32Array(m.memory.buffer);
    const rec = abi.TASK_BASE + t * abi.TASK_SIZE;
    expect(w[(rec + abi.TASK_PAGER) >> 2]).toBe(m.root);
    expect(w[(rec + abi.TASK_EXC_HANDLER) >> 2]).toBe(m.root);
  });

  it('task_destroy refuses task 0, out-of-range and dead tasks', async () => {
    const m = await boot();
    expect(m.k.x.task_destroy(0)).toBe(abi.E_INVALID_ARG);
    expect(m.k.x.task_destroy(-1)).toBe(abi.E_INVALID_ARG);
    expect(m.k.x.task_destroy(abi.MAX_TASKS)).toBe(abi.E_INVALID_ARG);
    expect(m.k.x.task_destroy(7)).toBe(abi.E_INVALID_ARG); // never created
    const t = m.task();
    const tid = m.thread(t);
    expect(m.k.x.task_destroy(t)).toBe(abi.OK);
    expect(m.k.x.thread_state(tid)).toBe(-abi.E_DEAD);
    expect(m.k.x.task_destroy(t)).toBe(abi.E_INVALID_ARG);
  });
});

describe('privilege', () => {
  it('an unprivileged task thread gets E_PERM from every privileged call', async () => {
    const m = await boot();
    const t = m.task();
    const me = m.thread(t);
    const victim = m.task();
    const vt = m.thread(victim);
    const w = m.script(me, [
      x('task_create', [0], 'task_create'),
      x('thread_create', [t], 'thread_create'),
      x('cap_mint', [t, 0, vt, 1, abi.RIGHT_SEND], 'cap_mint'),
      x('cap_delete', [t, 0], 'cap_delete'),
      x('task_destroy', [victim], 'task_destroy'),
      x('task_set_pager', [victim, me], 'task_set_pager'),
      x('task_set_exc_handler', [victim, me], 'task_set_exc_handler'),
      x('thread_set_passive', [vt], 'set_passive_other_task'),
      x('thread_set_passive', [me], 'set_passive_self'),
      x('kernel_switch', [vt], 'switch_other_task'),
    ]);
    const r = await w.result();
    expect(r.task_create.r).toBe(-abi.E_PERM);
    expect(r.task_create.error).toBe(abi.E_PERM);
    expect(r.thread_create.r).toBe(-abi.E_PERM);
    expect(r.thread_create.error).toBe(abi.E_PERM);
    for (const name of ['cap_mint', 'cap_delete', 'task_destroy', 'task_set_pager', 'task_set_exc_handler']) {
      expect(r[name].r, name).toBe(abi.E_PERM);
      expect(r[name].error, name).toBe(abi.E_PERM);
    }
    expect(r.set_passive_other_task.r).toBe(abi.E_PERM);
    expect(r.set_passive_self.r).toBe(abi.E_PERM);
    expect(r.switch_other_task.r).toBe(abi.E_PERM);
    // Nothing changed.
    expect(m.k.x.thread_state(vt)).toBe(abi.TS_RUNNING);
    expect(m.k.x.task_create(0)).toBe(victim + 1);
  });

  it('a privileged non-root task may create and destroy, but not itself or task 0', async () => {
    const m = await boot();
    const p = m.task(abi.TASK_PRIVILEGED);
    const me = m.thread(p);
    const w = m.script(me, [
      x('task_create', [0], 'child'),
      x('task_destroy', [p], 'destroy_self'),
      x('task_destroy', [0], 'destroy_root'),
    ]);
    const r = await w.result<Record<string, Rec>>();
    const child = r.child.r;
    expect(child).toBeGreaterThan(p);
    expect(r.destroy_self.r).toBe(abi.E_INVALID_ARG);
    expect(r.destroy_root.r).toBe(abi.E_INVALID_ARG);
    const w2 = m.script(me, [
      x('thread_create', [child], 'thread'),
      x('task_destroy', [child], 'destroy_child'),
    ]);
    const r2 = await w2.result();
    expect(r2.thread.r).toBeGreaterThan(0);
    expect(m.k.x.thread_task(r2.thread.r)).toBe(-abi.E_DEAD);
    expect(r2.destroy_child.r).toBe(abi.OK);
    expect(m.k.x.thread_state(me)).toBe(abi.TS_RUNNING);
  });
});
