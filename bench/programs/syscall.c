// syscall.c: the guest of the `syscall` benchmark (bench/syscall.ts). `syscall OP ITERATIONS [FILE]`
// warms up (OP repeated untimed), then performs OP ITERATIONS times between two
// clock_gettime(CLOCK_MONOTONIC) reads and prints the elapsed ns on stdout. OPs: null, commpage (webmach
// extension imports), write-devnull, clock, read-4k (a 4 KiB pread of FILE, default /tmp/bench, made first).
// The harness they run in is guest.h's.
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
#define GUEST "syscall"
#include "guest.h"

static char block[BLOCK];

static int open_devnull(const char *unused) {
  (void)unused;
  int fd = open("/dev/null", O_WRONLY);
  if (fd < 0) fail("/dev/null");
  return fd;
}

/* The file read-4k reads: its directory made if missing, then BLOCK bytes of a pattern. */
static int open_block_file(const char *path) {
  int fd = create_file(path);
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

static const struct op OPS[] = {
  {"null", setup_none, loop_null},
  {"commpage", setup_none, loop_commpage},
  {"clock", setup_none, loop_clock},
  {"write-devnull", open_devnull, loop_write},
  {"read-4k", open_block_file, loop_pread},
};

int main(int argc, char **argv) {
  const struct op *op = argc >= 3 && argc <= 4 ? find_op(OPS, sizeof OPS / sizeof OPS[0], argv[1]) : NULL;
  if (op == NULL || atol(argv[2]) < 1) {
    fprintf(stderr, "usage: syscall null|commpage|clock|write-devnull|read-4k ITERATIONS [FILE]\n");
    return 2;
  }
  printf("%lld\n", measure(op, atol(argv[2]), argc == 4 ? argv[3] : "/tmp/bench"));
  return 0;
}
