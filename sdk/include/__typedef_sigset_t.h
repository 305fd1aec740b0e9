/* webmach's sigset_t, in place of wasi-libc's one-byte placeholder: signal N is bit N-1 (signals 1-31). */
#ifndef __wasilibc___typedef_sigset_t_h
#define __wasilibc___typedef_sigset_t_h

typedef unsigned long sigset_t;

#endif
