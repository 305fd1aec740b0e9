/*
 * webmach's <sys/mman.h>: wasi-libc's names and values (without its "no mmap" error), with mmap,
 * munmap, msync, mprotect and the advice calls implemented by webmach's library (sdk/lib/mman.c).
 * Wasm cannot map or alias pages, so a mapping is a copy in the program's memory: see mman.c for
 * when a MAP_SHARED mapping's changes reach the file and other processes.
 */
#ifndef _WEBMACH_SYS_MMAN_H
#define _WEBMACH_SYS_MMAN_H

#ifndef _WASI_EMULATED_MMAN
#define _WASI_EMULATED_MMAN
#endif
#include_next <sys/mman.h>

#endif /* _WEBMACH_SYS_MMAN_H */
