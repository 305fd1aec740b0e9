// WASI preview1 types as numbers and byte layouts (from the preview1 witx): file types, flag sets,
// rights, and the offsets of the structures a program passes by pointer. One definition, used by the
// task library (which reads and writes the program's structures) and the personality server.

export const FILETYPE = {
  unknown: 0,
  blockDevice: 1,
  characterDevice: 2,
  directory: 3,
  regularFile: 4,
  socketDgram: 5,
  socketStream: 6,
  symbolicLink: 7,
} as const;

/** `$fdflags` */
export const FDFLAGS = { append: 1, dsync: 2, nonblock: 4, rsync: 8, sync: 16 } as const;
export const FDFLAGS_ALL = 0x1f;
/** `$oflags` */
export const OFLAGS = { creat: 1, directory: 2, excl: 4, trunc: 8 } as const;
export const OFLAGS_ALL = 0xf;
/** `$lookupflags` */
export const LOOKUP_SYMLINK_FOLLOW = 1;
/** `$fstflags` */
export const FSTFLAGS = { atim: 1, atimNow: 2, mtim: 4, mtimNow: 8 } as const;
export const FSTFLAGS_ALL = 0xf;
/** `$whence` */
export const WHENCE = { set: 0, cur: 1, end: 2 } as const;
/** `$advice`: normal .. noreuse */
export const ADVICE_MAX = 5;
/** `$clockid` */
export const CLOCK = { realtime: 0, monotonic: 1, processCputime: 2, threadCputime: 3 } as const;
/** `$eventtype` */
export const EVENTTYPE = { clock: 0, fdRead: 1, fdWrite: 2 } as const;
/** `$subclockflags` */
export const SUBCLOCK_ABSTIME = 1;
/** `$eventrwflags` */
export const EVENT_FD_READWRITE_HANGUP = 1;
/** `$preopentype` */
export const PREOPEN_DIR = 0;
/** `$riflags`, `$sdflags` */
export const SDFLAGS_MAX = 3;

/** `$rights`: the bits (all below 2^30, so they fit a number; the u64 of the ABI has its high word 0). */
export const RIGHT = {
  fdDatasync: 1 << 0,
  fdRead: 1 << 1,
  fdSeek: 1 << 2,
  fdFdstatSetFlags: 1 << 3,
  fdSync: 1 << 4,
  fdTell: 1 << 5,
  fdWrite: 1 << 6,
  fdAdvise: 1 << 7,
  fdAllocate: 1 << 8,
  pathCreateDirectory: 1 << 9,
  pathCreateFile: 1 << 10,
  pathLinkSource: 1 << 11,
  pathLinkTarget: 1 << 12,
  pathOpen: 1 << 13,
  fdReaddir: 1 << 14,
  pathReadlink: 1 << 15,
  pathRenameSource: 1 << 16,
  pathRenameTarget: 1 << 17,
  pathFilestatGet: 1 << 18,
  pathFilestatSetSize: 1 << 19,
  pathFilestatSetTimes: 1 << 20,
  fdFilestatGet: 1 << 21,
  fdFilestatSetSize: 1 << 22,
  fdFilestatSetTimes: 1 << 23,
  pathSymlink: 1 << 24,
  pathRemoveDirectory: 1 << 25,
  pathUnlinkFile: 1 << 26,
  pollFdReadwrite: 1 << 27,
  sockShutdown: 1 << 28,
  sockAccept: 1 << 29,
} as const;

export const RIGHTS_ALL = 0x3fffffff;
/** What a regular file descriptor may do. */
export const RIGHTS_FILE = RIGHT.fdDatasync | RIGHT.fdRead | RIGHT.fdSeek | RIGHT.fdFdstatSetFlags | RIGHT.fdSync |
  RIGHT.fdTell | RIGHT.fdWrite | RIGHT.fdAdvise | RIGHT.fdAllocate | RIGHT.fdFilestatGet | RIGHT.fdFilestatSetSize |
  RIGHT.fdFilestatSetTimes | RIGHT.pollFdReadwrite;
/** What a directory descriptor may do (its inheriting rights are RIGHTS_ALL). */
export const RIGHTS_DIR = RIGHT.fdFdstatSetFlags | RIGHT.fdSync | RIGHT.fdAdvise | RIGHT.pathCreateDirectory |
  RIGHT.pathCreateFile | RIGHT.pathLinkSource | RIGHT.pathLinkTarget | RIGHT.pathOpen | RIGHT.fdReaddir |
  RIGHT.pathReadlink | RIGHT.pathRenameSource | RIGHT.pathRenameTarget | RIGHT.pathFilestatGet |
  RIGHT.pathFilestatSetSize | RIGHT.pathFilestatSetTimes | RIGHT.fdFilestatGet | RIGHT.fdFilestatSetTimes |
  RIGHT.pathSymlink | RIGHT.pathRemoveDirectory | RIGHT.pathUnlinkFile | RIGHT.fdDatasync;
/** A terminal or other character stream: no seek or tell (wasi-libc's isatty checks exactly this). */
export const RIGHTS_TTY = RIGHT.fdRead | RIGHT.fdWrite | RIGHT.fdFdstatSetFlags | RIGHT.fdFilestatGet |
  RIGHT.pollFdReadwrite | RIGHT.fdSync | RIGHT.fdDatasync | RIGHT.fdAdvise;

/** Byte offsets of the structures programs pass by pointer. */
export const FILESTAT = { size: 64, dev: 0, ino: 8, filetype: 16, nlink: 24, filesize: 32, atim: 40, mtim: 48, ctim: 56 } as const;
export const FDSTAT = { size: 24, filetype: 0, flags: 2, rightsBase: 8, rightsInheriting: 16 } as const;
export const DIRENT = { size: 24, next: 0, ino: 8, namlen: 16, type: 20 } as const;
export const PRESTAT = { size: 8, tag: 0, nameLen: 4 } as const;
export const SUBSCRIPTION = { size: 48, userdata: 0, tag: 8, clockId: 16, timeout: 24, precision: 32, flags: 40, fd: 16 } as const;
export const EVENT = { size: 32, userdata: 0, error: 8, type: 10, nbytes: 16, flags: 24 } as const;
export const IOVEC = { size: 8, buf: 0, len: 4 } as const;
