// The browser page: boots a machine and runs the program named in the URL
// (?program=/test/programs/hello.wasm&arg=a&arg=b&env=K=V&dir=/sandbox&stdin=text), showing its
// output; each `dir` is a fresh in-memory directory mounted and preopened at that path, and `stdin`
// is what standard input holds. The page records the outcome
// on <body> (data-status="exited", data-exit-code) so tests and users can see how it ended.
import { Machine } from '../machine.js';
import { BrowserPlatform } from './platform.js';
import { compileProgram, ProgramError } from '../../libsystem/imports.js';
import { setTransformStore } from '../../libsystem/asyncify.js';
import { useBrowserTransformStore } from './transform_store.js';
import { shellCode, type ExitStatus } from '../../abi/exit.js';

useBrowserTransformStore(setTransformStore); // a program that forks is transformed once, not at every load

const out = document.getElementById('out') as HTMLPreElement;
const decoders = [new TextDecoder(), new TextDecoder(), new TextDecoder()];

function show(fd: number, text: string): void {
  const span = document.createElement('span');
  span.className = fd === 2 ? 'stderr' : 'stdout';
  span.textContent = text;
  out.append(span);
}

async function loadProgram(url: string): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot fetch ${url}: ${response.status}`);
  try {
    return await compileProgram(new Uint8Array(await response.arrayBuffer()));
  } catch (e) {
    throw e instanceof ProgramError ? new Error(`cannot run ${url}: ${e.reason}`) : e;
  }
}

function finish(status: ExitStatus): void {
  if (!('code' in status)) show(2, `\n[terminated by signal ${status.signal}: ${status.reason}]\n`);
  document.body.dataset.exitCode = String(shellCode(status));
  document.body.dataset.status = 'exited';
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const url = params.get('program') ?? '/test/programs/hello.wasm';
  const args = [url.split('/').pop() ?? 'program', ...params.getAll('arg')];
  const stdin = params.get('stdin');
  const output = (fd: number, data: Uint8Array) => show(fd, decoders[fd].decode(data, { stream: true }));
  const machine = await Machine.boot(new BrowserPlatform(output, stdin === null ? undefined : new TextEncoder().encode(stdin)));
  document.body.dataset.status = 'running';
  const mounts = params.getAll('dir').map((guest) => ({ guest }));
  finish(await machine.run(await loadProgram(url), args, params.getAll('env'), { mounts }));
  await machine.shutdown();
}

main().catch((e: unknown) => {
  show(2, `webmach: ${e instanceof Error ? e.message : String(e)}\n`);
  document.body.dataset.status = 'error';
});
