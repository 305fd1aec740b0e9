// The `proc` benchmark's guest, the same C for webmach (built with `webmach cc`) and for the host
// (built with gcc, run natively): it times its own loop with the monotonic clock and prints the ns
// (for the pipe loops, from after the child is spawned and a warm-up to before it is reaped).
//   proc spawn N SELF      N times: posix_spawn(SELF true) and waitpid
//   proc bandwidth N SELF  N writes of 64 KiB into a pipe that a child (SELF drain) reads to its end
//   proc pingpong N SELF   N round trips of 1 byte through two pipes with a child (SELF echo)
//   proc exec N SELF       N times: posix_spawn(SELF exec), which execs SELF true, and waitpid
//   proc getpid N SELF     N calls of getpid
//   proc signal N SELF     N times: raise(SIGUSR1), whose handler runs before raise returns
//   proc fork N SELF       N times: fork a child that _exits at once, and waitpid
//   proc cpu N SELF        N rounds of CPU-bound work with indirect calls (qsort with a comparison
//                          function, a little interpreter dispatching through a table), which
//                          Asyncify must instrument in a program that forks, as this one does
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static char buf[1 << 16];

static long long now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Spawn SELF in `role` with `in` and `out` as its stdin and stdout (-1: inherited), closing `closing`. */
static pid_t child(const char *self, const char *role, int in, int out, int closing) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (in >= 0) posix_spawn_file_actions_adddup2(&fa, in, 0);
  if (out >= 0) posix_spawn_file_actions_adddup2(&fa, out, 1);
  if (closing >= 0) posix_spawn_file_actions_addclose(&fa, closing);
  char *argv[] = {"proc", (char *)role, (char *)self, NULL};
  pid_t pid;
  if (posix_spawn(&pid, self, &fa, NULL, argv, environ) != 0) exit(2);
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

static void reap(pid_t pid) {
  int st;
  if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) exit(3);
}

static volatile long handled;

static int compare(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* The interpreter's operations on its accumulator. */
static unsigned op_add(unsigned acc, unsigned x) { return acc + x; }
static unsigned op_xor(unsigned acc, unsigned x) { return acc ^ (x << 3); }
static unsigned op_mul(unsigned acc, unsigned x) { return acc * (x | 1); }
static unsigned op_rot(unsigned acc, unsigned x) { return (acc << (x & 31)) | (acc >> ((32 - (x & 31)) & 31)); }
static unsigned (*const ops[4])(unsigned, unsigned) = {op_add, op_xor, op_mul, op_rot};

/* One round: sort 20000 pseudo-random ints, then run 200000 instructions of the interpreter. */
static unsigned cpu_round(unsigned seed) {
  static int numbers[20000];
  unsigned x = seed;
  for (int i = 0; i < 20000; i++) numbers[i] = (int)(x = x * 1103515245u + 12345u);
  qsort(numbers, 20000, sizeof numbers[0], compare);
  unsigned acc = (unsigned)numbers[10000];
  for (int i = 0; i < 200000; i++) {
    x = x * 1103515245u + 12345u;
    acc = ops[x >> 30](acc, x);
  }
  return acc;
}

static void on_usr1(int sig) {
  (void)sig;
  handled++;
}

int main(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "true")) return 0;
  if (argc == 3 && !strcmp(argv[1], "exec")) {
    execl(argv[2], "proc", "true", argv[2], (char *)NULL);
    return 9;
  }
  if (argc == 3 && !strcmp(argv[1], "drain")) {
    while (read(0, buf, sizeof buf) > 0) {}
    return 0;
  }
  if (argc == 3 && !strcmp(argv[1], "echo")) {
    for (char c; read(0, &c, 1) == 1;) if (write(1, &c, 1) != 1) return 1;
    return 0;
  }
  if (argc != 4) return 1;
  long n = atol(argv[2]);
  const char *self = argv[3];
  long long start = now(), end;
  if (!strcmp(argv[1], "spawn")) {
    for (int i = 0; i < 3; i++) reap(child(self, "true", -1, -1, -1)); /* warm: compiled, a worker idle */
    start = now();
    for (long i = 0; i < n; i++) reap(child(self, "true", -1, -1, -1));
    end = now();
  } else if (!strcmp(argv[1], "exec")) {
    for (int i = 0; i < 3; i++) reap(child(self, "exec", -1, -1, -1));
    start = now();
    for (long i = 0; i < n; i++) reap(child(self, "exec", -1, -1, -1));
    end = now();
  } else if (!strcmp(argv[1], "getpid")) {
    volatile pid_t sink = 0;
    start = now();
    for (long i = 0; i < n; i++) sink += getpid();
    end = now();
    if (sink == 0) return 7; /* pids are positive: the sum is used, so the calls are made */
  } else if (!strcmp(argv[1], "signal")) {
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    for (int i = 0; i < 10; i++) raise(SIGUSR1);
    handled = 0;
    start = now();
    for (long i = 0; i < n; i++) raise(SIGUSR1);
    end = now();
    if (handled != n) return 6;
  } else if (!strcmp(argv[1], "fork")) {
    for (long i = 0; i < n + 3; i++) { /* 3 of warm-up */
      if (i == 3) start = now();
      pid_t pid = fork();
      if (pid < 0) return 8;
      if (pid == 0) _exit(0);
      reap(pid);
    }
    end = now();
  } else if (!strcmp(argv[1], "cpu")) {
    volatile unsigned sink = cpu_round(1); /* warm */
    start = now();
    for (long i = 0; i < n; i++) sink += cpu_round((unsigned)i);
    end = now();
    if (sink == 1) return 7;
  } else if (!strcmp(argv[1], "bandwidth")) {
    int p[2];
    pipe(p);
    pid_t pid = child(self, "drain", p[0], -1, p[1]);
    close(p[0]);
    for (int i = 0; i < 64; i++) if (write(p[1], buf, sizeof buf) != sizeof buf) return 4; /* the child runs, its code warm */
    start = now();
    for (long i = 0; i < n; i++) if (write(p[1], buf, sizeof buf) != sizeof buf) return 4;
    end = now();
    close(p[1]);
    reap(pid);
  } else if (!strcmp(argv[1], "pingpong")) {
    int to[2], from[2];
    pipe(to);
    pipe(from);
    pid_t pid = child(self, "echo", to[0], from[1], to[1]);
    close(to[0]);
    close(from[1]);
    char c = 'x';
    for (int i = 0; i < 200; i++) if (write(to[1], &c, 1) != 1 || read(from[0], &c, 1) != 1) return 5; /* the child runs, its code warm */
    start = now();
    for (long i = 0; i < n; i++) if (write(to[1], &c, 1) != 1 || read(from[0], &c, 1) != 1) return 5;
    end = now();
    close(to[1]);
    reap(pid);
  } else {
    return 1;
  }
  printf("%lld\n", end - start);
  return 0;
}
