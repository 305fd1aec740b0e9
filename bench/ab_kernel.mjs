// A/B of two kernel builds on one worker pair: `node bench/ab_kernel.mjs A.wasm B.wasm [rounds]
// [batch] [words]` (after `npm run build`). A client and a server worker each instantiate both
// builds over one machine memory and attach both to their thread; the client's batches rotate a JS
// spinning ping-pong (the floor), calls through A and calls through B, and the server answers with
// the build the request names (bits 14-15 of its label). So both builds, and the floor, see the same
// pair of threads in the same placement, which the benchmark's separate pairs cannot promise. Prints
// medians per batch and the median of the per-round ratios. The two builds must share the ABI.
// Environment: AB_SPIN sets the kernel spin budget (KHDR.SPIN; default the kernel's) and then the
// floor is the bare Atomics.wait/notify ping-pong when it is 0 (as atomics-floor), else a spinning one.
import { readFileSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Kernel, createMachineMemory } from '../dist/kernel-as/bindings/kernel.js';
import { RIGHT_SEND, ANY } from '../dist/kernel-as/bindings/abi.js';
import { PingPong } from '../dist/bench/workers/pingpong.js';
import { DEFAULT_SPIN_POLLS } from '../dist/bench/workers/pingpong_layout.js';

const FLOOR = 2;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main() {
  const [a, b, rounds = '60', batch = '2000', words = '0'] = process.argv.slice(2);
  if (b === undefined) throw new Error('usage: node bench/ab_kernel.mjs A.wasm B.wasm [rounds] [batch] [words]');
  const modules = [a, b].map((path) => new WebAssembly.Module(readFileSync(path)));
  const memory = createMachineMemory();
  const root = await Kernel.create(modules[0], memory);
  const spin = process.env['AB_SPIN'] === undefined ? -1 : Number(process.env['AB_SPIN']);
  root.attach(root.x.kernel_boot(spin), 0);
  const clientTask = root.x.task_create(0);
  const serverTask = root.x.task_create(0);
  const client = root.x.thread_create(clientTask);
  const server = root.x.thread_create(serverTask);
  if (root.x.cap_mint(clientTask, 0, server, 1, RIGHT_SEND) !== 0) throw new Error('cap_mint failed');
  const pingpong = new SharedArrayBuffer(256);
  const common = { modules, memory, pingpong, rounds: +rounds, batch: +batch, words: +words, bare: spin === 0 };
  const spawn = (role, tid) => new Worker(new URL(import.meta.url), { workerData: { ...common, role, tid } });
  const s = spawn('server', server);
  await new Promise((resolve) => s.once('message', resolve));
  const c = spawn('client', client);
  const { ns, errors } = await new Promise((resolve) => c.once('message', resolve));
  const [floor, nsA, nsB] = ns;
  const ratio = (xs, ys) => median(xs.map((x, i) => x / ys[i])).toFixed(3);
  console.log(
    `floor ${median(floor).toFixed(0)} ns  A ${median(nsA).toFixed(0)} ns (${ratio(nsA, floor)}x floor)  ` +
      `B ${median(nsB).toFixed(0)} ns (${ratio(nsB, floor)}x floor)  B/A ${ratio(nsB, nsA)}  errors ${errors}`,
  );
  await Promise.all([s.terminate(), c.terminate()]);
}

async function worker() {
  const d = workerData;
  const floor = new PingPong(d.pingpong, d.bare ? 'bare' : 'spin', DEFAULT_SPIN_POLLS);
  const kernels = [];
  for (const m of d.modules) {
    const k = await Kernel.create(m, d.memory);
    if (k.attach(d.tid, d.role === 'server' ? 2 : 1) !== 0) throw new Error('kernel_attach failed');
    kernels.push(k);
  }
  let seq = 0;
  if (d.role === 'server') {
    parentPort.postMessage('ready');
    let k = kernels[0];
    k.x.ipc_reply_wait(0, -1);
    for (;;) {
      const which = (k.mr(0) >>> 30) & 3;
      const next = kernels[which & 1];
      next.setMr(0, (k.mr(0) + 0x10000) | 0);
      for (let i = 1; i <= d.words; i++) next.setMr(i, ~k.mr(i));
      if (which === FLOOR) {
        next.x.ipc_reply(k.sender);
        floor.pong(d.batch, seq, () => {});
        seq += d.batch;
        next.x.ipc_receive(ANY, -1);
      } else next.x.ipc_reply_wait(k.sender, -1);
      k = next;
    }
  }
  const ns = [[], [], []];
  let errors = 0;
  let n = 0;
  const call = (k, which) => {
    n++;
    const tag = (((n & 0x3ffe) | (which << 14)) << 16) | d.words;
    k.setMr(0, tag);
    for (let j = 1; j <= d.words; j++) k.setMr(j, n + j);
    if (k.x.ipc_call(0, -1) !== 0 || k.mr(0) !== ((tag + 0x10000) | 0)) errors++;
  };
  for (let r = 0; r < d.rounds; r++) {
    for (const which of [FLOOR, 0, 1]) {
      const k = kernels[which & 1];
      if (which === FLOOR) call(k, FLOOR);
      if (which === FLOOR) {
        ns[0].push(floor.ping(d.batch, seq) / d.batch);
        seq += d.batch;
        continue;
      }
      const start = performance.now();
      for (let i = 0; i < d.batch; i++) call(k, which);
      ns[which + 1].push(((performance.now() - start) * 1e6) / d.batch);
    }
  }
  parentPort.postMessage({ ns, errors });
}

if (isMainThread) await main();
else await worker();
