// A task's IPC space (XNU's ipc_space and ipc_entry): its port names, each denoting rights. A
// port's send and receive rights share one name in a space; every send-once right has a name of its
// own; a port set is a name; a dead name is what a send or send-once right becomes when its port
// dies. Names are XNU-shaped: an index in the space's table << 8 | a generation, so a freed name is
// not soon reused. The user reference counts (urefs) of send rights and dead names live here.
import { MACH_PORT_TYPE_SEND, MACH_PORT_TYPE_RECEIVE, MACH_PORT_TYPE_SEND_ONCE, MACH_PORT_TYPE_PORT_SET, MACH_PORT_TYPE_DEAD_NAME } from '../../abi/mach.js';
import type { Port, PortSet } from './ipc_port.js';

/** The most user references one name may hold for a right (XNU's MACH_PORT_UREFS_MAX). */
export const UREFS_MAX = 0xffff;
const GEN_STEP = 4;
const GEN_FIRST = 3;

export class Entry {
  /** MACH_PORT_TYPE_* bits: send, receive, send-once, port set, dead name (and the dead-name request bit). */
  type = 0;
  /** User references: of the send right, the send-once right (always 1) or the dead name. */
  urefs = 0;
  /** A dead-name notification armed on this name: the send-once right it goes to. */
  dnrequest?: Port;

  constructor(readonly space: IpcSpace, readonly name: number, public object?: Port | PortSet) {}

  has(bits: number): boolean {
    return (this.type & bits) !== 0;
  }

  get port(): Port | undefined {
    return this.has(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND_ONCE) ? (this.object as Port) : undefined;
  }

  get pset(): PortSet | undefined {
    return this.has(MACH_PORT_TYPE_PORT_SET) ? (this.object as PortSet) : undefined;
  }
}

export class IpcSpace {
  private entries = new Map<number, Entry>();
  /** The entry holding send and/or receive rights of a port, by port (send-once entries are not here). */
  private byPort = new Map<Port, Entry>();
  private free: number[] = [];
  private gens: number[] = [];
  /** Set when the task ends: its names are gone and nothing more is copied out to it. */
  active = true;

  /** pid: the process whose task this space is. */
  constructor(readonly pid: number) {}

  lookup(name: number): Entry | undefined {
    return this.entries.get(name >>> 0);
  }

  /** The entry naming `port` with send or receive rights, if any. */
  entryOf(port: Port): Entry | undefined {
    return this.byPort.get(port);
  }

  /** A fresh name denoting `object` (no rights yet: the caller sets the type). */
  allocate(object?: Port | PortSet): Entry {
    const index = this.free.pop() ?? this.gens.length + 1;
    const gen = this.gens[index - 1] === undefined ? GEN_FIRST : (this.gens[index - 1] + GEN_STEP) & 0xff;
    this.gens[index - 1] = gen;
    const entry = new Entry(this, ((index << 8) | gen) >>> 0, object);
    this.entries.set(entry.name, entry);
    return entry;
  }

  /** An entry under the caller's chosen `name` (mach_port_insert_right); undefined when it is taken or not a name this space could make. */
  allocateNamed(name: number, object: Port): Entry | undefined {
    if (this.entries.has(name) || name === 0 || name === 0xffffffff) return undefined;
    const entry = new Entry(this, name >>> 0, object);
    this.entries.set(entry.name, entry);
    return entry;
  }

  /** Record that `entry` now holds send or receive rights of its port (or no longer does: `port` undefined). */
  index(entry: Entry): void {
    const port = entry.object as Port | undefined;
    if (port && entry.has(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)) this.byPort.set(port, entry);
    else if (port && this.byPort.get(port) === entry) this.byPort.delete(port);
  }

  /** Forget a name that denotes nothing any more. */
  remove(entry: Entry): void {
    if (this.entries.get(entry.name) !== entry) return;
    const port = entry.object as Port | undefined;
    if (port && this.byPort.get(port) === entry) this.byPort.delete(port);
    this.entries.delete(entry.name);
    const index = entry.name >>> 8;
    if (index > 0 && index <= this.gens.length && (entry.name & 0xff) === this.gens[index - 1]) this.free.push(index);
  }

  all(): Entry[] {
    return [...this.entries.values()];
  }

  get size(): number {
    return this.entries.size;
  }
}
