// The answers of Mach routines that return arrays of 32-bit words (names and types, set members,
// attributes, task and thread information, thread ports): the words laid into the caller's room in
// its message window, little-endian, as the C library reads them.

/** Lay `words` into `out`: the bytes written, or undefined when they do not fit. */
export function putWords(out: Uint8Array, words: readonly number[]): number | undefined {
  if (words.length * 4 > out.length) return undefined;
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  words.forEach((w, i) => v.setUint32(i * 4, w >>> 0, true));
  return words.length * 4;
}
