/*
 * util.h: what every utility of /bin shares: its name in messages, GNU's messages for usage errors
 * and bad options, option parsing in GNU's argument order, and allocation that never returns NULL.
 *
 * A program using the library defines its name, `const char *prog = "NAME";`, and may set
 * exit_failure (as GNU's programs do) when its usage errors, running out of memory and die() are to
 * end it with another status than 1 (ls, grep and sort use 2, env 125).
 */
#ifndef USERLAND_UTIL_H
#define USERLAND_UTIL_H

#include <getopt.h>
#include <stddef.h>

extern const char *prog;            /* defined by the program */
extern int exit_failure;            /* default 1 */
extern const char *usage_synopsis;  /* when set, try_help prints "Usage: PROG SYNOPSIS" first */

/* "Try 'PROG --help' for more information." on stderr, then exit(exit_failure). */
_Noreturn void try_help(void);

/* "PROG: MESSAGE" on stderr (FMT as printf's), then try_help(). */
_Noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "PROG: MESSAGE" on stderr (FMT as printf's), then exit(exit_failure). */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* getopt for utilities without long options, in GNU's argument order: options may follow operands
 * (until "--"). The first call moves every option (with its argument) before the operands. Returns
 * the next option letter, or -1 after the last (optind is then the first operand); an unknown
 * option or a missing argument is reported as GNU does and ends the program (try_help). */
int next_option(int argc, char **argv, const char *optstring);

/* getopt_long with GNU's messages: OPTSTRING begins with ':' (after any '+'). Returns the next
 * option, or -1 after the last; an unknown option or a missing argument is reported and ends the
 * program (try_help). */
int next_long_option(int argc, char **argv, const char *optstring, const struct option *longopts);

/* malloc, realloc and strdup that end the program with "PROG: " and strerror(ENOMEM) (die). */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
