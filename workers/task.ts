// A task worker: attach to its kernel thread, run the program (a forked child's from its parent's
// image), report "done" to the host. After its boot record it hears nothing from the host (it blocks
// in the kernel; it talks through kernel IPC) but, when its program ends by execve, the next program
// to run in the same task; it tells the host the image of each child its program forks.
import { Kernel } from '../kernel-as/bindings/kernel.js';
import { Syscalls } from '../libsystem/syscall.js';
import { runProgram } from '../libsystem/process.js';
import type { PostImage } from '../libsystem/fork.js';
import type { TaskBoot } from '../abi/boot.js';
import type { Endpoint, HostToWorker, WorkerToHost } from '../abi/service.js';

/** The kernel instance of the last task this worker ran: the next one on the same machine attaches it again. */
let last: { module: WebAssembly.Module; memory: WebAssembly.Memory; k: Kernel } | undefined;

async function kernelOf(boot: TaskBoot): Promise<Kernel> {
  if (last?.module !== boot.kernel || last.memory !== boot.memory) last = { module: boot.kernel, memory: boot.memory, k: await Kernel.create(boot.kernel, boot.memory) };
  return last.k;
}

export async function runTask(boot: TaskBoot, endpoint: Endpoint<HostToWorker, WorkerToHost>): Promise<void> {
  const k = await kernelOf(boot);
  const r = k.attach(boot.tid, boot.worker, true);
  if (r !== 0) throw new Error(`task worker cannot attach to thread ${boot.tid}: error ${r}`);
  const execs = programsByExec(endpoint);
  const sys = new Syscalls(k, boot.window, boot.windowLen);
  const post: PostImage = (worker, image) => endpoint.post({ kind: 'fork', worker, image }, [image.memory]);
  let image = boot.image;
  for (let program = boot.program; (await runProgram(program, sys, boot.commpage, post, image)) === 'exec'; image = undefined) program = await execs();
  endpoint.post({ kind: 'done' });
}

/** The programs the host hands over after an exec, in order: each call waits for the next. */
function programsByExec(endpoint: Endpoint<HostToWorker, WorkerToHost>): () => Promise<WebAssembly.Module> {
  const arrived: WebAssembly.Module[] = [];
  let waiting: ((program: WebAssembly.Module) => void) | undefined;
  endpoint.listen((m) => {
    if (m.kind !== 'exec') return;
    if (waiting) waiting(m.program);
    else arrived.push(m.program);
    waiting = undefined;
  });
  return () => {
    const next = arrived.shift();
    return next ? Promise.resolve(next) : new Promise((resolve) => (waiting = resolve));
  };
}
