// A task worker: attach to its kernel thread, run the program, report "done" to the host. After its
// boot record it hears nothing from the host (it blocks in the kernel); it talks through kernel IPC.
import { Kernel } from '../kernel-as/bindings/kernel.js';
import { Syscalls } from '../libsystem/syscall.js';
import { runProgram } from '../libsystem/process.js';
import type { TaskBoot } from '../abi/boot.js';
import type { Endpoint, HostToWorker, WorkerToHost } from '../abi/service.js';

export async function runTask(boot: TaskBoot, endpoint: Endpoint<HostToWorker, WorkerToHost>): Promise<void> {
  const k = await Kernel.create(boot.kernel, boot.memory);
  const r = k.attach(boot.tid, boot.worker, true);
  if (r !== 0) throw new Error(`task worker cannot attach to thread ${boot.tid}: error ${r}`);
  await runProgram(boot.program, new Syscalls(k, boot.window, boot.windowLen), boot.commpage);
  endpoint.post({ kind: 'done' });
}
