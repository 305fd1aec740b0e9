/*
 * webmach's <signal.h>: wasi-libc's, with its minimal emulation (signal numbers, signal() and raise(),
 * which is WASI's proc_raise; `webmach cc` links libwasi-emulated-signal) switched on, so programs
 * written for Linux compile. Handlers for signals sent by other processes come with webmach's signals.
 */
#ifndef _WASI_EMULATED_SIGNAL
#define _WASI_EMULATED_SIGNAL
#endif
#include_next <signal.h>
