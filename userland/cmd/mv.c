/* mv: move (rename) files.
 * Usage: mv [-f] [-n] SOURCE DEST     mv [-f] [-n] SOURCE... DIRECTORY
 *   -f  do not prompt before overwriting (the default: mv never prompts here)
 *   -n  do not overwrite an existing file (the last of -f and -n wins)
 * When rename fails with EXDEV (SOURCE and DEST on different mounts), SOURCE is copied
 * (recursively, symbolic links as links, times preserved) and then removed, as GNU mv does. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BADSTATUS 1
#define BUFSIZE 65536
static const char *prog = "mv";

static void usage_hint(void) {
#ifdef USAGE_LINE
  fprintf(stderr, "Usage: %s %s\n", prog, USAGE_LINE);
#endif
  fprintf(stderr, "Try '%s --help' for more information.\n", prog);
}

/* An unknown option: GNU's two lines on stderr, then exit with BADSTATUS. */
static void bad_option(int c, int argc, char **argv) {
  if (c == '-' && optind < argc && strncmp(argv[optind], "--", 2) == 0)
    fprintf(stderr, "%s: unrecognized option '%s'\n", prog, argv[optind]);
  else if (c == '-' && optind > 1 && strncmp(argv[optind - 1], "--", 2) == 0)
    fprintf(stderr, "%s: unrecognized option '%s'\n", prog, argv[optind - 1]);
  else
    fprintf(stderr, "%s: invalid option -- '%c'\n", prog, c);
  usage_hint();
  exit(BADSTATUS);
}

/* GNU-style argument order: options may follow operands (until "--"), so move
 * every option (with its argument) before the operands, keeping their order. */
static void permute(int argc, char **argv, const char *optstring) {
  char **opts = malloc(sizeof *opts * (size_t)(argc + 1));
  char **ops = malloc(sizeof *ops * (size_t)(argc + 1));
  int no = 0, np = 0, i, k = 1;
  if (!opts || !ops) {
    free(opts);
    free(ops);
    return;
  }
  for (i = 1; i < argc; i++) {
    char *a = argv[i];
    if (strcmp(a, "--") == 0) break;
    if (a[0] != '-' || !a[1]) {
      ops[np++] = a;
      continue;
    }
    opts[no++] = a;
    for (int j = 1; a[j] && a[1] != '-'; j++) {
      const char *p = a[j] != ':' ? strchr(optstring, a[j]) : NULL;
      if (p && p[1] == ':') {
        if (!a[j + 1] && i + 1 < argc) opts[no++] = argv[++i];
        break;
      }
    }
  }
  for (int j = 0; j < no; j++) argv[k++] = opts[j];
  if (i < argc) argv[k++] = argv[i++]; /* the "--" itself */
  for (; i < argc; i++) ops[np++] = argv[i];
  for (int j = 0; j < np; j++) argv[k++] = ops[j];
  free(opts);
  free(ops);
}

static int no_clobber = 0;
static const int force = 1; /* a copy across mounts replaces what it cannot open */
static char *buffer;

static char *concat(const char *dir, const char *name) {
  size_t dl = strlen(dir);
  char *p = malloc(dl + strlen(name) + 2);
  if (!p) {
    fprintf(stderr, "%s: %s\n", prog, strerror(ENOMEM));
    exit(1);
  }
  sprintf(p, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", name);
  return p;
}

static char *base_name(const char *path) {
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') n--;
  size_t start = n;
  while (start > 0 && path[start - 1] != '/') start--;
  char *p = strndup(path + start, n - start);
  if (!p) exit(1);
  return p;
}

static char *dir_name(const char *path) {
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') n--;
  while (n > 0 && path[n - 1] != '/') n--;
  while (n > 1 && path[n - 1] == '/') n--;
  char *p = n ? strndup(path, n) : strdup(".");
  if (!p) exit(1);
  return p;
}

static int same_file(const struct stat *a, const struct stat *b) {
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Whether the directory SST is the directory DEST would be made in, or one of its ancestors. */
static int inside(const struct stat *sst, const char *dest) {
  char *p = dir_name(dest);
  struct stat st, prev;
  int found = 0;
  if (stat(p, &st) != 0) {
    free(p);
    return 0;
  }
  for (int depth = 0; depth < 4096; depth++) {
    if (same_file(&st, sst)) {
      found = 1;
      break;
    }
    prev = st;
    char *up = concat(p, "..");
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
  for (;;) {
    ssize_t n = read(in, buffer, BUFSIZE);
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "%s: error reading '%s': %s\n", prog, src, strerror(errno));
      return 1;
    }
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(out, buffer + done, (size_t)(n - done));
      if (w < 0) {
        if (errno == EINTR) continue;
        fprintf(stderr, "%s: error writing '%s': %s\n", prog, dest, strerror(errno));
        return 1;
      }
      done += w;
    }
  }
}

