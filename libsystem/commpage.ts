// The task side of the commpage (abi/commpage.ts): identity, limits, arguments,
// environment and starting directory read straight from the frame the server wrote, with no IPC; the console word and the
// console's rings for the standard streams' fast path (console.ts). The strings are handed to
// the program as they lie there (NUL-terminated, contiguous), so args_get is one copy.
import { COMMPAGE, COMMPAGE_MAGIC } from '../abi/commpage.js';

export class Commpage {
  /** The header words (index = byte offset / 4). */
  readonly words: Int32Array;
  /** The argument strings, then the environment strings, each NUL-terminated. */
  readonly argv: Uint8Array;
  readonly envp: Uint8Array;
  /** The working directory the process started in, NUL-terminated. */
  readonly cwd: Uint8Array;

  constructor(readonly memory: WebAssembly.Memory, addr: number) {
    this.words = new Int32Array(memory.buffer, addr, COMMPAGE.strings >> 2);
    if (this.word(COMMPAGE.magic) !== COMMPAGE_MAGIC) throw new Error('the commpage was not written');
    const strings = addr + COMMPAGE.strings;
    this.argv = new Uint8Array(memory.buffer, strings, this.word(COMMPAGE.argvBytes));
    this.envp = new Uint8Array(memory.buffer, strings + this.argv.length, this.word(COMMPAGE.envBytes));
    this.cwd = new Uint8Array(memory.buffer, strings + this.argv.length + this.envp.length, this.word(COMMPAGE.cwdBytes));
  }

  private word(offset: number): number {
    return this.words[offset >> 2];
  }

  /** COMMPAGE_TRACE and future flags. */
  get flags(): number {
    return this.word(COMMPAGE.flags);
  }

  /** The console word (COMMPAGE.console), which the server rewrites as descriptors 0-2 change. */
  get console(): number {
    return Atomics.load(this.words, COMMPAGE.console >> 2);
  }

  get inputRing(): number {
    return this.word(COMMPAGE.inputRing);
  }

  get outputRing(): number {
    return this.word(COMMPAGE.outputRing);
  }

  get pid(): number {
    return this.word(COMMPAGE.pid);
  }

  get argc(): number {
    return this.word(COMMPAGE.argc);
  }

  get envc(): number {
    return this.word(COMMPAGE.envc);
  }
}
