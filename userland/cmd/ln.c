/* ln: make links between files.
 * Usage: ln [-f] [-s] TARGET [LINK_NAME]     ln [-f] [-s] TARGET... DIRECTORY
 *   -s  make symbolic links instead of hard links
 *   -f  remove existing destination files first
 * With one operand the link is made in the current directory; when the last operand is a
 * directory, each TARGET is linked into it under its own base name. Hard links are made to a
 * symbolic link itself, not its target (GNU's -P, the default on Linux). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BADSTATUS 1
static const char *prog = "ln";

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

static int symbolic = 0, force = 0;

static const char *base_name(const char *path, char *buf, size_t size) {
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') n--;
  size_t start = n;
  while (start > 0 && path[start - 1] != '/') start--;
  snprintf(buf, size, "%.*s", (int)(n - start), path + start);
  return buf;
}

/* DIR/NAME as GNU builds it: no doubled slash. */
static char *concat(const char *dir, const char *name) {
  size_t dl = strlen(dir);
  char *p = malloc(dl + strlen(name) + 2);
  if (!p) return NULL;
  sprintf(p, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", name);
  return p;
}

static int make_link(const char *source, const char *dest) {
  struct stat sst, dst;
  if (!symbolic) {
    if (lstat(source, &sst) != 0) {
      fprintf(stderr, "%s: failed to access '%s': %s\n", prog, source, strerror(errno));
      return 1;
    }
    if (S_ISDIR(sst.st_mode)) {
      fprintf(stderr, "%s: %s: hard link not allowed for directory\n", prog, source);
      return 1;
    }
  }
  if (force && lstat(dest, &dst) == 0) {
    if (!symbolic && sst.st_dev == dst.st_dev && sst.st_ino == dst.st_ino) {
      fprintf(stderr, "%s: '%s' and '%s' are the same file\n", prog, source, dest);
      return 1;
    }
    if (S_ISDIR(dst.st_mode)) {
      fprintf(stderr, "%s: cannot remove '%s': %s\n", prog, dest, strerror(EISDIR));
      return 1;
    }
    if (unlink(dest) != 0 && errno != ENOENT) {
      fprintf(stderr, "%s: cannot remove '%s': %s\n", prog, dest, strerror(errno));
      return 1;
    }
  }
  if (symbolic) {
    if (symlink(source, dest) != 0) {
      fprintf(stderr, "%s: failed to create symbolic link '%s': %s\n", prog, dest, strerror(errno));
      return 1;
    }
  } else if (link(source, dest) != 0) {
    int e = errno;
    if (e == EEXIST || e == ENOSPC || e == EROFS)
      fprintf(stderr, "%s: failed to create hard link '%s': %s\n", prog, dest, strerror(e));
    else
      fprintf(stderr, "%s: failed to create hard link '%s' => '%s': %s\n", prog, dest, source, strerror(e));
    return 1;
  }
  return 0;
}

static int link_into(const char *source, const char *dir) {
  char name[4096];
  char *dest = concat(dir, base_name(source, name, sizeof name));
  if (!dest) {
    fprintf(stderr, "%s: %s\n", prog, strerror(ENOMEM));
    return 1;
  }
  int r = make_link(source, dest);
  free(dest);
  return r;
}

int main(int argc, char **argv) {
  int c, status = 0;
  permute(argc, argv, "fs");
  opterr = 0;
  while ((c = getopt(argc, argv, "fs")) != -1) {
    switch (c) {
    case 'f': force = 1; break;
    case 's': symbolic = 1; break;
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
  if (n == 1) return link_into(ops[0], ".");
  struct stat st;
  const char *last = ops[n - 1];
  int last_is_dir = stat(last, &st) == 0 && S_ISDIR(st.st_mode);
  if (n == 2 && !last_is_dir) return make_link(ops[0], last);
  if (!last_is_dir) {
    int e = errno;
    if (stat(last, &st) == 0) e = ENOTDIR;
    fprintf(stderr, "%s: target '%s': %s\n", prog, last, strerror(e));
    return 1;
  }
  for (int i = 0; i < n - 1; i++) status |= link_into(ops[i], last);
  return status;
}
