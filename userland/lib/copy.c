/*
 * copy.c: copying files, symbolic links and directory trees (cp, and mv across mounts). See copy.h.
 */
#include "copy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "path.h"
#include "util.h"

#define BUFSIZE 65536

bool dest_inside(const struct stat *sst, const char *dest) {
  char *p = dir_name(dest);
  struct stat st, prev;
  bool found = false;
  if (stat(p, &st) != 0) {
    free(p);
    return false;
  }
  for (int depth = 0; depth < 4096; depth++) {
    if (same_file(&st, sst)) {
      found = true;
      break;
    }
    prev = st;
    char *up = path_join(p, "..");
    free(p);
    p = up;
    if (stat(p, &st) != 0 || same_file(&st, &prev)) break;
  }
  free(p);
  return found;
}

static void set_times(const char *dest, const struct stat *sst) {
  struct timespec ts[2] = {sst->st_atim, sst->st_mtim};
  if (utimensat(AT_FDCWD, dest, ts, AT_SYMLINK_NOFOLLOW) != 0)
    fprintf(stderr, "%s: preserving times for '%s': %s\n", prog, dest, strerror(errno));
}

static int copy_data(int in, int out, const char *src, const char *dest) {
  static char buffer[BUFSIZE];
  for (;;) {
    ssize_t n = read_some(in, buffer, BUFSIZE, src);
    if (n == 0) return 0;
    if (n < 0) return 1;
    if (write_full(out, buffer, (size_t)n) != 0) {
      fprintf(stderr, "%s: error writing '%s': %s\n", prog, dest, strerror(errno));
      return 1;
    }
  }
}

static int copy_file(const char *src, const char *dest, const struct stat *sst, const struct copy_options *opts) {
  int in = open(src, O_RDONLY);
  if (in < 0) {
    fprintf(stderr, "%s: cannot open '%s' for reading: %s\n", prog, src, strerror(errno));
    return 1;
  }
  int out = open(dest, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (out < 0 && opts->force && errno != ENOENT && errno != EISDIR && unlink(dest) == 0)
    out = open(dest, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (out < 0) {
    fprintf(stderr, "%s: cannot create regular file '%s': %s\n", prog, dest, strerror(errno));
    close(in);
    return 1;
  }
  int status = copy_data(in, out, src, dest);
  close(in);
  if (close(out) != 0 && !status) {
    fprintf(stderr, "%s: error writing '%s': %s\n", prog, dest, strerror(errno));
    status = 1;
  }
  if (!status && opts->preserve) set_times(dest, sst);
  return status;
}

static int copy_symlink(const char *src, const char *dest, const struct stat *sst, const struct copy_options *opts) {
  size_t size = (size_t)sst->st_size + 1;
  char *target = malloc(size < 256 ? 256 : size);
  ssize_t n = target ? readlink(src, target, size < 256 ? 256 : size) : -1;
  if (n < 0) {
    fprintf(stderr, "%s: cannot read symbolic link '%s': %s\n", prog, src, strerror(errno));
    free(target);
    return 1;
  }
  target[n] = '\0';
  int r = symlink(target, dest);
  if (r != 0 && errno == EEXIST && opts->force && unlink(dest) == 0) r = symlink(target, dest);
  if (r != 0)
    fprintf(stderr, "%s: cannot create symbolic link '%s': %s\n", prog, dest, strerror(errno));
  else if (opts->preserve)
    set_times(dest, sst);
  free(target);
  return r != 0;
}

static int copy_dir(const char *src, const char *dest, const struct stat *sst, const struct copy_options *opts) {
  struct stat dst;
  if (stat(dest, &dst) != 0 && mkdir(dest, 0777) != 0) {
    fprintf(stderr, "%s: cannot create directory '%s': %s\n", prog, dest, strerror(errno));
    return 1;
  }
  size_t n;
  int err;
  char **names = dir_names(src, &n, &err);
  if (!names) {
    fprintf(stderr, "%s: cannot access '%s': %s\n", prog, src, strerror(errno));
    return 1;
  }
  int status = 0;
  for (size_t i = 0; i < n; i++) {
    char *s = path_join(src, names[i]), *t = path_join(dest, names[i]);
    struct stat st;
    if (lstat(s, &st) != 0) {
      fprintf(stderr, "%s: cannot stat '%s': %s\n", prog, s, strerror(errno));
      status = 1;
    } else {
      status |= copy_tree(s, t, &st, opts);
    }
    free(s);
    free(t);
    free(names[i]);
  }
  free(names);
  if (opts->preserve) set_times(dest, sst);
  return status;
}

int copy_tree(const char *src, const char *dest, const struct stat *sst, const struct copy_options *opts) {
  struct stat dst;
  bool exists = stat(dest, &dst) == 0;
  if (exists && same_file(sst, &dst)) {
    fprintf(stderr, "%s: '%s' and '%s' are the same file\n", prog, src, dest);
    return 1;
  }
  if (S_ISDIR(sst->st_mode)) {
    if (exists && !S_ISDIR(dst.st_mode)) {
      fprintf(stderr, "%s: cannot overwrite non-directory '%s' with directory '%s'\n", prog, dest, src);
      return 1;
    }
    return copy_dir(src, dest, sst, opts);
  }
  if (exists && S_ISDIR(dst.st_mode)) {
    fprintf(stderr, "%s: cannot overwrite directory '%s' with non-directory\n", prog, dest);
    return 1;
  }
  if (S_ISLNK(sst->st_mode)) return copy_symlink(src, dest, sst, opts);
  return copy_file(src, dest, sst, opts);
}
