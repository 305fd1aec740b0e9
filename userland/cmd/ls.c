/* ls: list directory contents.
 * Usage: ls [-1ACFRSadlnrt] [FILE]...
 *   -a  include names starting with '.'      -A  the same but not . and ..
 *   -l  long format: mode, links, owner, group (as numbers: WASI has no users), size,
 *       modification time ("Mon DD HH:MM", or "Mon DD  YYYY" when older than six months or in
 *       the future), name, and "-> target" for symbolic links; -n is the same
 *   -1  one name per line (the default when standard output is not a terminal)
 *   -C  names in columns (the default on a terminal; width from COLUMNS, else 80)
 *   -d  list directories themselves, not their contents
 *   -F  append an indicator: / directory, @ symbolic link, | FIFO, = socket, * executable
 *   -R  list subdirectories recursively
 *   -r  reverse the order    -t  newest first    -S  largest first    (names: strcmp order)
 * Files named on the command line come first, then each directory with a "NAME:" header when
 * there are several operands or -R, separated by blank lines, as GNU ls.
 * Names are printed as they are (GNU quotes unusual names on a terminal). WASI gives no
 * permission bits, so the mode shows none, and no block counts, so "total" is from st_blocks.
 * Exit status: 0, 1 for a problem inside a directory, 2 for an inaccessible operand. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../lib/io.h"
#include "../lib/path.h"
#include "../lib/util.h"

const char *prog = "ls";

enum format { LONG, ONE_PER_LINE, COLUMNS };
enum sort { BY_NAME, BY_TIME, BY_SIZE };
static enum format format;
static enum sort sort_by = BY_NAME;
static int all, almost_all, immediate_dirs, classify, recursive, reverse;
static int status = 0;
static int line_length = 80;
static struct timespec now;

struct entry {
  char *name;    /* as shown */
  char *path;    /* to stat and readlink */
  struct stat st;
  int stat_ok;
  char *link;    /* -l: a symbolic link's target */
  mode_t link_mode; /* and the target's mode, 0 when it cannot be reached */
};

struct list {
  struct entry *v;
  size_t n, cap;
};

static void warn_errno(const char *fmt, const char *name, int e) {
  fflush(stdout);
  fprintf(stderr, "%s: ", prog);
  fprintf(stderr, fmt, name);
  fprintf(stderr, ": %s\n", strerror(e));
}

static struct entry *add(struct list *l) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 32;
    l->v = xrealloc(l->v, l->cap * sizeof *l->v);
  }
  struct entry *e = &l->v[l->n++];
  memset(e, 0, sizeof *e);
  return e;
}

static void free_list(struct list *l) {
  for (size_t i = 0; i < l->n; i++) {
    free(l->v[i].name);
    free(l->v[i].path);
    free(l->v[i].link);
  }
  free(l->v);
  l->v = NULL;
  l->n = l->cap = 0;
}

/* For -l: a symbolic link's target and the target's mode. */
static void read_link(struct entry *e) {
  if (format != LONG || !e->stat_ok || !S_ISLNK(e->st.st_mode)) return;
  size_t size = (size_t)e->st.st_size + 1;
  if (size < 256) size = 256;
  char *buf = xmalloc(size);
  ssize_t n = readlink(e->path, buf, size - 1);
  if (n < 0) {
    warn_errno("cannot read symbolic link '%s'", e->path, errno);
    status = status > 1 ? status : 1;
    free(buf);
    return;
  }
  buf[n] = '\0';
  e->link = buf;
  struct stat target;
  if (stat(e->path, &target) == 0) e->link_mode = target.st_mode;
}

/* ---- sorting ---- */

static int tscmp(struct timespec a, struct timespec b) {
  if (a.tv_sec != b.tv_sec) return a.tv_sec < b.tv_sec ? -1 : 1;
  return a.tv_nsec < b.tv_nsec ? -1 : a.tv_nsec > b.tv_nsec;
}

static int compare(const void *pa, const void *pb) {
  const struct entry *a = pa, *b = pb;
  int d = 0;
  if (sort_by == BY_TIME) d = tscmp(b->st.st_mtim, a->st.st_mtim);
  else if (sort_by == BY_SIZE) d = b->st.st_size < a->st.st_size ? -1 : b->st.st_size > a->st.st_size;
  if (!d) d = strcmp(a->name, b->name);
  return reverse ? -d : d;
}

