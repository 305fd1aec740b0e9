// Pipes as POSIX defines them, written as for Linux: data and end of file, PIPE_BUF atomicity
// between writers in different processes, O_NONBLOCK and EAGAIN, readiness in poll, SIGPIPE, a large
// transfer between processes, and a pipeline of three programs joined with posix_spawn's dup2
// actions. Run as `pipes.wasm all SELF` (SELF: this program's own path), it spawns itself in the
// roles below; one line per check, and the test compares the whole output.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

extern char **environ;
static const char *self;

/* Spawn this program in `role`, with `in` as its stdin and `out` as its stdout (-1: the parent's), closing `closing` in it. */
static pid_t child(const char *role, const char *arg, int in, int out, int closing) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (in >= 0) posix_spawn_file_actions_adddup2(&fa, in, 0);
  if (out >= 0) posix_spawn_file_actions_adddup2(&fa, out, 1);
  if (closing >= 0) posix_spawn_file_actions_addclose(&fa, closing);
  char *argv[] = {"pipes.wasm", (char *)role, (char *)arg, NULL};
  pid_t pid;
  int e = posix_spawn(&pid, self, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  return e == 0 ? pid : -1;
}

static int status_of(pid_t pid) {
  int st;
  return waitpid(pid, &st, 0) == pid ? st : -1;
}

/* Read all of fd into buf (at most room); the count. */
static size_t read_all(int fd, char *buf, size_t room) {
  size_t got = 0;
  for (ssize_t n; got < room && (n = read(fd, buf + got, room - got)) > 0;) got += n;
  return got;
}

static int write_all(int fd, const char *buf, size_t len) {
  for (size_t done = 0; done < len;) {
    ssize_t n = write(fd, buf + done, len - done);
    if (n <= 0) return -1;
    done += n;
  }
  return 0;
}

/* The child roles. */
static int role(char **argv) {
  const char *r = argv[1];
  static char buf[1 << 16];
  if (!strcmp(r, "gen")) { /* N numbered lines on stdout */
    for (int i = 0, n = atoi(argv[2]); i < n; i++) printf("line %d\n", i);
    return 0;
  }
  if (!strcmp(r, "upper")) { /* stdin to stdout, upper-cased */
    for (ssize_t n; (n = read(0, buf, sizeof buf)) > 0;) {
      for (ssize_t i = 0; i < n; i++) if (buf[i] >= 'a' && buf[i] <= 'z') buf[i] -= 32;
      if (write_all(1, buf, n)) return 1;
    }
    return 0;
  }
  if (!strcmp(r, "count")) { /* lines and bytes of stdin, and its first line */
    long lines = 0, bytes = 0;
    char first[32] = {0};
    for (ssize_t n; (n = read(0, buf, sizeof buf)) > 0;) {
      if (bytes == 0) memcpy(first, buf, strcspn(buf, "\n") < 31 ? strcspn(buf, "\n") : 31);
      for (ssize_t i = 0; i < n; i++) lines += buf[i] == '\n';
      bytes += n;
    }
    printf("%ld %ld %s\n", lines, bytes, first);
    return 0;
  }
  if (!strcmp(r, "records")) { /* 1000 writes of 4096 bytes of one letter to stdout */
    memset(buf, argv[2][0], 4096);
    for (int i = 0; i < 1000; i++) if (write(1, buf, 4096) != 4096) return 1;
    return 0;
  }
  if (!strcmp(r, "sum")) { /* bytes and a checksum of stdin, as the exit status's check */
    unsigned long sum = 0, n = 0;
    for (ssize_t got; (got = read(0, buf, sizeof buf)) > 0; n += got)
      for (ssize_t i = 0; i < got; i++) sum = sum * 31 + (unsigned char)buf[i];
    printf("%lu %lu\n", n, sum);
    return 0;
  }
  if (!strcmp(r, "eof")) { /* read stdin to its end */
    while (read(0, buf, sizeof buf) > 0) {}
    return 7;
  }
  if (!strcmp(r, "epipe")) { /* write until the reader has gone (the parent may still hold it at first): SIGPIPE */
    memset(buf, 'x', 4096);
    while (write(1, buf, 4096) > 0) {}
    return 9;
  }
  return 100;
}

