/*
 * io.h: reading and writing descriptors in full (again after EINTR and short writes), with the
 * utilities' messages for what fails.
 */
#ifndef USERLAND_IO_H
#define USERLAND_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Reads up to N bytes (again after EINTR); -1 after reporting "PROG: error reading 'NAME': ERROR". */
ssize_t read_some(int fd, void *buf, size_t n, const char *name);

/* Reads FD to its end, giving each chunk read to FN (with ARG); a directory is refused (EISDIR).
 * False after reporting "PROG: NAME: ERROR" (as cat and wc report their inputs). */
bool read_chunks(int fd, const char *name, void (*fn)(const char *data, size_t n, void *arg), void *arg);

/* Writes all N bytes; 0, or -1 with errno set. */
int write_full(int fd, const void *buf, size_t n);

/* Writes all N bytes to standard output; when that fails, "PROG: WHAT: ERROR" and
 * exit(exit_failure). */
void write_stdout(const void *buf, size_t n, const char *what);

/* A growable byte buffer: data[0..len) in cap bytes. */
struct buffer {
  char *data;
  size_t len, cap;
};

/* Makes room for MORE bytes after the data (the capacity doubles; out of memory ends the program). */
void buffer_reserve(struct buffer *b, size_t more);

/* Flushes stdout; when that fails, "PROG: write error: ERROR" and exit(exit_failure). */
void flush_stdout(void);

#endif
