// sandbox.c: tries to leave a mounted host directory, for test/host/sandbox.test.ts. Every attempt prints
// one line "what: result" (the data read, the names listed, "ok", or the error), so the test can check
// that nothing outside the mount was read, listed or changed. Modes:
//   stale MNT OUTSIDE    a descriptor of MNT/d, then d renamed and a symlink to OUTSIDE put in its place:
//                        every *at call through the old descriptor
//   moved MNT            a descriptor of MNT/d; waits for the host to move d out of the mount (MNT/go),
//                        then reads through it and tries '..'
//   escape MNT OUTSIDE   symlinks (absolute, relative, '..' chains), '..' paths, hard links and renames
//                        aimed outside
//   walk MNT N           opens, lists, creates and removes under MNT/d N times (while d is swapped)
//   swap MNT OUTSIDE N   swaps MNT/d with a symlink to OUTSIDE (and one to ../outside) N times
//   root                 run with a host directory as "/" (and another at /data): its files, /dev, and
//                        escapes from it
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char path_buf[4][1024];

/** MNT joined with `name` (four rotating buffers). */
static const char *at(const char *mnt, const char *name) {
  static int next;
  char *p = path_buf[next++ % 4];
  snprintf(p, sizeof path_buf[0], "%s/%s", mnt, name);
  return p;
}

static void result(const char *what, int rc) {
  if (rc < 0) printf("%s: %s\n", what, strerror(errno));
  else printf("%s: ok\n", what);
}

/** Print what `fd` holds (up to 255 bytes), or the error that opening it gave; closes it. */
static void show(const char *what, int fd) {
  if (fd < 0) {
    result(what, -1);
    return;
  }
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n < 0) {
    result(what, -1);
    return;
  }
  buf[n] = 0;
  printf("%s: read \"%s\"\n", what, buf);
}

/** The names in directory `fd` (a new descriptor, consumed), on one line. */
static void list(const char *what, int fd) {
  DIR *d = fd < 0 ? NULL : fdopendir(fd);
  if (!d) {
    result(what, -1);
    return;
  }
  printf("%s:", what);
  struct dirent *e;
  while ((e = readdir(d))) printf(" %s", e->d_name);
  printf("\n");
  closedir(d);
}

static int make_file(const char *p, const char *content) {
  int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return -1;
  ssize_t n = write(fd, content, strlen(content));
  close(fd);
  return n < 0 ? -1 : 0;
}

static int stale(const char *mnt, const char *outside) {
  result("mkdir d", mkdir(at(mnt, "d"), 0755));
  result("create d/inner", make_file(at(mnt, "d/inner"), "inner"));
  int dir = open(at(mnt, "d"), O_RDONLY | O_DIRECTORY);
  result("open d", dir);
  result("rename d d_moved", rename(at(mnt, "d"), at(mnt, "d_moved")));
  result("symlink d -> outside", symlink(outside, at(mnt, "d")));
  show("openat secret", openat(dir, "secret", O_RDONLY));
  show("openat inner", openat(dir, "inner", O_RDONLY));
  list("readdir", openat(dir, ".", O_RDONLY | O_DIRECTORY));
  int fd = openat(dir, "created", O_WRONLY | O_CREAT, 0644);
  result("create", fd);
  if (fd >= 0) close(fd);
  result("unlink victim", unlinkat(dir, "victim", 0));
  result("link victim", linkat(dir, "victim", dir, "victim_link", 0));
  result("rename victim", renameat(dir, "victim", dir, "victim_renamed"));
  result("rename into", renameat(dir, "inner", dir, "victim"));
  result("mkdir", mkdirat(dir, "newdir", 0755));
  result("rmdir keep", unlinkat(dir, "keep", AT_REMOVEDIR));
  result("symlink", symlinkat("x", dir, "newlink"));
  struct stat st, moved;
  if (fstatat(dir, "victim", &st, AT_SYMLINK_NOFOLLOW) == 0) printf("stat victim: size %lld\n", (long long)st.st_size);
  else result("stat victim", -1);
  struct timespec times[2] = {{0, 0}, {0, 0}};
  result("utimens victim", utimensat(dir, "victim", times, AT_SYMLINK_NOFOLLOW));
  result("utimens secret", utimensat(dir, "secret", times, 0));
  if (fstat(dir, &st) == 0 && stat(at(mnt, "d_moved"), &moved) == 0) {
    printf("descriptor names d_moved: %s\n", st.st_ino == moved.st_ino ? "yes" : "no");
  }
  return 0;
}

