// The boot image's format (abi/bootimage.ts): what is packed comes back, names and bytes, and an image
// that is cut short or is not one is refused rather than served as garbage.
import { describe, expect, it } from 'vitest';
import { packBootImage, unpackBootImage } from '../../dist/abi/bootimage.js';

describe('boot image', () => {
  const files = [
    { name: 'echo', bytes: new Uint8Array([0, 97, 115, 109, 1]) },
    { name: '[', bytes: new Uint8Array([7, 8]) },
    { name: 'empty', bytes: new Uint8Array(0) },
    { name: 'ünï', bytes: new Uint8Array(300).fill(5) },
  ];

  it('gives back every file, its name and bytes, and the time it was packed', () => {
    const image = unpackBootImage(packBootImage({ mtim: 1_700_000_000_123_456_789n, files }));
    expect(image.mtim).toBe(1_700_000_000_123_456_789n);
    expect(image.files.map((f) => f.name)).toEqual(['echo', '[', 'empty', 'ünï']);
    expect(image.files.map((f) => [...f.bytes])).toEqual(files.map((f) => [...f.bytes]));
  });

  it('refuses an image cut short anywhere, and one with the wrong magic', () => {
    const raw = packBootImage({ mtim: 0n, files });
    for (const cut of [0, 10, 16, 20, raw.length - 1]) expect(() => unpackBootImage(raw.subarray(0, cut))).toThrow(/truncated/);
    const bad = raw.slice();
    bad[0] ^= 1;
    expect(() => unpackBootImage(bad)).toThrow(/magic/);
  });
});
