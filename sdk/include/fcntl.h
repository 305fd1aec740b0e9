/*
 * webmach's <fcntl.h>: wasi-libc's, plus F_DUPFD and F_DUPFD_CLOEXEC (Linux's numbers). webmach's
 * fcntl (sdk/lib/fd.c) serves F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD and F_SETFD (FD_CLOEXEC: the
 * descriptor is not passed to a spawned child), F_GETFL and F_SETFL.
 */
#include_next <fcntl.h>

#ifndef WEBMACH_FCNTL_H
#define WEBMACH_FCNTL_H

#ifndef F_DUPFD
#define F_DUPFD 0
#endif
#ifndef F_DUPFD_CLOEXEC
#define F_DUPFD_CLOEXEC 1030
#endif

#endif /* WEBMACH_FCNTL_H */