static int copy_file(const char *src, const char *dest, const struct stat *sst) {
  int in = open(src, O_RDONLY);
  if (in < 0) {
    fprintf(stderr, "%s: cannot open '%s' for reading: %s\n", prog, src, strerror(errno));
    return 1;
  }
  int out = open(dest, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (out < 0 && force && errno != ENOENT && errno != EISDIR && unlink(dest) == 0)
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
  if (!status) set_times(dest, sst);
  return status;
}

static int copy_symlink(const char *src, const char *dest, const struct stat *sst) {
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
  if (r != 0 && errno == EEXIST && force && unlink(dest) == 0) r = symlink(target, dest);
  if (r != 0) fprintf(stderr, "%s: cannot create symbolic link '%s': %s\n", prog, dest, strerror(errno));
  else set_times(dest, sst);
  free(target);
  return r != 0;
}

static int copy(const char *src, const char *dest, const struct stat *sst);

static int copy_dir(const char *src, const char *dest, const struct stat *sst) {
  struct stat dst;
  if (stat(dest, &dst) != 0) {
    if (mkdir(dest, 0777) != 0) {
      fprintf(stderr, "%s: cannot create directory '%s': %s\n", prog, dest, strerror(errno));
      return 1;
    }
  }
  DIR *d = opendir(src);
  if (!d) {
    fprintf(stderr, "%s: cannot access '%s': %s\n", prog, src, strerror(errno));
    return 1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 16;
      names = realloc(names, cap * sizeof *names);
      if (!names) exit(1);
    }
    if (!(names[n++] = strdup(e->d_name))) exit(1);
  }
  closedir(d);
  int status = 0;
  for (size_t i = 0; i < n; i++) {
    char *s = concat(src, names[i]), *t = concat(dest, names[i]);
    struct stat st;
    if (lstat(s, &st) != 0) {
      fprintf(stderr, "%s: cannot stat '%s': %s\n", prog, s, strerror(errno));
      status = 1;
    } else {
      status |= copy(s, t, &st);
    }
    free(s);
    free(t);
    free(names[i]);
  }
  free(names);
  set_times(dest, sst);
  return status;
}

static int copy(const char *src, const char *dest, const struct stat *sst) {
  struct stat dst;
  int exists = stat(dest, &dst) == 0;
  if (exists && same_file(sst, &dst)) {
    fprintf(stderr, "%s: '%s' and '%s' are the same file\n", prog, src, dest);
    return 1;
  }
  if (S_ISDIR(sst->st_mode)) {
    if (exists && !S_ISDIR(dst.st_mode)) {
      fprintf(stderr, "%s: cannot overwrite non-directory '%s' with directory '%s'\n", prog, dest, src);
      return 1;
    }
    return copy_dir(src, dest, sst);
  }
  if (exists && S_ISDIR(dst.st_mode)) {
    fprintf(stderr, "%s: cannot overwrite directory '%s' with non-directory\n", prog, dest);
    return 1;
  }
  if (S_ISLNK(sst->st_mode)) return copy_symlink(src, dest, sst);
  return copy_file(src, dest, sst);
}


