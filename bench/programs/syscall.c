// syscall.c: the guest of the `syscall` benchmark (bench/syscall.ts). `syscall OP ITERATIONS [FILE]`
// warms up (OP repeated untimed), then performs OP ITERATIONS times between two
// clock_gettime(CLOCK_MONOTONIC) reads and prints the elapsed ns on stdout. OPs: null, commpage (webmach
// extension imports), write-devnull, clock, read-4k (a 4 KiB pread of FILE, default /tmp/bench, made first).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

__attribute__((import_module("webmach"), import_name("sys_null"))) int webmach_sys_null(void);
__attribute__((import_module("webmach"), import_name("getpid"))) int webmach_getpid(void);

#define BLOCK 4096
/*
 * Every run is a fresh process. Under webmach that is a fresh worker thread, which Linux first tends
 * to place on the server's vCPU (waking a thread pulls it to the waker's CPU); until its load
 * balancer separates the two, some 50-150 ms, a server call costs up to the kernel's spin budget (about
 * 250 us) instead of about 1 us.
 * A short-lived process pays that; this benchmark measures the steady state, so the op runs
 * untimed at least WARMUP_CALLS times and for at least WARMUP_NS first, in chunks of WARMUP_CHUNK.
 */
#define WARMUP_CALLS 5000
#define WARMUP_NS 200000000LL
#define WARMUP_CHUNK 100

static char block[BLOCK];
/* Results land here so that no loop can be optimised away. */
static volatile long long sink;

static void fail(const char *what) {
  fprintf(stderr, "syscall: %s: %s\n", what, strerror(errno));
  exit(1);
}

static long long now_ns(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) fail("clock_gettime");
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int open_devnull(const char *unused) {
  (void)unused;
  int fd = open("/dev/null", O_WRONLY);
  if (fd < 0) fail("/dev/null");
  return fd;
}

/* The file read-4k reads: its directory made if missing, then BLOCK bytes of a pattern. */
static int open_block_file(const char *path) {
  char dir[256];
  const char *slash = strrchr(path, '/');
  if (slash != NULL && slash != path && (size_t)(slash - path) < sizeof dir) {
    memcpy(dir, path, slash - path);
    dir[slash - path] = '\0';
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) fail(dir);
  }
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) fail(path);
  for (int i = 0; i < BLOCK; i++) block[i] = (char)i;
  if (write(fd, block, BLOCK) != BLOCK) fail("write");
  return fd;
}

static void loop_null(long n, int fd) {
  (void)fd;
  for (long i = 0; i < n; i++) sink += webmach_sys_null();
}

static void loop_commpage(long n, int fd) {
  (void)fd;
  for (long i = 0; i < n; i++) sink += webmach_getpid();
}

static void loop_clock(long n, int fd) {
  (void)fd;
  for (long i = 0; i < n; i++) sink += now_ns();
}

static void loop_write(long n, int fd) {
  for (long i = 0; i < n; i++) {
    if (write(fd, block, 1) != 1) fail("write /dev/null");
  }
}

static void loop_pread(long n, int fd) {
  for (long i = 0; i < n; i++) {
    if (pread(fd, block, BLOCK, 0) != BLOCK) fail("pread");
  }
}

struct op {
  const char *name;
  int (*open)(const char *file); /* the descriptor the loop uses, or NULL for none */
  void (*loop)(long n, int fd);
};

static const struct op OPS[] = {
  {"null", NULL, loop_null},
  {"commpage", NULL, loop_commpage},
  {"clock", NULL, loop_clock},
  {"write-devnull", open_devnull, loop_write},
  {"read-4k", open_block_file, loop_pread},
};

static const struct op *find_op(const char *name) {
  for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++) {
    if (strcmp(OPS[i].name, name) == 0) return &OPS[i];
  }
  return NULL;
}

/* Run the op, untimed, WARMUP_CALLS times and until WARMUP_NS have passed. */
static void warm_up(const struct op *op, int fd) {
  long long start = now_ns();
  for (long calls = 0; calls < WARMUP_CALLS || now_ns() - start < WARMUP_NS; calls += WARMUP_CHUNK) {
    op->loop(WARMUP_CHUNK, fd);
  }
}

/* The ns n runs of op take, after its set-up and warm-up. */
static long long measure(const struct op *op, long n, const char *file) {
  int fd = op->open != NULL ? op->open(file) : -1;
  warm_up(op, fd);
  long long start = now_ns();
  op->loop(n, fd);
  long long elapsed = now_ns() - start;
  if (fd >= 0) close(fd);
  return elapsed;
}

int main(int argc, char **argv) {
  const struct op *op = argc >= 3 && argc <= 4 ? find_op(argv[1]) : NULL;
  if (op == NULL || atol(argv[2]) < 1) {
    fprintf(stderr, "usage: syscall null|commpage|clock|write-devnull|read-4k ITERATIONS [FILE]\n");
    return 2;
  }
  printf("%lld\n", measure(op, atol(argv[2]), argc == 4 ? argv[3] : "/tmp/bench"));
  return 0;
}
