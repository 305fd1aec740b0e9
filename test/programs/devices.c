// devices.c: webmach's own file tree without any --dir: the devices in /dev (null, zero, urandom,
// stdout, stderr), the in-memory /tmp with a sparse 1 GiB file and a hard link, and that /dev takes
// no new names. Prints one line per check; exits 0.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int all_zero(const unsigned char *b, size_t n) {
  for (size_t i = 0; i < n; i++) if (b[i]) return 0;
  return 1;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list_dev(void) {
  DIR *d = opendir("/dev");
  char *names[32];
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)) && n < 32) names[n++] = strdup(e->d_name);
  if (d) closedir(d);
  qsort(names, n, sizeof names[0], cmp);
  printf("/dev:");
  for (int i = 0; i < n; i++) printf(" %s", names[i]);
  printf("\n");
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0); // unbuffered, so the lines written through /dev/stdout stay in order
  unsigned char buf[64];
  int fd = open("/dev/zero", O_RDONLY);
  memset(buf, 0xff, sizeof buf);
  printf("zero: %s\n", fd >= 0 && read(fd, buf, sizeof buf) == sizeof buf && all_zero(buf, sizeof buf) ? "ok" : "FAIL");
  close(fd);
  fd = open("/dev/urandom", O_RDONLY);
  memset(buf, 0, sizeof buf);
  printf("urandom: %s\n", fd >= 0 && read(fd, buf, sizeof buf) == sizeof buf && !all_zero(buf, sizeof buf) ? "ok" : "FAIL");
  close(fd);
  fd = open("/dev/null", O_RDWR);
  printf("null: write %zd, read %zd\n", write(fd, "12345", 5), read(fd, buf, sizeof buf));
  close(fd);
  fd = open("/dev/stdout", O_WRONLY);
  dprintf(fd, "via /dev/stdout\n");
  close(fd);
  fd = open("/dev/stderr", O_WRONLY);
  dprintf(fd, "via /dev/stderr\n");
  close(fd);
  list_dev();
  printf("create in /dev: %s\n", open("/dev/new", O_WRONLY | O_CREAT, 0666) < 0 ? strerror(errno) : "created");

  fd = open("/tmp/sparse", O_RDWR | O_CREAT | O_TRUNC, 0666);
  off_t gib = 1024L * 1024 * 1024;
  struct stat st;
  int sparse = pwrite(fd, "end", 3, gib) == 3 && fstat(fd, &st) == 0 && st.st_size == gib + 3 &&
               pread(fd, buf, sizeof buf, gib / 2) == sizeof buf && all_zero(buf, sizeof buf);
  printf("sparse 1 GiB file: %s\n", sparse ? "ok" : "FAIL");
  close(fd);
  int linked = link("/tmp/sparse", "/tmp/again") == 0 && stat("/tmp/again", &st) == 0 && st.st_nlink == 2;
  printf("hard link: %s\n", linked ? "nlink 2" : "FAIL");
  return 0;
}