/** Sleep 1 ms at a time until `p` exists (the host's go-ahead), at most 20 s. */
static int wait_for(const char *p) {
  struct timespec ms = {0, 1000000};
  for (int i = 0; i < 20000; i++) {
    if (access(p, F_OK) == 0) return 0;
    nanosleep(&ms, NULL);
  }
  return -1;
}

static int moved(const char *mnt) {
  int dir = open(at(mnt, "d"), O_RDONLY | O_DIRECTORY);
  result("open d", dir);
  result("ready", make_file(at(mnt, "ready"), ""));
  result("go", wait_for(at(mnt, "go")));
  show("openat inner", openat(dir, "inner", O_RDONLY));
  show("openat ../secret", openat(dir, "../secret", O_RDONLY));
  show("openat sub/../../secret", openat(dir, "sub/../../secret", O_RDONLY));
  list("readdir ..", openat(dir, "..", O_RDONLY | O_DIRECTORY));
  list("readdir .", openat(dir, ".", O_RDONLY | O_DIRECTORY));
  result("mkdir ../made", mkdirat(dir, "../made", 0755));
  return 0;
}

static int escape(const char *mnt, const char *outside) {
  char target[1024];
  snprintf(target, sizeof target, "%s/secret", outside);
  result("symlink abs", symlink(target, at(mnt, "abs")));
  show("open abs", open(at(mnt, "abs"), O_RDONLY));
  result("symlink absdir", symlink(outside, at(mnt, "absdir")));
  show("open absdir/secret", open(at(mnt, "absdir/secret"), O_RDONLY));
  list("readdir absdir", open(at(mnt, "absdir"), O_RDONLY | O_DIRECTORY));
  result("symlink rel", symlink("../outside/secret", at(mnt, "rel")));
  show("open rel", open(at(mnt, "rel"), O_RDONLY));
  result("symlink up", symlink("../../../../../../../..", at(mnt, "up")));
  list("readdir up", open(at(mnt, "up"), O_RDONLY | O_DIRECTORY));
  show("open up/etc/passwd", open(at(mnt, "up/etc/passwd"), O_RDONLY));
  result("mkdir a/b/c", mkdir(at(mnt, "a"), 0755) | mkdir(at(mnt, "a/b"), 0755) | mkdir(at(mnt, "a/b/c"), 0755));
  result("symlink a/b/c/l", symlink("../../../../outside", at(mnt, "a/b/c/l")));
  show("open a/b/c/l/secret", open(at(mnt, "a/b/c/l/secret"), O_RDONLY));
  show("open a/b/../../../outside/secret", open(at(mnt, "a/b/../../../outside/secret"), O_RDONLY));
  show("open ../outside/secret", open(at(mnt, "../outside/secret"), O_RDONLY));
  result("symlink dangling", symlink(outside, at(mnt, "dangling")));
  int fd = open(at(mnt, "dangling/created"), O_WRONLY | O_CREAT, 0644);
  result("create through absdir", fd);
  if (fd >= 0) close(fd);
  result("symlink newfile", symlink("../outside/created", at(mnt, "newfile")));
  fd = open(at(mnt, "newfile"), O_WRONLY | O_CREAT, 0644);
  result("create through dangling", fd);
  if (fd >= 0) close(fd);
  result("mkdir absdir/made", mkdir(at(mnt, "absdir/made"), 0755));
  result("unlink absdir/victim", unlink(at(mnt, "absdir/victim")));
  result("rename absdir/victim", rename(at(mnt, "absdir/victim"), at(mnt, "stolen")));
  result("create mine", make_file(at(mnt, "mine"), "mine"));
  result("rename mine out", rename(at(mnt, "mine"), at(mnt, "absdir/mine")));
  result("hard link abs", link(at(mnt, "abs"), at(mnt, "hard")));
  show("open hard", open(at(mnt, "hard"), O_RDONLY));
  result("hard link abs followed", linkat(AT_FDCWD, at(mnt, "abs"), AT_FDCWD, at(mnt, "hard2"), AT_SYMLINK_FOLLOW));
  result("link victim in", link(at(mnt, "absdir/victim"), at(mnt, "hard3")));
  struct timespec times[2] = {{0, 0}, {0, 0}};
  result("utimens abs followed", utimensat(AT_FDCWD, at(mnt, "abs"), times, 0));
  result("truncate abs", truncate(at(mnt, "abs"), 0));
  return 0;
}

