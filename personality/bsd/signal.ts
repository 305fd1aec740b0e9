// Signals: which signal a trap becomes (lackorzynski-2004: exceptions reach the server, which turns
// them into signals). Delivery to handlers comes with the signals issue; for now a trap ends the process.
import { TRAP } from '../../abi/bsd.js';
import { SIGILL, SIGSEGV, SIGFPE } from '../../abi/errno.js';

const TRAPS: Readonly<Record<number, { signal: number; reason: string }>> = {
  [TRAP.unreachable]: { signal: SIGILL, reason: 'wasm trap: unreachable executed' },
  [TRAP.memoryOutOfBounds]: { signal: SIGSEGV, reason: 'wasm trap: memory access out of bounds' },
  [TRAP.stackOverflow]: { signal: SIGSEGV, reason: 'wasm trap: call stack exhausted' },
  [TRAP.divideByZero]: { signal: SIGFPE, reason: 'wasm trap: integer divide by zero' },
  [TRAP.integerOverflow]: { signal: SIGFPE, reason: 'wasm trap: integer overflow' },
  [TRAP.indirectCall]: { signal: SIGSEGV, reason: 'wasm trap: bad indirect call' },
};

export function signalForTrap(code: number): { signal: number; reason: string } {
  return TRAPS[code] ?? { signal: SIGILL, reason: 'wasm trap' };
}
