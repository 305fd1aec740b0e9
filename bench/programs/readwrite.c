// readwrite.c: the guest of the `readwrite` benchmark (bench/readwrite.ts), after dean-armand-1992
// section 5. `readwrite OP SIZE ITERATIONS [FILE]` sets OP up (its file made first, if it has one),
// warms up (OP repeated untimed), then performs OP ITERATIONS times between two
// clock_gettime(CLOCK_MONOTONIC) reads and prints the elapsed ns on stdout. SIZE is the bytes one
// operation moves (ignored by the ops that move none). It does not check what it reads. The harness
// it runs in is guest.h's.
__attribute__((import_module("webmach"), import_name("sys_null"))) int webmach_sys_null(void);
__attribute__((import_module("webmach"), import_name("getpid"))) int webmach_getpid(void);

/* Warm-up, as in syscall.c: every run is a fresh process (under webmach a fresh worker thread). */
#define WARMUP_CALLS 2000
#define WARMUP_NS 200000000LL
#define WARMUP_CHUNK 50
#define GUEST "readwrite"
#include "guest.h"

/* Table 5-1's uncached copy walks a buffer 8x the L2 (this machine reports 2 x 2 MiB L2, a 480 MiB L3). */
#define UNCACHED_BYTES (32 << 20)
/* Table 5-3's file (sequential reads and writes) and Table 5-4's (about 2 MB in the paper). */
#define LARGE_FILE (16 << 20)
#define SMALL_FILE (2 << 20)
/* The stride of the window-change test: 4 KiB read, 60 KiB skipped (dean-armand-1992 5, after Table 5-5). */
#define WINDOW 65536
#define MAX_SIZE (1 << 20)

/* Static, not malloc'd: the memory the program starts with holds them, so it never grows while timed. */
static char buffer[MAX_SIZE];         /* what reads fill and writes send */
static char source[UNCACHED_BYTES];   /* the copy ops' source: its first MAX_SIZE for copy-cached */
static long size;     /* bytes one op moves */
static long file_bytes;
static off_t offset;  /* where the next sequential op starts */

static void fill(char *p, long bytes) {
  for (long i = 0; i < bytes; i++) p[i] = (char)i;
}

/* FILE made afresh (its directory too) holding `bytes` bytes, written in MAX_SIZE pieces. */
static int make_file(const char *path, long bytes) {
  int fd = create_file(path);
  for (long done = 0; done < bytes; done += MAX_SIZE) {
    long n = bytes - done < MAX_SIZE ? bytes - done : MAX_SIZE;
    if (write(fd, buffer, n) != n) fail("write");
  }
  if (lseek(fd, 0, SEEK_SET) != 0) fail("lseek");
  file_bytes = bytes;
  offset = 0;
  return fd;
}

static int setup_cached(const char *path) {
  (void)path;
  fill(source, MAX_SIZE);
  return -1;
}

static int setup_uncached(const char *path) {
  (void)path;
  fill(source, UNCACHED_BYTES);
  return -1;
}

static int setup_large(const char *path) { return make_file(path, LARGE_FILE); }
static int setup_small(const char *path) { return make_file(path, SMALL_FILE); }

/* ---- the loops: n ops each ---- */

static void loop_copy_cached(long n, int fd) {
  (void)fd;
  for (long i = 0; i < n; i++) {
    memcpy(buffer, source, size);
    __asm__ volatile("" ::: "memory"); /* a copy per iteration, not one hoisted */
  }
}

static void loop_copy_uncached(long n, int fd) {
  (void)fd;
  for (long i = 0; i < n; i++) {
    memcpy(buffer, source + offset, size);
    offset += size;
    if (offset + size > UNCACHED_BYTES) offset = 0;
    __asm__ volatile("" ::: "memory");
  }
}

static void loop_null_trap(long n, int fd) {
  (void)fd;
  for (long i = 0; i < n; i++) sink += webmach_getpid();
}

static void loop_trap(long n, int fd) {
  (void)fd;
  for (long i = 0; i < n; i++) sink += webmach_sys_null();
}

/* Sequential reads of `size` bytes, back to the start at the end of the file. */
static void loop_read(long n, int fd) {
  for (long i = 0; i < n; i++) {
    if (offset + size > file_bytes) {
      if (lseek(fd, 0, SEEK_SET) != 0) fail("lseek");
      offset = 0;
    }
    if (read(fd, buffer, size) != size) fail("read");
    offset += size;
  }
}

/* Sequential writes of `size` bytes over the file made at setup, back to the start at its end. */
static void loop_write(long n, int fd) {
  for (long i = 0; i < n; i++) {
    if (offset + size > file_bytes) {
      if (lseek(fd, 0, SEEK_SET) != 0) fail("lseek");
      offset = 0;
    }
    if (write(fd, buffer, size) != size) fail("write");
    offset += size;
  }
}

static void loop_lseek(long n, int fd) {
  for (long i = 0; i < n; i++) sink += lseek(fd, 0, SEEK_SET);
}

static void loop_read1_lseek(long n, int fd) {
  for (long i = 0; i < n; i++) {
    if (lseek(fd, 0, SEEK_SET) != 0) fail("lseek");
    if (read(fd, buffer, 1) != 1) fail("read");
  }
}

static void loop_write1_lseek(long n, int fd) {
  for (long i = 0; i < n; i++) {
    if (lseek(fd, 0, SEEK_SET) != 0) fail("lseek");
    if (write(fd, buffer, 1) != 1) fail("write");
  }
}

/* A `size`-byte read, then a seek to the next WINDOW: every read lands in a new 64 KiB window. */
static void loop_read_window(long n, int fd) {
  for (long i = 0; i < n; i++) {
    if (offset + WINDOW > file_bytes) offset = 0;
    if (lseek(fd, offset, SEEK_SET) != offset) fail("lseek");
    if (read(fd, buffer, size) != size) fail("read");
    offset += WINDOW;
  }
}

static const struct op OPS[] = {
  {"copy-cached", setup_cached, loop_copy_cached},
  {"copy-uncached", setup_uncached, loop_copy_uncached},
  {"null-trap", setup_none, loop_null_trap},
  {"trap", setup_none, loop_trap},
  {"read", setup_large, loop_read},
  {"write", setup_large, loop_write},
  {"read-cached", setup_small, loop_read},
  {"lseek", setup_small, loop_lseek},
  {"read1-lseek", setup_small, loop_read1_lseek},
  {"write1-lseek", setup_small, loop_write1_lseek},
  {"read-window", setup_small, loop_read_window},
};

int main(int argc, char **argv) {
  const struct op *op = argc >= 4 && argc <= 5 ? find_op(OPS, sizeof OPS / sizeof OPS[0], argv[1]) : NULL;
  size = op != NULL ? atol(argv[2]) : 0;
  if (op == NULL || size < 0 || size > MAX_SIZE || atol(argv[3]) < 1) {
    fprintf(stderr, "usage: readwrite OP SIZE ITERATIONS [FILE]; OPs:");
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++) fprintf(stderr, " %s", OPS[i].name);
    fprintf(stderr, "\n");
    return 2;
  }
  fill(buffer, MAX_SIZE);
  printf("%lld\n", measure(op, atol(argv[3]), argc == 5 ? argv[4] : "/tmp/readwrite"));
  return 0;
}
