// Socket calls (WASI sock_accept, sock_recv, sock_send, sock_shutdown). webmach has no sockets yet,
// so no descriptor is one: a valid descriptor gives ENOTSOCK, an invalid one EBADF, as WASI defines.
import { ENOTSOCK } from '../../abi/errno.js';
import { VfsError } from '../vfs/vnode.js';
import type { Request } from './syscalls.js';

export function sysSocket(r: Request, a: { fd: number }): never {
  r.proc.fds.get(a.fd);
  throw new VfsError(ENOTSOCK);
}
