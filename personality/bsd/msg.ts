// The server's reader of one request, used by the generated decoders (bsd_server.ts, from
// abi/mig.mjs): words from the UTCB, in data from the window in argument order, out rooms in the
// window in argument order. Every length is checked against the window: a malformed message gets an
// errno (EINVAL for the wrong word count, EFAULT for data outside the window, EILSEQ for a string
// that is not UTF-8), never zeros or bytes from elsewhere.
import { type Kernel, tagWords } from '../../kernel-as/bindings/kernel.js';
import { EFAULT, EILSEQ, EINVAL } from '../../abi/errno.js';
import { wordsU64 } from '../../abi/bsd.js';
import { VfsError } from '../vfs/vnode.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

export class MessageReader {
  /** Where the next in data and the next out room start in the window. */
  private inAt = 0;
  private roomAt = 0;

  constructor(private k: Kernel, private window: Uint8Array) {}

  /** Read the next message (in the same UTCB) with `window` (the server keeps one reader). */
  start(window: Uint8Array): this {
    this.window = window;
    this.inAt = 0;
    this.roomAt = 0;
    return this;
  }

  /** The message must carry exactly `words` words after its tag. */
  expect(words: number): void {
    if (tagWords(this.k.mr(0)) !== words) throw new VfsError(EINVAL);
  }

  int(i: number): number {
    return this.k.mr(i) | 0;
  }

  uint(i: number): number {
    return this.k.mr(i) >>> 0;
  }

  u64(i: number): bigint {
    return wordsU64(this.k.mr(i), this.k.mr(i + 1));
  }

  s64(i: number): bigint {
    return BigInt.asIntN(64, this.u64(i));
  }

  /** The next in bytes, word i its length: a view of the window. */
  bytes(i: number): Uint8Array {
    const view = this.view(this.inAt, this.uint(i));
    this.inAt += view.length;
    return view;
  }

  /** The next in string, word i its byte length, decoded (a copy: browsers refuse to decode views of shared memory). */
  string(i: number): string {
    const bytes = this.bytes(i);
    try {
      return decoder.decode(bytes.slice());
    } catch {
      throw new VfsError(EILSEQ);
    }
  }

  /** The next out room, word i its size: a view of the window the handler fills. */
  room(i: number): Uint8Array {
    const view = this.view(this.roomAt, this.uint(i));
    this.roomAt += view.length;
    return view;
  }

  /** `len` bytes of the window at `at`, or EFAULT. */
  private view(at: number, len: number): Uint8Array {
    if (len > this.window.length - at) throw new VfsError(EFAULT);
    return this.window.subarray(at, at + len);
  }
}
