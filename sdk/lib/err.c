/*
 * <err.h>: err, errx, warn and warnx (and their v- forms), which wasi-libc declares but does not
 * have, as BSD and glibc print them: "NAME: message: strerror" on stderr. NAME is the program's
 * name, argv[0] without its directory, which a constructor sets in __progname (wasi-libc leaves it
 * empty) along with __progname_full.
 */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

extern char *__progname, *__progname_full;

/* argv[0], from the arguments the task library holds (no system call: the commpage has them). */
__attribute__((constructor)) static void set_progname(void) {
  static char name[256];
  __wasi_size_t argc, bytes;
  if (__wasi_args_sizes_get(&argc, &bytes) || argc == 0) return;
  char *buf = malloc(bytes);
  char **argv = malloc(argc * sizeof *argv);
  if (buf && argv && __wasi_args_get((uint8_t **)argv, (uint8_t *)buf) == 0) {
    snprintf(name, sizeof name, "%s", argv[0]);
    __progname_full = name;
    char *slash = strrchr(name, '/');
    __progname = slash ? slash + 1 : name;
  }
  free(argv);
  free(buf);
}

static void report(const char *fmt, va_list ap, int error) {
  fprintf(stderr, "%s: ", __progname ? __progname : "");
  if (fmt) vfprintf(stderr, fmt, ap);
  if (error >= 0) fprintf(stderr, fmt ? ": %s" : "%s", strerror(error));
  fputc('\n', stderr);
}

void vwarn(const char *fmt, va_list ap) {
  report(fmt, ap, errno);
}

void vwarnx(const char *fmt, va_list ap) {
  report(fmt, ap, -1);
}

_Noreturn void verr(int status, const char *fmt, va_list ap) {
  vwarn(fmt, ap);
  exit(status);
}

_Noreturn void verrx(int status, const char *fmt, va_list ap) {
  vwarnx(fmt, ap);
  exit(status);
}

void warn(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vwarn(fmt, ap);
  va_end(ap);
}

void warnx(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vwarnx(fmt, ap);
  va_end(ap);
}

_Noreturn void err(int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  verr(status, fmt, ap);
}

_Noreturn void errx(int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  verrx(status, fmt, ap);
}
