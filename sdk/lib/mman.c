/*
 * mmap for webmach programs. Wasm cannot map or alias pages, so a mapping is a copy in the program's
 * memory, page-aligned and zero-filled past the end of the file. The rule for MAP_SHARED (README,
 * "C programs"):
 *  - the bytes this process changed reach the file, and so every other process's reads and new
 *    mappings, at msync (MS_SYNC also makes them durable), munmap, exit and exec;
 *  - only changed bytes are written: each shared mapping keeps a twin of what it last had in common
 *    with the file, and writes the bytes that differ from it, so processes changing different bytes
 *    of one file lose none of each other's;
 *  - other processes' changes reach an existing mapping at msync with MS_INVALIDATE (the mapping is
 *    read again, keeping the bytes this process changed and has not yet written), or in a new mapping;
 *  - a process killed by a signal loses what it had not written.
 * MAP_PRIVATE and MAP_ANONYMOUS mappings are the process's own copies (a forked child gets its own).
 * mprotect is accepted and changes only whether msync writes (PROT_WRITE); MAP_FIXED is EINVAL.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE 4096
#define ROUND(n) (((n) + PAGE - 1) & ~(size_t)(PAGE - 1))

struct mapping {
  unsigned char *addr;
  size_t len;
  int prot, flags;
  int fd;              /* MAP_SHARED of a file: a descriptor of the process's own (dup), for write-back; else -1 */
  off_t offset;
  unsigned char *twin; /* MAP_SHARED of a file: the bytes last in common with the file */
  void *block;         /* what aligned_alloc gave (shared by the pieces a partial munmap leaves) */
  struct mapping *next;
};

static struct mapping *mappings;
static int flush_at_exit;

/* The mapping holding [addr, addr + len), or NULL. */
static struct mapping *find(const void *addr, size_t len) {
  const unsigned char *a = addr;
  for (struct mapping *m = mappings; m; m = m->next)
    if (a >= m->addr && a + len <= m->addr + m->len) return m;
  return NULL;
}

/* Bytes of the file at `m`'s offset that a mapping of m->len covers now. */
static size_t file_part(struct mapping *m) {
  struct stat st;
  if (fstat(m->fd, &st) != 0 || st.st_size <= m->offset) return 0;
  size_t in_file = (size_t)(st.st_size - m->offset);
  return in_file < m->len ? in_file : m->len;
}

/* Write the bytes of [from, to) of a shared mapping that differ from its twin, in runs. */
static int write_changes(struct mapping *m, size_t from, size_t to) {
  size_t end = file_part(m);
  if (to > end) to = end; /* as on Linux, a mapping does not extend its file */
  for (size_t i = from; i < to;) {
    if (m->addr[i] == m->twin[i]) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < to && m->addr[j] != m->twin[j]) j++;
    for (size_t k = i; k < j;) {
      ssize_t n = pwrite(m->fd, m->addr + k, j - k, m->offset + (off_t)k);
      if (n <= 0) return -1;
      k += (size_t)n;
    }
    memcpy(m->twin + i, m->addr + i, j - i);
    i = j;
  }
  return 0;
}

/* Read the file into [from, to) of a mapping (zeros past its end); with a twin, keep the bytes changed and not yet written. */
static int read_file(struct mapping *m, size_t from, size_t to, int fd) {
  unsigned char *fresh = malloc(to - from);
  if (!fresh) return -1;
  size_t got = 0;
  while (got < to - from) {
    ssize_t n = pread(fd, fresh + got, to - from - got, m->offset + (off_t)(from + got));
    if (n < 0) return free(fresh), -1;
    if (n == 0) break;
    got += (size_t)n;
  }
  memset(fresh + got, 0, to - from - got);
  for (size_t i = 0; i < to - from; i++) {
    if (!m->twin || m->addr[from + i] == m->twin[from + i]) m->addr[from + i] = fresh[i];
    if (m->twin) m->twin[from + i] = fresh[i];
  }
  free(fresh);
  return 0;
}

static void flush_all(void) {
  for (struct mapping *m = mappings; m; m = m->next)
    if (m->twin && (m->prot & PROT_WRITE)) write_changes(m, 0, m->len);
}

/* Before exec replaces the program: what shared mappings changed reaches their files. */
void __webmach_mman_flush(void) {
  flush_all();
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
  (void)addr;
  int kind = flags & MAP_TYPE;
  if (len == 0 || off < 0 || off % PAGE != 0 || (kind != MAP_SHARED && kind != MAP_PRIVATE) || (flags & MAP_FIXED)) {
    errno = EINVAL;
    return MAP_FAILED;
  }
  int anonymous = (flags & MAP_ANONYMOUS) != 0;
  int shared_file = !anonymous && kind == MAP_SHARED;
  if (!anonymous) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0) return errno = EBADF, MAP_FAILED;
    int mode = fl & O_ACCMODE;
    if (mode == O_WRONLY || (shared_file && (prot & PROT_WRITE) && mode != O_RDWR)) return errno = EACCES, MAP_FAILED;
  }
  struct mapping *m = calloc(1, sizeof *m);
  size_t size = ROUND(len);
  void *block = m && size >= len ? aligned_alloc(PAGE, size) : NULL;
  unsigned char *twin = block && shared_file ? malloc(len) : NULL;
  int own = shared_file && (!block || twin) ? dup(fd) : -1;
  if (!block || (shared_file && (!twin || own < 0))) {
    free(block), free(twin), free(m);
    if (own >= 0) close(own);
    errno = ENOMEM;
    return MAP_FAILED;
  }
  memset(block, 0, size);
  *m = (struct mapping){block, len, prot, flags, own, off, twin, block, mappings};
  if (shared_file) memset(twin, 0, len);
  if (!anonymous && read_file(m, 0, len, fd) != 0) {
    if (own >= 0) close(own);
    free(block), free(twin), free(m);
    errno = EIO;
    return MAP_FAILED;
  }
  mappings = m;
  if (shared_file && !flush_at_exit) flush_at_exit = atexit(flush_all) == 0;
  return m->addr;
}