static void sort_list(struct list *l) {
  if (l->n > 1) qsort(l->v, l->n, sizeof *l->v, compare);
}

/* ---- names and indicators ---- */

static char indicator(mode_t mode) {
  if (S_ISDIR(mode)) return '/';
  if (S_ISLNK(mode)) return '@';
  if (S_ISFIFO(mode)) return '|';
  if (S_ISSOCK(mode)) return '=';
  if (S_ISREG(mode) && (mode & 0111)) return '*';
  return 0;
}

static size_t name_width(const struct entry *e) {
  return strlen(e->name) + (classify && e->stat_ok && indicator(e->st.st_mode) ? 1 : 0);
}

static void print_name(const struct entry *e) {
  fputs(e->name, stdout);
  if (classify && e->stat_ok) {
    char c = indicator(e->st.st_mode);
    if (c) putchar(c);
  }
}

/* ---- formats ---- */

static void print_one_per_line(const struct list *l) {
  for (size_t i = 0; i < l->n; i++) {
    print_name(&l->v[i]);
    putchar('\n');
  }
}

/* Pad from column FROM to column TO with tabs and spaces, as GNU ls (tab stops every 8). */
static void indent(size_t from, size_t to) {
  while (from < to) {
    if (to / 8 > (from + 1) / 8) {
      putchar('\t');
      from += 8 - from % 8;
    } else {
      putchar(' ');
      from++;
    }
  }
}

/* Columns, filled top to bottom: the most columns whose widths (each name + 2, the last
 * column without) fit in fewer than line_length characters (GNU's calculate_columns). */
static void print_columns(const struct list *l) {
  size_t n = l->n;
  if (!n) return;
  size_t max_cols = (size_t)line_length / 3;
  if (max_cols < 1) max_cols = 1;
  if (max_cols > n) max_cols = n;
  size_t *widths = xmalloc(max_cols * sizeof *widths);
  size_t cols, rows = n;
  for (cols = max_cols; cols > 1; cols--) {
    rows = (n + cols - 1) / cols;
    memset(widths, 0, cols * sizeof *widths);
    size_t total = 0;
    int fits = 1;
    for (size_t i = 0; i < n && fits; i++) {
      size_t col = i / rows, w = name_width(&l->v[i]) + (col == cols - 1 ? 0 : 2);
      if (w > widths[col]) {
        total += w - widths[col];
        widths[col] = w;
        fits = total < (size_t)line_length;
      }
    }
    if (fits) break;
  }
  if (cols == 1) {
    rows = n;
  }
  /* GNU uses (n + cols - 1) / cols files per column when computing, which can leave the last
     columns empty; recompute the widths for the layout that is printed. */
  if (cols > 1) {
    memset(widths, 0, cols * sizeof *widths);
    for (size_t i = 0; i < n; i++) {
      size_t col = i / rows, w = name_width(&l->v[i]) + 2;
      if (w > widths[col]) widths[col] = w;
    }
  }
  for (size_t row = 0; row < rows; row++) {
    size_t pos = 0;
    for (size_t col = 0, i = row; i < n; col++) {
      const struct entry *e = &l->v[i];
      print_name(e);
      i += rows;
      if (i >= n) break;
      indent(pos + name_width(e), pos + widths[col]);
      pos += widths[col];
    }
    putchar('\n');
  }
  free(widths);
}

static void mode_string(mode_t m, char *s) {
  s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p'
       : S_ISSOCK(m) ? 's' : '-';
  const char *rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; i++) s[1 + i] = (m & (0400 >> i)) ? rwx[i] : '-';
  if (m & S_ISUID) s[3] = (m & 0100) ? 's' : 'S';
  if (m & S_ISGID) s[6] = (m & 0010) ? 's' : 'S';
  if (m & S_ISVTX) s[9] = (m & 0001) ? 't' : 'T';
  s[10] = '\0';
}

static int digits(unsigned long long v) {
  int n = 1;
  while (v >= 10) v /= 10, n++;
  return n;
}