/* Remove PATH and, if it is a directory, everything in it (the source of a copy across mounts). */
static int remove_tree(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) {
    fprintf(stderr, "%s: cannot remove '%s': %s\n", prog, path, strerror(errno));
    return 1;
  }
  if (!S_ISDIR(st.st_mode)) {
    if (unlink(path) == 0) return 0;
    fprintf(stderr, "%s: cannot remove '%s': %s\n", prog, path, strerror(errno));
    return 1;
  }
  DIR *d = opendir(path);
  if (!d) {
    fprintf(stderr, "%s: cannot remove '%s': %s\n", prog, path, strerror(errno));
    return 1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 16;
      names = realloc(names, cap * sizeof *names);
      if (!names) exit(1);
    }
    if (!(names[n++] = strdup(e->d_name))) exit(1);
  }
  closedir(d);
  int status = 0;
  for (size_t i = 0; i < n; i++) {
    char *child = concat(path, names[i]);
    status |= remove_tree(child);
    free(child);
    free(names[i]);
  }
  free(names);
  if (status) return 1;
  if (rmdir(path) != 0) {
    fprintf(stderr, "%s: cannot remove '%s': %s\n", prog, path, strerror(errno));
    return 1;
  }
  return 0;
}

/* rename gave EXDEV: copy SRC to DEST, then remove SRC. */
static int move_across(const char *src, const char *dest, const struct stat *sst) {
  struct stat dst;
  if (lstat(dest, &dst) == 0) {
    int r = S_ISDIR(dst.st_mode) ? rmdir(dest) : unlink(dest);
    if (r != 0) {
      fprintf(stderr, "%s: inter-device move failed: '%s' to '%s'; unable to remove target: %s\n", prog, src,
              dest, strerror(errno));
      return 1;
    }
  }
  if (copy(src, dest, sst) != 0) return 1;
  return remove_tree(src);
}

static int move(const char *src, const char *dest) {
  struct stat sst, dst;
  if (lstat(src, &sst) != 0) {
    fprintf(stderr, "%s: cannot stat '%s': %s\n", prog, src, strerror(errno));
    return 1;
  }
  if (lstat(dest, &dst) == 0) {
    if (same_file(&sst, &dst)) {
      fprintf(stderr, "%s: '%s' and '%s' are the same file\n", prog, src, dest);
      return 1;
    }
    if (no_clobber) return 0;
    if (S_ISDIR(sst.st_mode) && !S_ISDIR(dst.st_mode)) {
      fprintf(stderr, "%s: cannot overwrite non-directory '%s' with directory '%s'\n", prog, dest, src);
      return 1;
    }
    if (!S_ISDIR(sst.st_mode) && S_ISDIR(dst.st_mode)) {
      fprintf(stderr, "%s: cannot overwrite directory '%s' with non-directory\n", prog, dest);
      return 1;
    }
  }
  if (S_ISDIR(sst.st_mode) && inside(&sst, dest)) {
    fprintf(stderr, "%s: cannot move '%s' to a subdirectory of itself, '%s'\n", prog, src, dest);
    return 1;
  }
  if (rename(src, dest) == 0) return 0;
  if (errno == EXDEV) return move_across(src, dest, &sst);
  fprintf(stderr, "%s: cannot move '%s' to '%s': %s\n", prog, src, dest, strerror(errno));
  return 1;
}

int main(int argc, char **argv) {
  int c, status = 0;
  permute(argc, argv, "fn");
  opterr = 0;
  while ((c = getopt(argc, argv, "fn")) != -1) {
    switch (c) {
    case 'f': no_clobber = 0; break;
    case 'n': no_clobber = 1; break;
    default: bad_option(optopt, argc, argv);
    }
  }
  int n = argc - optind;
  char **ops = argv + optind;
  if (n == 0) {
    fprintf(stderr, "%s: missing file operand\n", prog);
    usage_hint();
    return 1;
  }
  if (n == 1) {
    fprintf(stderr, "%s: missing destination file operand after '%s'\n", prog, ops[0]);
    usage_hint();
    return 1;
  }
  if (!(buffer = malloc(BUFSIZE))) return 1;
  struct stat st;
  const char *last = ops[n - 1];
  int last_is_dir = stat(last, &st) == 0 && S_ISDIR(st.st_mode);
  if (n == 2 && !last_is_dir) return move(ops[0], last);
  if (!last_is_dir) {
    int e = errno;
    if (stat(last, &st) == 0) e = ENOTDIR;
    fprintf(stderr, "%s: target '%s': %s\n", prog, last, strerror(e));
    return 1;
  }
  for (int i = 0; i < n - 1; i++) {
    char *name = base_name(ops[i]);
    char *dest = concat(last, name);
    status |= move(ops[i], dest);
    free(name);
    free(dest);
  }
  return status;
}
