// errno.ts against itself: every exported E* constant has the number WASI gives its name (its place
// in ERRNO_NAMES, which follows the witx order), so a mistyped number cannot hide.
import { describe, expect, it } from 'vitest';
import * as errno from '../../dist/abi/errno.js';

describe('WASI errno numbers', () => {
  it('each E* constant is the index of its name in ERRNO_NAMES', () => {
    const constants = Object.entries(errno).filter(([name, v]) => /^E[A-Z0-9]+$/.test(name) && typeof v === 'number');
    expect(constants.length).toBeGreaterThan(30);
    for (const [name, value] of constants) {
      expect(errno.ERRNO_NAMES[value as number], name).toBe(name === 'ESUCCESS' ? 'SUCCESS' : name.slice(1));
    }
  });

  it('names 77 errnos, ENOTCAPABLE last', () => {
    expect(errno.ERRNO_NAMES).toHaveLength(77);
    expect(errno.errnoName(errno.ENOTCAPABLE)).toBe('ENOTCAPABLE');
    expect(errno.errnoName(200)).toBe('errno 200');
  });
});