static void format_time(struct timespec when, char *buf, size_t size) {
  if (tscmp(now, when) < 0) clock_gettime(CLOCK_REALTIME, &now);
  struct timespec six_months_ago = now;
  six_months_ago.tv_sec -= 31556952 / 2;
  int recent = tscmp(six_months_ago, when) < 0 && tscmp(when, now) < 0;
  time_t t = when.tv_sec;
  struct tm *tm = localtime(&t);
  if (!tm || !strftime(buf, size, recent ? "%b %e %H:%M" : "%b %e  %Y", tm))
    snprintf(buf, size, "%lld", (long long)when.tv_sec);
}

/* The widths of the -l columns. */
struct widths {
  int links, uid, gid, size;
};

static void measure(const struct list *l, struct widths *w) {
  for (size_t i = 0; i < l->n; i++) {
    const struct stat *st = &l->v[i].st;
    if (!l->v[i].stat_ok) continue;
    if (digits(st->st_nlink) > w->links) w->links = digits(st->st_nlink);
    if (digits(st->st_uid) > w->uid) w->uid = digits(st->st_uid);
    if (digits(st->st_gid) > w->gid) w->gid = digits(st->st_gid);
    if (digits((unsigned long long)st->st_size) > w->size) w->size = digits((unsigned long long)st->st_size);
  }
}

static void print_long(const struct list *l, const struct widths *w) {
  int wlinks = w->links, wuid = w->uid, wgid = w->gid, wsize = w->size;
  for (size_t i = 0; i < l->n; i++) {
    const struct entry *e = &l->v[i];
    const struct stat *st = &e->st;
    if (!e->stat_ok) {
      printf("?????????? %*s %*s %*s %*s %12s ", wlinks, "?", wuid, "?", wgid, "?", wsize, "?", "?");
      fputs(e->name, stdout);
      putchar('\n');
      continue;
    }
    char mode[11], date[64];
    mode_string(st->st_mode, mode);
    format_time(st->st_mtim, date, sizeof date);
    printf("%s %*llu %*u %*u %*lld %s ", mode, wlinks, (unsigned long long)st->st_nlink, wuid, (unsigned)st->st_uid,
           wgid, (unsigned)st->st_gid, wsize, (long long)st->st_size, date);
    fputs(e->name, stdout);
    if (S_ISLNK(st->st_mode)) {
      if (e->link) {
        fputs(" -> ", stdout);
        fputs(e->link, stdout);
        if (classify && e->link_mode) {
          char c = indicator(e->link_mode);
          if (c) putchar(c);
        }
      }
    } else if (classify) {
      char c = indicator(st->st_mode);
      if (c) putchar(c);
    }
    putchar('\n');
  }
}

/* W: the -l column widths, or NULL to measure L alone. */
static void print_list(const struct list *l, const struct widths *w) {
  struct widths own = {1, 1, 1, 1};
  if (format == LONG && !w) measure(l, &own);
  if (format == LONG) print_long(l, w ? w : &own);
  else if (format == COLUMNS) print_columns(l);
  else print_one_per_line(l);
}

/* ---- directories ---- */

static int first_dir = 1, print_dir_names = 0;

static int dot_or_dotdot(const char *name) {
  return name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]));
}

