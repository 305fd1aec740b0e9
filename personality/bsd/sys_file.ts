// File system calls. This first cut writes to the console descriptors; the VFS comes next.
import { ESUCCESS, EBADF, EINVAL } from '../interfaces/errno.js';
import type { Request } from './syscalls.js';

/** write(fd, bulk bytes) -> [errno, bytes written]. */
export function sysWrite(r: Request): readonly number[] {
  const fd = r.args[0];
  if (!r.bulk) return [EINVAL, 0];
  const d = r.proc.fds.get(fd);
  if (!d) return [EBADF, 0];
  if (d.fd === 0) return [EBADF, 0];
  r.server.console(d.fd, r.bulk.slice());
  return [ESUCCESS, r.bulk.length];
}