int main(int argc, char **argv) {
  if (argc < 3 || strcmp(argv[1], "all")) return role(argv);
  self = argv[2];
  int p[2], q[2];
  char buf[256];

  check("pipe", pipe(p) == 0);
  check("what is written is read", write(p[1], "hello", 5) == 5 && read(p[0], buf, sizeof buf) == 5 && !memcmp(buf, "hello", 5));
  close(p[1]);
  check("end of file once the writers are gone", read(p[0], buf, sizeof buf) == 0);
  close(p[0]);

  pipe2(p, O_NONBLOCK);
  check("O_NONBLOCK: an empty pipe is EAGAIN", read(p[0], buf, sizeof buf) == -1 && errno == EAGAIN);
  static char big[1 << 16];
  long filled = 0;
  for (ssize_t n; (n = write(p[1], big, 1000)) > 0;) filled += n;
  check("O_NONBLOCK: a full pipe is EAGAIN, after at least 4096 bytes", errno == EAGAIN && filled >= 4096);
  struct pollfd pf[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
  check("poll: a full pipe is readable and not writable", poll(pf, 2, 0) == 1 && (pf[0].revents & POLLIN) && !(pf[1].revents & POLLOUT));
  close(p[0]);
  close(p[1]);

  pipe(p);
  struct pollfd rd = {p[0], POLLIN, 0};
  check("poll: an empty pipe is not readable", poll(&rd, 1, 0) == 0);
  write(p[1], "x", 1);
  check("poll: then readable", poll(&rd, 1, 0) == 1 && (rd.revents & POLLIN));
  read(p[0], buf, 1);
  close(p[1]);
  check("poll: hung up once the writers are gone", poll(&rd, 1, 0) == 1 && (rd.revents & POLLHUP));
  close(p[0]);

  pipe(p);
  pid_t pid = child("eof", NULL, p[0], -1, p[1]);
  close(p[0]);
  check("a reader waits while a writer remains", waitpid(pid, NULL, WNOHANG) == 0);
  close(p[1]);
  int st = status_of(pid);
  check("and gets end of file when the last writer closes", WIFEXITED(st) && WEXITSTATUS(st) == 7);

  pipe(p);
  pid = child("epipe", NULL, -1, p[1], p[0]);
  close(p[0]);
  close(p[1]);
  st = status_of(pid);
  check("a write with no reader left ends the writer by SIGPIPE", WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE);

  pipe(p);
  pid_t a = child("records", "a", -1, p[1], p[0]), b = child("records", "b", -1, p[1], p[0]);
  close(p[1]);
  static char rec[4096];
  long records = 0, torn = 0;
  for (;;) {
    size_t got = read_all(p[0], rec, sizeof rec);
    if (got == 0) break;
    records++;
    if (got != sizeof rec || (rec[0] != 'a' && rec[0] != 'b') || memchr(rec, rec[0] == 'a' ? 'b' : 'a', sizeof rec)) torn++;
  }
  close(p[0]);
  check("writes of PIPE_BUF bytes from two processes never interleave", records == 2000 && torn == 0 && status_of(a) == 0 && status_of(b) == 0);

  pipe(p);
  pipe(q);
  pid = child("sum", NULL, p[0], q[1], p[1]);
  close(p[0]);
  close(q[1]);
  unsigned long sum = 0;
  for (int i = 0; i < 64; i++) {
    for (size_t j = 0; j < sizeof big; j++) big[j] = (char)(i * 7 + j);
    for (size_t j = 0; j < sizeof big; j++) sum = sum * 31 + (unsigned char)big[j];
    write_all(p[1], big, sizeof big);
  }
  close(p[1]);
  size_t n = read_all(q[0], buf, sizeof buf - 1);
  buf[n] = 0;
  char want[64];
  snprintf(want, sizeof want, "%lu %lu\n", 64ul << 16, sum);
  check("4 MiB through a pipe to another process, intact", !strcmp(buf, want) && status_of(pid) == 0);
  close(q[0]);

  int ab[2], bc[2], out[2];
  pipe(ab);
  pipe(bc);
  pipe(out);
  pid_t g = child("gen", "20000", -1, ab[1], ab[0]);
  close(ab[1]);
  pid_t u = child("upper", NULL, ab[0], bc[1], bc[0]);
  close(ab[0]);
  close(bc[1]);
  pid_t c = child("count", NULL, bc[0], out[1], out[0]);
  close(bc[0]);
  close(out[1]);
  n = read_all(out[0], buf, sizeof buf - 1);
  buf[n] = 0;
  close(out[0]);
  check("a pipeline of three programs: gen | upper | count", !strcmp(buf, "20000 208890 LINE 0\n") && status_of(g) == 0 && status_of(u) == 0 && status_of(c) == 0);
  if (strcmp(buf, "20000 208890 LINE 0\n")) printf("got: %s", buf);

  return report();
}