static void list_dir(const char *path, int command_line) {
  DIR *d = opendir(path);
  if (!d) {
    warn_errno("cannot open directory '%s'", path, errno);
    status = command_line ? 2 : status > 1 ? status : 1;
    return;
  }
  if (recursive || print_dir_names) {
    if (!first_dir) putchar('\n');
    printf("%s:\n", path);
  }
  first_dir = 0;
  struct list l = {0};
  struct dirent *de;
  errno = 0;
  while ((de = readdir(d))) {
    const char *name = de->d_name;
    if (name[0] == '.' && !all && (!almost_all || dot_or_dotdot(name))) continue;
    struct entry *e = add(&l);
    e->name = xstrdup(name);
    e->path = path_join(path, name);
    e->stat_ok = lstat(e->path, &e->st) == 0;
#ifdef ENOTCAPABLE
    /* ".." of a preopened directory is the sandbox's edge (ENOTCAPABLE): show the directory
       itself there, as Unix does for "/..". */
    if (!e->stat_ok && errno == ENOTCAPABLE && strcmp(name, "..") == 0) e->stat_ok = stat(path, &e->st) == 0;
#endif
    if (!e->stat_ok) {
      warn_errno("cannot access '%s'", e->path, errno);
      status = status > 1 ? status : 1;
    }
    read_link(e);
    errno = 0;
  }
  if (errno) {
    warn_errno("reading directory '%s'", path, errno);
    status = command_line ? 2 : status > 1 ? status : 1;
  }
  closedir(d);
  sort_list(&l);
  if (format == LONG) {
    unsigned long long blocks = 0;
    for (size_t i = 0; i < l.n; i++)
      if (l.v[i].stat_ok) blocks += (unsigned long long)l.v[i].st.st_blocks;
    printf("total %llu\n", (blocks + 1) / 2);
  }
  print_list(&l, NULL);
  if (recursive) {
    for (size_t i = 0; i < l.n; i++) {
      struct entry *e = &l.v[i];
      if (e->stat_ok && S_ISDIR(e->st.st_mode) && !dot_or_dotdot(e->name)) list_dir(e->path, 0);
    }
  }
  free_list(&l);
}

int main(int argc, char **argv) {
  int c;
  exit_failure = 2;
  format = isatty(1) ? COLUMNS : ONE_PER_LINE;
  const char *cols = getenv("COLUMNS");
  if (cols && *cols) {
    char *end;
    long v = strtol(cols, &end, 10);
    if (!*end && v > 0 && v < 100000) line_length = (int)v;
  }
  while ((c = next_option(argc, argv, "1ACFRSadlnrt")) != -1) {
    switch (c) {
    case '1':
      if (format != LONG) format = ONE_PER_LINE; /* as GNU: -1 does not undo -l */
      break;
    case 'C': format = COLUMNS; break;
    case 'l':
    case 'n': format = LONG; break;
    case 'A': almost_all = 1, all = 0; break;
    case 'a': all = 1, almost_all = 0; break;
    case 'F': classify = 1; break;
    case 'R': recursive = 1; break;
    case 'S': sort_by = BY_SIZE; break;
    case 't': sort_by = BY_TIME; break;
    case 'd': immediate_dirs = 1; break;
    case 'r': reverse = 1; break;
    }
  }
  if (immediate_dirs) recursive = 0;
  static char outbuf[65536];
  setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
  clock_gettime(CLOCK_REALTIME, &now);
  int nops = argc - optind;
  char *dot[] = {".", NULL};
  char **ops = nops ? argv + optind : dot;
  if (!nops) nops = 1;
  /* Operands: symbolic links are followed to directories unless -d, -F or -l. */
  int follow = !(immediate_dirs || classify || format == LONG);
  struct list files = {0}, dirs = {0};
  for (int i = 0; i < nops; i++) {
    struct stat st;
    int ok = 0;
    if (follow) {
      ok = stat(ops[i], &st) == 0;
      if (!(ok && S_ISDIR(st.st_mode)) && (ok || errno == ENOENT)) ok = lstat(ops[i], &st) == 0;
    } else {
      ok = lstat(ops[i], &st) == 0;
    }
    if (!ok) {
      warn_errno("cannot access '%s'", ops[i], errno);
      status = 2;
      continue;
    }
    struct entry *e = add(S_ISDIR(st.st_mode) && !immediate_dirs ? &dirs : &files);
    e->name = xstrdup(ops[i]);
    e->path = xstrdup(ops[i]);
    e->st = st;
    e->stat_ok = 1;
    read_link(e);
  }
  sort_list(&files);
  sort_list(&dirs);
  /* GNU measures the -l columns of the operands with the directories among them. */
  struct widths w = {1, 1, 1, 1};
  measure(&files, &w);
  measure(&dirs, &w);
  print_list(&files, &w);
  print_dir_names = nops > 1;
  if (files.n && dirs.n) putchar('\n');
  for (size_t i = 0; i < dirs.n; i++) list_dir(dirs.v[i].path, 1);
  free_list(&files);
  free_list(&dirs);
  flush_stdout();
  return status;
}
