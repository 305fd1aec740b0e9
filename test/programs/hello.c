/* hello.c: webmach's first test program (wasm32-wasi). Exercises args, stdout/stderr, environment,
 * clocks, entropy and the exit status, while keeping the set of WASI imports it needs small: it
 * writes with write(2) and formats numbers itself, because any printf-family call (even snprintf)
 * links vfprintf, which references stderr's FILE and so adds fd_seek and fd_close.
 *
 * Usage: hello [status] [more args...]  -> exits with atoi(argv[1]) if given, else 0.
 *
 * WASI imports of the built hello.wasm (wasm-objdump -x -j Import hello.wasm), all from
 * wasi_snapshot_preview1:
 *   args_get, args_sizes_get, environ_get, environ_sizes_get, clock_time_get, random_get,
 *   fd_write, proc_exit
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void put(int fd, const char *s) {
  size_t n = strlen(s);
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w <= 0) return;
    s += w;
    n -= (size_t)w;
  }
}

/* Decimal text of v in buf (at least 12 bytes); returns buf. */
static const char *dec(char *buf, int v) {
  char tmp[12];
  unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
  int n = 0;
  do tmp[n++] = (char)('0' + u % 10); while ((u /= 10) != 0);
  char *p = buf;
  if (v < 0) *p++ = '-';
  while (n > 0) *p++ = tmp[--n];
  *p = '\0';
  return buf;
}

int main(int argc, char **argv) {
  char num[12];
  put(1, "hello from webmach\n");
  put(1, "argc=");
  put(1, dec(num, argc));
  put(1, "\n");
  for (int i = 0; i < argc; i++) {
    put(1, "argv[");
    put(1, dec(num, i));
    put(1, "]=");
    put(1, argv[i]);
    put(1, "\n");
  }
  put(2, "hello: stderr works\n");

  const char *greeting = getenv("WEBMACH_GREETING");
  if (greeting) {
    put(1, "WEBMACH_GREETING=");
    put(1, greeting);
    put(1, "\n");
  }

  struct timespec rt, mono;
  if (clock_gettime(CLOCK_REALTIME, &rt) == 0 && clock_gettime(CLOCK_MONOTONIC, &mono) == 0 &&
      rt.tv_sec > 1577836800 /* 2020-01-01T00:00:00Z */)
    put(1, "clock ok\n");

  unsigned char rnd[16];
  if (getentropy(rnd, sizeof rnd) == 0) put(1, "random ok\n");

  return argc > 1 ? atoi(argv[1]) : 0;
}
