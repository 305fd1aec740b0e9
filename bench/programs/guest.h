// guest.h: what the benchmark guests share (syscall.c, readwrite.c). An op is a set-up, which makes
// what its loop uses and returns the loop's descriptor (-1: none), and a loop of n runs. measure()
// sets an op up, runs it untimed at least WARMUP_CALLS times and for at least WARMUP_NS (in chunks of
// WARMUP_CHUNK: the includer defines all three, and GUEST, its name in errors), then times n runs
// between two clock_gettime(CLOCK_MONOTONIC) reads.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct op {
  const char *name;
  int (*setup)(const char *file);
  void (*loop)(long n, int fd);
};

/* Results land here so that no loop can be optimised away. */
static volatile long long sink;

static void fail(const char *what) {
  fprintf(stderr, GUEST ": %s: %s\n", what, strerror(errno));
  exit(1);
}

static long long now_ns(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) fail("clock_gettime");
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int setup_none(const char *path) {
  (void)path;
  return -1;
}

/* `path` opened afresh (truncated) for reading and writing, its directory made if missing. */
static int create_file(const char *path) {
  char dir[256];
  const char *slash = strrchr(path, '/');
  if (slash != NULL && slash != path && (size_t)(slash - path) < sizeof dir) {
    memcpy(dir, path, slash - path);
    dir[slash - path] = '\0';
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) fail(dir);
  }
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) fail(path);
  return fd;
}

/* The op of `ops` (`count` of them) named `name`, or NULL. */
static const struct op *find_op(const struct op *ops, size_t count, const char *name) {
  for (size_t i = 0; i < count; i++) {
    if (strcmp(ops[i].name, name) == 0) return &ops[i];
  }
  return NULL;
}

/* The ns n runs of op take, after its set-up and warm-up. */
static long long measure(const struct op *op, long n, const char *file) {
  int fd = op->setup(file);
  long long start = now_ns();
  for (long calls = 0; calls < WARMUP_CALLS || now_ns() - start < WARMUP_NS; calls += WARMUP_CHUNK) op->loop(WARMUP_CHUNK, fd);
  start = now_ns();
  op->loop(n, fd);
  long long elapsed = now_ns() - start;
  if (fd >= 0) close(fd);
  return elapsed;
}
