// procfs's /proc/PID/ports without workers: the rows of a Mach IPC space (personality/mach/mach_debug.ts)
// made by the mach_port calls on the server's own objects, and their lines (portLine: columns, `-`
// for what a right lacks, the header alone for a process that never used Mach, no space made for it).
import { describe, expect, it } from 'vitest';
import {
  MACH_PORT_RIGHT_RECEIVE, MACH_PORT_RIGHT_SEND, MACH_PORT_RIGHT_PORT_SET, MACH_PORT_RIGHT_DEAD_NAME, MACH_MSG_TYPE_MAKE_SEND,
  MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_NOTIFY_NO_SENDERS, MACH_NOTIFY_DEAD_NAME,
} from '../../dist/abi/mach.js';
import { ProcFs, FILES_HEADER, PORTS_HEADER, fileLine, portLine, type ProcView, type PortView } from '../../dist/personality/vfs/procfs.js';
import { Mach } from '../../dist/personality/mach/mach.js';
import { DirectBinding } from '../../dist/personality/mach/direct.js';
import { Staging } from '../../dist/personality/mach/staging.js';
import { FrameAllocator } from '../../dist/personality/vm/frames.js';
import * as mach_port from '../../dist/personality/mach/mach_port.js';
import { spaceInfo } from '../../dist/personality/mach/mach_debug.js';
import { readText, names } from './vfs_conformance.js';

const hex = (n: number) => '0x' + n.toString(16).padStart(8, '0');
const NONE = { noSenders: false, portDestroyed: false, deadName: false };

/** A Mach without workers: no process to suspend, a direct binding whose kernel calls do nothing (no port is served directly here), staging in a memory of its own. */
function machAlone(): Mach {
  const k = { x: { cap_mint: () => 0, cap_delete: () => 0, notify_post: () => 0 } } as unknown as ConstructorParameters<typeof DirectBinding>[0];
  const memory = new WebAssembly.Memory({ initial: 1 });
  return new Mach(() => {}, () => undefined, new DirectBinding(k, 0, new Int32Array(16), () => undefined), new Staging(new FrameAllocator(memory, 0), memory));
}

function view(pid: number, ports?: () => readonly PortView[]): ProcView {
  return { pid, ppid: 0, pgid: pid, name: 'p', args: ['p'], stopped: false, ports };
}

describe('/proc/PID/ports', () => {
  it('is listed beside stat and cmdline, and holds only the header for a process without Mach names', () => {
    const fs = new ProcFs(3n, () => [view(4), view(5, () => [])]);
    const dir = fs.root.lookup('4');
    expect(names(dir)).toEqual(['.', '..', 'stat', 'cmdline', 'ports', 'files']);
    expect(dir.lookup('ports').stat().ino).toBe(4n * 8n + 3n);
    expect(readText(dir.lookup('ports'))).toBe(PORTS_HEADER + '\n');
    expect(readText(fs.root.lookup('5').lookup('ports'))).toBe(PORTS_HEADER + '\n');
  });

  it('/proc/vmstat shows the page cache\'s counters, a line each, and is listed at the root', () => {
    const fs = new ProcFs(3n, () => [view(4)], () => ({ cache_pages: 3, cache_hits: 7 }));
    expect(names(fs.root)).toEqual(['.', '..', 'vmstat', '4']);
    expect(readText(fs.root.lookup('vmstat'))).toBe('cache_pages 3\ncache_hits 7\n');
  });

  it('/proc/PID/files lists descriptors with their type, offset, window, token and its holder', () => {
    expect(FILES_HEADER).toBe('fd  type        offset  window      token       holder');
    expect(fileLine({ fd: 0, type: 'character', offset: 0 })).toBe(' 0  character        0  -           -           -');
    expect(fileLine({ fd: 4, type: 'stream' })).toBe(' 4  stream           -  -           -           -');
    expect(fileLine({ fd: 5, type: 'regular', offset: 12345, window: { addr: 0x20080, token: 0x10040, holder: 0 } })).toBe(' 5  regular      12345  0x00020080  0x00010040  -');
    expect(fileLine({ fd: 6, type: 'regular', offset: 1, window: { addr: 0x20100, token: 0x10040, holder: 7 } })).toBe(' 6  regular          1  0x00020100  0x00010040  7');
    const fs = new ProcFs(3n, () => [{ ...view(4), files: () => [{ fd: 3, type: 'directory', offset: 0 }] }]);
    expect(readText(fs.root.lookup('4').lookup('files'))).toBe(FILES_HEADER + '\n 3  directory        0  -           -           -\n');
  });

  it('formats each row in the header\'s columns, `-` for what does not apply', () => {
    expect(PORTS_HEADER).toBe('name        ipc-object  rights      urefs  reqs  msgcount  qlimit  mscount  receiver  object');
    const recv: PortView = { name: 0x403, object: 7, rights: ['recv', 'send'], urefs: 3, requests: { noSenders: true, portDestroyed: true, deadName: false }, queue: { count: 1, limit: 3, mscount: 2 }, receiver: 12 };
    expect(portLine(recv)).toBe('0x00000403  0x00000007  recv,send       3  NP-          1       3        2  12');
    expect(portLine({ name: 0x503, rights: ['dead-name'], urefs: 2, requests: NONE })).toBe('0x00000503  -           dead-name       2  ---          -       -        -  -');
    expect(portLine({ name: 0x603, object: 8, rights: ['port-set'], requests: NONE, members: [7, 9] })).toBe('0x00000603  0x00000008  port-set        -  ---          -       -        -  -         members 0x00000007,0x00000009');
    expect(portLine({ name: 0x703, object: 2, rights: ['send'], urefs: 1, requests: NONE, receiver: 'kernel', kobject: { kind: 'task', pid: 12 } })).toBe('0x00000703  0x00000002  send            1  ---          -       -        -  kernel    TASK (12)');
    expect(portLine({ name: 0x803, object: 1, rights: ['send'], urefs: 1, requests: { ...NONE, deadName: true }, receiver: 'kernel', kobject: { kind: 'bootstrap' } })).toBe('0x00000803  0x00000001  send            1  --D          -       -        -  kernel    BOOTSTRAP');
    const line = portLine(recv);
    const starts = (s: string, col: string) => s.indexOf(col);
    for (const col of ['urefs', 'msgcount', 'qlimit', 'mscount']) expect(line[starts(PORTS_HEADER, col) + col.length - 1]).not.toBe(' '); // numbers right-aligned under their column
  });
});

