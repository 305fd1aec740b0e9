// The boot image: the system's own programs, packed at build time (userland/image.mjs) into
// build/bin.img from userland/bin, loaded by the host and handed to the personality server in its
// boot record, as an L4 boot loader hands its modules to the root task; the server serves them
// read-only at /bin (personality/vfs/bootfs.ts). Layout, little-endian: the magic, the number of
// files, the time they were packed (u64 ns since the epoch); per file its name's length (u16), the
// name (UTF-8) and its size (u32); then the files' bytes one after another, in that order.

export const BOOT_IMAGE_MAGIC = 0x49424d57; // "WMBI"

export interface BootFile {
  name: string;
  bytes: Uint8Array;
}

export interface BootImage {
  /** When the image was packed: every file's modification time. */
  mtim: bigint;
  files: BootFile[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function packBootImage(image: BootImage): Uint8Array {
  const names = image.files.map((f) => encoder.encode(f.name));
  const header = 16 + names.reduce((n, name) => n + 6 + name.length, 0);
  const out = new Uint8Array(header + image.files.reduce((n, f) => n + f.bytes.length, 0));
  const v = new DataView(out.buffer);
  v.setUint32(0, BOOT_IMAGE_MAGIC, true);
  v.setUint32(4, image.files.length, true);
  v.setBigUint64(8, image.mtim, true);
  let at = 16;
  let data = header;
  image.files.forEach((f, i) => {
    v.setUint16(at, names[i].length, true);
    out.set(names[i], at + 2);
    v.setUint32(at + 2 + names[i].length, f.bytes.length, true);
    at += 6 + names[i].length;
    out.set(f.bytes, data);
    data += f.bytes.length;
  });
  return out;
}

/** The files of `raw` (views into it, not copies); throws on an image that is not one. */
export function unpackBootImage(raw: Uint8Array): BootImage {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const need = (end: number) => {
    if (end > raw.length) throw new Error('boot image: truncated');
  };
  need(16);
  if (v.getUint32(0, true) !== BOOT_IMAGE_MAGIC) throw new Error('boot image: bad magic');
  const count = v.getUint32(4, true);
  const mtim = v.getBigUint64(8, true);
  const entries: { name: string; size: number }[] = [];
  let at = 16;
  for (let i = 0; i < count; i++) {
    need(at + 2);
    const length = v.getUint16(at, true);
    need(at + 6 + length);
    entries.push({ name: decoder.decode(raw.subarray(at + 2, at + 2 + length)), size: v.getUint32(at + 2 + length, true) });
    at += 6 + length;
  }
  const files = entries.map(({ name, size }) => {
    need(at + size);
    const bytes = raw.subarray(at, at + size);
    at += size;
    return { name, bytes };
  });
  return { mtim, files };
}
