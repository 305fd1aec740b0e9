// A Node platform that keeps program output instead of printing it, gives programs an empty standard
// input and leaves the host's own streams alone: for running programs from code (benchmarks, tests).
import { NodePlatform } from './platform.js';

export class CapturePlatform extends NodePlatform {
  /** What fd 1 and fd 2 received since the last clear(). */
  readonly out: Record<number, string> = { 1: '', 2: '' };
  private decoder = new TextDecoder();

  override write(fd: number, data: Uint8Array): boolean {
    this.out[fd] += this.decoder.decode(data);
    return true;
  }

  override async readInput(): Promise<Uint8Array | undefined> {
    return undefined;
  }

  override watchOutput(): () => void {
    return () => {};
  }

  clear(): void {
    this.out[1] = '';
    this.out[2] = '';
  }
}