/* Forget `m` (written back already), freeing its block when no piece of it is left. */
static void drop(struct mapping *m) {
  struct mapping **p = &mappings;
  while (*p != m) p = &(*p)->next;
  *p = m->next;
  int shared_block = 0;
  for (struct mapping *o = mappings; o; o = o->next) shared_block |= o->block == m->block;
  if (!shared_block) free(m->block);
  if (m->fd >= 0) close(m->fd);
  free(m->twin);
  free(m);
}

int munmap(void *addr, size_t len) {
  unsigned char *a = addr;
  if (len == 0 || (uintptr_t)a % PAGE != 0) return errno = EINVAL, -1;
  len = ROUND(len);
  struct mapping *next;
  for (struct mapping *m = mappings; m; m = next) {
    next = m->next;
    unsigned char *from = a > m->addr ? a : m->addr, *to = a + len < m->addr + m->len ? a + len : m->addr + m->len;
    if (from >= to) continue;
    if (m->twin && (m->prot & PROT_WRITE)) write_changes(m, (size_t)(from - m->addr), (size_t)(to - m->addr));
    if (from == m->addr && to == m->addr + m->len) {
      drop(m);
    } else if (from == m->addr || to == m->addr + m->len) { /* the piece left keeps its place in the block */
      size_t cut = (size_t)(to - from);
      if (from == m->addr) {
        if (m->twin) memmove(m->twin, m->twin + cut, m->len - cut);
        m->addr += cut;
        m->offset += (off_t)cut;
      }
      m->len -= cut;
    } else { /* a hole: the tail becomes a mapping of its own */
      struct mapping *tail = malloc(sizeof *tail);
      size_t head = (size_t)(from - m->addr), rest = (size_t)(m->addr + m->len - to);
      unsigned char *twin = m->twin ? malloc(rest) : NULL;
      int fd = m->fd >= 0 ? dup(m->fd) : -1;
      if (!tail || (m->twin && !twin) || (m->fd >= 0 && fd < 0)) return free(tail), free(twin), errno = ENOMEM, -1;
      if (twin) memcpy(twin, m->twin + (to - m->addr), rest);
      *tail = (struct mapping){(unsigned char *)to, rest, m->prot, m->flags, fd, m->offset + (off_t)(to - m->addr), twin, m->block, mappings};
      mappings = tail;
      m->len = head;
    }
  }
  return 0;
}

int msync(void *addr, size_t len, int flags) {
  unsigned char *a = addr;
  if ((uintptr_t)a % PAGE != 0 || (flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) || ((flags & MS_ASYNC) && (flags & MS_SYNC))) return errno = EINVAL, -1;
  struct mapping *m = find(a, len);
  if (!m) return errno = ENOMEM, -1;
  if (!m->twin) return 0;
  size_t from = (size_t)(a - m->addr), to = from + len;
  if ((m->prot & PROT_WRITE) && write_changes(m, from, to) != 0) return errno = EIO, -1;
  if ((flags & MS_SYNC) && fsync(m->fd) != 0) return -1;
  if ((flags & MS_INVALIDATE) && read_file(m, from, to, m->fd) != 0) return errno = EIO, -1;
  return 0;
}

int mprotect(void *addr, size_t len, int prot) {
  if ((uintptr_t)addr % PAGE != 0) return errno = EINVAL, -1;
  struct mapping *m = find(addr, len);
  if (!m) return errno = ENOMEM, -1;
  if (m->twin && (m->prot & PROT_WRITE) && !(prot & PROT_WRITE)) write_changes(m, 0, m->len); /* what was written before stays */
  m->prot = prot;
  return 0;
}

int madvise(void *addr, size_t len, int advice) {
  (void)advice;
  return find(addr, len) ? 0 : (errno = ENOMEM, -1);
}

int posix_madvise(void *addr, size_t len, int advice) {
  (void)advice;
  return find(addr, len) ? 0 : ENOMEM;
}

int mlock(const void *addr, size_t len) {
  return find(addr, len) ? 0 : (errno = ENOMEM, -1);
}

int munlock(const void *addr, size_t len) {
  return find(addr, len) ? 0 : (errno = ENOMEM, -1);
}