/** One round of use under MNT/d: read, list, create, remove. Prints only what is not the inside's. */
static void walk_once(const char *mnt, int i) {
  char buf[64];
  int fd = open(at(mnt, "d/secret"), O_RDONLY);
  if (fd >= 0) {
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n < 0 ? 0 : n] = 0;
    if (strcmp(buf, "inner") != 0) printf("walk %d read \"%s\"\n", i, buf);
  }
  DIR *d = opendir(at(mnt, "d"));
  if (d) {
    struct dirent *e;
    while ((e = readdir(d))) {
      if (strcmp(e->d_name, "victim") == 0) printf("walk %d listed %s\n", i, e->d_name);
    }
    closedir(d);
  }
  fd = open(at(mnt, "d/made"), O_WRONLY | O_CREAT, 0644);
  if (fd >= 0) close(fd);
  unlink(at(mnt, "d/made"));
  mkdir(at(mnt, "d/madedir"), 0755);
  rmdir(at(mnt, "d/madedir"));
}

static int walk(const char *mnt, int n) {
  for (int i = 0; i < n; i++) walk_once(mnt, i);
  printf("walked %d\n", n);
  return 0;
}

static int swap(const char *mnt, const char *outside, int n) {
  const char *targets[2] = {outside, "../outside"};
  int swaps = 0;
  for (int i = 0; i < n; i++) {
    if (rename(at(mnt, "d"), at(mnt, "d_real")) != 0) continue;
    if (symlink(targets[i % 2], at(mnt, "d")) == 0) {
      swaps++;
      unlink(at(mnt, "d"));
    }
    rename(at(mnt, "d_real"), at(mnt, "d"));
  }
  printf("swapped %d\n", swaps);
  return 0;
}

static int root(void) {
  show("open /hello.txt", open("/hello.txt", O_RDONLY));
  show("open /data/x.txt", open("/data/x.txt", O_RDONLY));
  result("write /out.txt", make_file("/out.txt", "written"));
  int fd = open("/dev/null", O_WRONLY);
  result("open /dev/null", fd);
  if (fd >= 0) result("write /dev/null", write(fd, "x", 1) == 1 ? 0 : -1);
  if (fd >= 0) close(fd);
  list("readdir /", open("/", O_RDONLY | O_DIRECTORY));
  list("readdir /dev", open("/dev", O_RDONLY | O_DIRECTORY));
  show("open /../secret", open("/../secret", O_RDONLY));
  show("open ../secret", open("../secret", O_RDONLY));
  show("open /absdir/secret", open("/absdir/secret", O_RDONLY));
  show("open /rel/secret", open("/rel/secret", O_RDONLY));
  show("open /etclink/passwd", open("/etclink/passwd", O_RDONLY));
  result("symlink /mine -> /outside", symlink("/outside", "/mine"));
  show("open /mine/secret", open("/mine/secret", O_RDONLY));
  result("mkdir /dev", mkdir("/dev", 0755));
  result("rmdir /dev", rmdir("/dev"));
  result("rename /dev", rename("/dev", "/dev2"));
  result("rename onto /dev", rename("/out.txt", "/dev"));
  return 0;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (strcmp(mode, "stale") == 0 && argc == 4) return stale(argv[2], argv[3]);
  if (strcmp(mode, "moved") == 0 && argc == 3) return moved(argv[2]);
  if (strcmp(mode, "escape") == 0 && argc == 4) return escape(argv[2], argv[3]);
  if (strcmp(mode, "walk") == 0 && argc == 4) return walk(argv[2], atoi(argv[3]));
  if (strcmp(mode, "swap") == 0 && argc == 5) return swap(argv[2], argv[3], atoi(argv[4]));
  if (strcmp(mode, "root") == 0) return root();
  fprintf(stderr, "usage: sandbox stale|moved|escape|walk|swap|root ...\n");
  return 2;
}
