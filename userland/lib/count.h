/*
 * count.h: what head and tail share: the counts NUM of -n and -c (with GNU's multiplier suffixes),
 * their options, and the walk over the FILEs with "==> FILE <==" headers.
 */
#ifndef USERLAND_COUNT_H
#define USERLAND_COUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io.h"

/* Parses a count with an optional multiplier suffix, as GNU head and tail: b (512), k/K (1024),
 * kB (1000), KiB, M, MB, MiB, G, ... Q. Returns 0 (the count in *out), EINVAL or EOVERFLOW. */
int parse_count(const char *s, uintmax_t *out);

/* The count in DIGITS (the argument of -c if BYTES, else of -n, less its sign); when it is not
 * one, "PROG: invalid number of bytes|lines: 'SHOWN'" and exit(exit_failure). */
uintmax_t count_arg(const char *digits, const char *shown, bool bytes);

/* Writes all of BUF to standard output; "error writing 'standard output'" ends the program. */
void write_output(const void *buf, size_t n);

/* Reads FD (NAME in messages) to its end into B, which is to keep only what may still be printed:
 * after a read that brings B to at least the length TRIM last returned (0 at first), TRIM(B)
 * prints or drops what it can from B's front. False after a read error (reported). */
bool read_trimmed(int fd, const char *name, struct buffer *b, size_t (*trim)(struct buffer *b));

/* head's or tail's main: OLD_FORM may take argv[1] as the old "-NUM..." form (true when it did; it
 * may set *headers); then the options -c/--bytes NUM and -n/--lines NUM (SET_COUNT gets NUM),
 * -q/--quiet/--silent (no headers), -v/--verbose (headers), and RUN for each FILE (or standard
 * input: "-" or none) on its descriptor with the name for messages; with several FILEs (or -v),
 * each is preceded by "==> NAME <==", and from the second on by a blank line. The exit status. */
int head_tail_main(int argc, char **argv, bool (*old_form)(int argc, char **argv, int *headers),
                   void (*set_count)(const char *arg, bool bytes), bool (*run)(int fd, const char *name));

#endif