describe('spaceInfo: the rows of a space', () => {
  it('gives none, and makes no space, for a process that never used Mach', () => {
    const mach = machAlone();
    expect(spaceInfo(mach.ipc, 9)).toEqual([]);
    expect(mach.ipc.spaceOf(9)).toBeUndefined();
  });

  it('names every right as the mach_port calls made it, in name order', () => {
    const mach = machAlone();
    const space = mach.ipc.space(20);
    const other = mach.ipc.space(21);
    const task = mach.sendRight(space, mach.task(20).port);
    const recv = mach_port.allocate(mach.ipc, space, MACH_PORT_RIGHT_RECEIVE).name;
    expect(mach_port.insertRight(mach.ipc, space, space, recv, recv, MACH_MSG_TYPE_MAKE_SEND)).toBe(0);
    expect(mach_port.modRefs(mach.ipc, space, recv, MACH_PORT_RIGHT_SEND, 1)).toBe(0);
    expect(mach_port.requestNotification(mach.ipc, space, recv, MACH_NOTIFY_NO_SENDERS, 1, recv, MACH_MSG_TYPE_MAKE_SEND_ONCE).kr).toBe(0);
    const set = mach_port.allocate(mach.ipc, space, MACH_PORT_RIGHT_PORT_SET).name;
    expect(mach_port.insertMember(mach.ipc, space, recv, set)).toBe(0);
    const dead = mach_port.allocate(mach.ipc, space, MACH_PORT_RIGHT_DEAD_NAME).name;
    const theirs = mach_port.allocate(mach.ipc, other, MACH_PORT_RIGHT_RECEIVE).name;
    const send = mach_port.extractRight(mach.ipc, other, space, theirs, MACH_MSG_TYPE_MAKE_SEND).poly;
    expect(mach_port.requestNotification(mach.ipc, space, send, MACH_NOTIFY_DEAD_NAME, 0, recv, MACH_MSG_TYPE_MAKE_SEND_ONCE).kr).toBe(0);
    const so = mach_port.extractRight(mach.ipc, space, space, recv, MACH_MSG_TYPE_MAKE_SEND_ONCE).poly;

    const rows = spaceInfo(mach.ipc, 20);
    expect(rows.map((r) => r.name)).toEqual([task, recv, set, dead, send, so].sort((a, b) => a - b));
    const of = (name: number) => rows.find((r) => r.name === name)!;
    const taskPort = mach.task(20).port, recvPort = space.lookup(recv)!.object!, theirPort = other.lookup(theirs)!.object!;
    expect(of(task)).toMatchObject({ object: taskPort.id, rights: ['send'], urefs: 1, receiver: 'kernel', kobject: { kind: 'task', pid: 20 }, requests: NONE });
    expect(of(recv)).toMatchObject({ object: recvPort.id, rights: ['recv', 'send'], urefs: 2, receiver: 20, queue: { count: 0, limit: 5, mscount: 1 }, requests: { ...NONE, noSenders: true } });
    expect(of(set)).toMatchObject({ rights: ['port-set'], members: [recvPort.id], urefs: undefined, receiver: undefined });
    expect(of(dead)).toMatchObject({ object: undefined, rights: ['dead-name'], urefs: 1, receiver: undefined });
    expect(of(so)).toMatchObject({ object: recvPort.id, rights: ['send-once'], urefs: 1, receiver: 20, queue: undefined });
    expect(of(send)).toMatchObject({ object: theirPort.id, rights: ['send'], receiver: 21, requests: { ...NONE, deadName: true } });
    expect(portLine(of(send))).toBe(`${hex(send)}  ${hex(theirPort.id)}  send            1  --D          -       -        -  21`);

    mach.ended(21); // the other process ends: its port dies, the send right becomes a dead name (its request fired)
    expect(spaceInfo(mach.ipc, 20).find((r) => r.name === send)).toMatchObject({ object: undefined, rights: ['dead-name'], urefs: 2, requests: NONE });
    expect(spaceInfo(mach.ipc, 21)).toEqual([]);
  });
});
