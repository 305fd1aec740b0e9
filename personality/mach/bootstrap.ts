// The bootstrap name service (launchd's role on macOS, kept by the server): services by name, each
// a port the server holds a send right to. bootstrap_check_in makes a service's port and gives the
// caller its receive right (a second check-in while a task holds it is BOOTSTRAP_SERVICE_ACTIVE);
// bootstrap_register names a send right the caller has; bootstrap_look_up gives a send right.
// A service is forgotten when its port dies. Every task reaches it through its bootstrap port
// (task_get_special_port TASK_BOOTSTRAP_PORT), a kernel-object port of the server's.
import {
  BOOTSTRAP_SUCCESS, BOOTSTRAP_UNKNOWN_SERVICE, BOOTSTRAP_SERVICE_ACTIVE, BOOTSTRAP_NAME_IN_USE, BOOTSTRAP_MAX_NAME_LEN,
  BOOTSTRAP_NOT_PRIVILEGED, MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_RECEIVE, MACH_MSG_TYPE_COPY_SEND,
} from '../../abi/mach.js';
import type { Port } from './ipc_port.js';
import type { IpcSpace } from './ipc_space.js';
import type { Ipc } from './ipc.js';
import { checkCopyin, copyin, copyout } from './ipc_right.js';

export class Bootstrap {
  /** The bootstrap port every task's TASK_BOOTSTRAP_PORT names. */
  readonly port: Port;
  /** Services by name: the port, of which the service holds one send right. */
  private services = new Map<string, Port>();

  constructor(private ipc: Ipc) {
    this.port = ipc.port({ kind: 'bootstrap' });
  }

  /** The live service `name`, forgetting it (and its send right) if its port died. */
  private service(name: string): Port | undefined {
    const port = this.services.get(name);
    if (port && !port.active) {
      this.services.delete(name);
      this.ipc.release({ port, type: MACH_MSG_TYPE_PORT_SEND });
      return undefined;
    }
    return port;
  }

  checkIn(space: IpcSpace, name: string): { kr: number; port: number } {
    if (name.length >= BOOTSTRAP_MAX_NAME_LEN) return { kr: BOOTSTRAP_NOT_PRIVILEGED, port: 0 };
    let port = this.service(name);
    if (port && port.receiver) return { kr: BOOTSTRAP_SERVICE_ACTIVE, port: 0 };
    if (port) return { kr: BOOTSTRAP_NAME_IN_USE, port: 0 }; // registered by send right, or its receive right travels
    port = this.ipc.port();
    port.mscount++;
    port.srights++;
    this.services.set(name, port);
    return { kr: BOOTSTRAP_SUCCESS, port: copyout(this.ipc, space, { port, type: MACH_MSG_TYPE_PORT_RECEIVE }) };
  }

  lookUp(space: IpcSpace, name: string): { kr: number; port: number } {
    const port = this.service(name);
    if (!port) return { kr: BOOTSTRAP_UNKNOWN_SERVICE, port: 0 };
    port.srights++;
    return { kr: BOOTSTRAP_SUCCESS, port: copyout(this.ipc, space, { port, type: MACH_MSG_TYPE_PORT_SEND }) };
  }

  /** bootstrap_register: `right` names a send right of the caller's; errors are kern_return_t. */
  register(space: IpcSpace, name: string, right: number): number {
    if (name.length >= BOOTSTRAP_MAX_NAME_LEN) return BOOTSTRAP_NOT_PRIVILEGED;
    if (this.service(name)) return BOOTSTRAP_SERVICE_ACTIVE;
    const ref = { name: right, disposition: MACH_MSG_TYPE_COPY_SEND };
    if (checkCopyin(space, [ref]) >= 0) return BOOTSTRAP_NOT_PRIVILEGED;
    const r = copyin(this.ipc, space, ref);
    if (!r.port) return BOOTSTRAP_NOT_PRIVILEGED;
    this.services.set(name, r.port);
    return BOOTSTRAP_SUCCESS;
  }

  /** Services whose port is alive (the listing, and the census's view). */
  names(): string[] {
    return [...this.services.keys()].filter((n) => this.service(n));
  }
}
