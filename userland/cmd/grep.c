/* grep: print lines that match patterns.
 * Usage: grep [OPTION]... PATTERNS [FILE]...     grep [OPTION]... -e PATTERNS... [FILE]...
 *   -G  basic regular expressions (default)   -E  extended regular expressions
 *   -F  fixed strings                         -e PATTERNS  patterns to use (may be repeated)
 *   -i  ignore case       -v  select non-matching lines
 *   -w  match whole words only                -x  match whole lines only
 *   -c  print a count of selected lines per file
 *   -l  print only names of files with selected lines
 *   -L  print only names of files without selected lines
 *   -n  prefix lines with their line numbers  -H / -h  always / never prefix file names
 *   -q  quiet: exit 0 at the first selected line
 *   -s  no messages about missing or unreadable files
 *   -r  search directories recursively (symbolic links only on the command line), -R all links
 * PATTERNS holds one pattern per line. Regular expressions are <regex.h>'s (musl's, with the
 * GNU extensions \| \+ \? \w \< \>). A file with a NUL byte is binary: its first selected line
 * is reported as "grep: FILE: binary file matches" on stderr, as GNU grep 3.5+ does, and a
 * NUL ends a line there as a newline does (for matching and counting, as in GNU grep).
 * Exit status: 0 a line was selected, 1 none, 2 an error (unless -q and a line was selected).
 * Directories under -r are searched in strcmp order of names. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/io.h"
#include "../lib/path.h"
#include "../lib/util.h"

#define BUFSIZE 65536

const char *prog = "grep";

enum mode { BASIC, EXTENDED, FIXED };
static enum mode mode = BASIC;
static int ignore_case, invert, word, whole_line, count_only, list_matching, list_nonmatching;
static int line_numbers, quiet, no_messages, recursive, follow_all;
static int with_names = -2; /* -H 1, -h 0, or -2: by the operands */
static int names_mode;       /* 1, 0, or -1: only under a directory operand */
static int show_names;       /* for the file being searched */

struct pattern {
  regex_t re;
  char *text; /* for -F: the string, lower-cased under -i */
  size_t len;
};
static struct pattern *patterns;
static size_t npatterns;
static char **pattern_args;
static size_t npattern_args;

static int any_selected = 0, had_error = 0;
static char *lower; /* -F -i: the line in lower case */
static size_t lower_cap;

static const char *regex_message(int code) {
  switch (code) {
  case REG_ECOLLATE: return "Invalid collation character";
  case REG_ECTYPE: return "Invalid character class name";
  case REG_EESCAPE: return "Trailing backslash";
  case REG_ESUBREG: return "Invalid back reference";
  case REG_EBRACK: return "Unmatched [, [^, [:, [., or [=";
  case REG_EPAREN: return "Unmatched ( or \\(";
  case REG_EBRACE: return "Unmatched \\{";
  case REG_BADBR: return "Invalid content of \\{\\}";
  case REG_ERANGE: return "Invalid range end";
  case REG_ESPACE: return "Memory exhausted";
  case REG_BADRPT: return "Invalid preceding regular expression";
  default: return "Invalid regular expression";
  }
}

static void add_pattern(const char *p, size_t len) {
  patterns = xrealloc(patterns, (npatterns + 1) * sizeof *patterns);
  struct pattern *pat = &patterns[npatterns++];
  pat->text = xmalloc(len + 1);
  memcpy(pat->text, p, len);
  pat->text[len] = '\0';
  pat->len = len;
  if (mode == FIXED) {
    if (ignore_case)
      for (size_t i = 0; i < len; i++) pat->text[i] = (char)tolower((unsigned char)pat->text[i]);
    return;
  }
  int flags = (mode == EXTENDED ? REG_EXTENDED : 0) | (ignore_case ? REG_ICASE : 0);
  int r = regcomp(&pat->re, pat->text, flags);
  if (r) die("%s", regex_message(r));
}

/* Each argument of -e (or the PATTERNS operand) holds patterns separated by newlines. */
static void compile_patterns(void) {
  for (size_t i = 0; i < npattern_args; i++) {
    const char *p = pattern_args[i];
    for (;;) {
      const char *nl = strchr(p, '\n');
      add_pattern(p, nl ? (size_t)(nl - p) : strlen(p));
      if (!nl) break;
      p = nl + 1;
    }
  }
}

static int word_char(unsigned char c) {
  return isalnum(c) || c == '_';
}

static int word_bounded(const char *line, size_t len, size_t so, size_t eo) {
  return (so == 0 || !word_char((unsigned char)line[so - 1])) && (eo == len || !word_char((unsigned char)line[eo]));
}

/* The first occurrence of NEEDLE in HAY, or NULL. */
static const char *find_bytes(const char *hay, size_t n, const char *needle, size_t m) {
  if (m == 0) return hay;
  while (n >= m) {
    const char *p = memchr(hay, needle[0], n - m + 1);
    if (!p) return NULL;
    if (memcmp(p, needle, m) == 0) return p;
    n -= (size_t)(p + 1 - hay);
    hay = p + 1;
  }
  return NULL;
}

static int fixed_match(const struct pattern *pat, const char *line, size_t len) {
  if (whole_line) return len == pat->len && memcmp(line, pat->text, len) == 0;
  if (pat->len > len) return 0;
  for (size_t i = 0; i + pat->len <= len; i++) {
    const char *hit = find_bytes(line + i, len - i, pat->text, pat->len);
    if (!hit) return 0;
    i = (size_t)(hit - line);
    if (!word || word_bounded(line, len, i, i + pat->len)) return 1;
  }
  return 0;
}

/* Whether RE matches exactly LINE[so, eo) (a copy, so the regex sees its true end). */
static int matches_exactly(const regex_t *re, const char *line, size_t len, size_t so, size_t eo, char **scratch,
                           size_t *cap) {
  if (*cap < eo - so + 1) {
    *cap = eo - so + 1;
    *scratch = xrealloc(*scratch, *cap);
  }
  memcpy(*scratch, line + so, eo - so);
  (*scratch)[eo - so] = '\0';
  regmatch_t m;
  int flags = (so > 0 ? REG_NOTBOL : 0) | (eo < len ? REG_NOTEOL : 0);
  return regexec(re, *scratch, 1, &m, flags) == 0 && m.rm_so == 0 && (size_t)m.rm_eo == eo - so;
}

/* LINE is NUL-terminated at LEN and has no NUL before. */
static int regex_match(const regex_t *re, const char *line, size_t len) {
  regmatch_t m;
  if (!word && !whole_line) return regexec(re, line, 1, &m, 0) == 0;
  if (whole_line) return regexec(re, line, 1, &m, 0) == 0 && m.rm_so == 0 && (size_t)m.rm_eo == len;
  static char *scratch;
  static size_t cap;
  for (size_t start = 0; start <= len;) {
    if (regexec(re, line + start, 1, &m, start ? REG_NOTBOL : 0) != 0) return 0;
    size_t so = start + (size_t)m.rm_so, eo = start + (size_t)m.rm_eo;
    if (word_bounded(line, len, so, eo)) return 1;
    /* A shorter match from the same start may end on a word boundary. */
    for (size_t e = eo; e > so;) {
      e--;
      if (word_bounded(line, len, so, e) && matches_exactly(re, line, len, so, e, &scratch, &cap)) return 1;
    }
    start = so + 1;
  }
  return 0;
}

/* LINE[len] may be overwritten (it is the newline or spare room). */
static int line_matches(char *line, size_t len) {
  const char *text = line;
  if (mode == FIXED && ignore_case) {
    if (lower_cap < len + 1) lower = xrealloc(lower, lower_cap = len + 1);
    for (size_t i = 0; i < len; i++) lower[i] = (char)tolower((unsigned char)line[i]);
    text = lower;
  }
  for (size_t i = 0; i < npatterns; i++) {
    if (mode == FIXED) {
      if (fixed_match(&patterns[i], text, len)) return 1;
      continue;
    }
    /* A regex sees a NUL-terminated string (a line has no NUL: see end_of_line). */
    char saved = line[len];
    line[len] = '\0';
    int found = regex_match(&patterns[i].re, line, len);
    line[len] = saved;
    if (found) return 1;
  }
  return 0;
}

static void error_msg(const char *name, int e) {
  had_error = 1;
  fflush(stdout);
  if (!no_messages) fprintf(stderr, "%s: %s: %s\n", prog, name, strerror(e));
}

struct file_state {
  const char *name;
  unsigned long long lineno, count;
  int binary;
};

/* One line of a file (LINE[len] is writable); returns 1 to stop reading the file. */
static int handle_line(struct file_state *f, char *line, size_t len) {
  f->lineno++;
  if (line_matches(line, len) == invert) return 0;
  f->count++;
  any_selected = 1;
  if (quiet) exit(0);
  if (list_matching || list_nonmatching) return 1;
  if (count_only) return 0;
  if (f->binary) {
    fflush(stdout);
    fprintf(stderr, "%s: %s: binary file matches\n", prog, f->name);
    return 1;
  }
  if (show_names) printf("%s:", f->name);
  if (line_numbers) printf("%llu:", f->lineno);
  fwrite(line, 1, len, stdout);
  putchar('\n');
  return 0;
}

/* The end of the line at P: its newline, or in a binary file also a NUL, which GNU grep
 * treats as a line end too (so -c and -v count the pieces between NULs). */
static char *end_of_line(char *p, size_t n, int binary) {
  if (!binary) return memchr(p, '\n', n);
  for (size_t i = 0; i < n; i++)
    if (p[i] == '\n' || p[i] == '\0') return p + i;
  return NULL;
}

/* Search one open file. */
static void grep_fd(int fd, const char *name) {
  static char *buf;
  static size_t cap;
  size_t used = 0, start = 0;
  int eof = 0, stop = 0;
  struct file_state f = {name, 0, 0, 0};
  if (!buf) buf = xmalloc(cap = 2 * BUFSIZE);
  for (;;) {
    char *nl;
    while (!stop && (nl = end_of_line(buf + start, used - start, f.binary))) {
      stop = handle_line(&f, buf + start, (size_t)(nl - (buf + start)));
      start = (size_t)(nl + 1 - buf);
    }
    if (stop) break;
    if (eof) {
      if (start < used) handle_line(&f, buf + start, used - start);
      break;
    }
    memmove(buf, buf + start, used - start); /* keep the unfinished line */
    used -= start;
    start = 0;
    if (cap - used < BUFSIZE + 1) buf = xrealloc(buf, cap *= 2);
    ssize_t n = read(fd, buf + used, cap - used - 1);
    if (n < 0) {
      if (errno == EINTR) continue;
      error_msg(name, errno);
      break;
    }
    if (n == 0) eof = 1;
    else if (memchr(buf + used, '\0', (size_t)n)) f.binary = 1;
    used += (size_t)n;
  }
  if (count_only) {
    if (show_names) printf("%s:", name);
    printf("%llu\n", f.count);
  }
  if (list_matching && f.count) printf("%s\n", name);
  if (list_nonmatching && !f.count) printf("%s\n", name);
}

static void grep_path(const char *path, const char *shown, int command_line);

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void grep_dir(const char *path, const char *shown) {
  size_t n;
  int err;
  char **names = dir_names(path, &n, &err);
  if (!names) {
    error_msg(shown, errno);
    return;
  }
  qsort(names, n, sizeof *names, by_name);
  for (size_t i = 0; i < n; i++) {
    char *child = path_join(path, names[i]);
    /* "grep -r" with no operand searches "." and names files without "./". */
    char *child_shown = strcmp(shown, ".") == 0 && strcmp(path, ".") == 0 ? xstrdup(names[i]) : path_join(shown, names[i]);
    grep_path(child, child_shown, 0);
    free(child);
    free(child_shown);
    free(names[i]);
  }
  free(names);
}

static void grep_path(const char *path, const char *shown, int command_line) {
  struct stat st;
  if (strcmp(path, "-") == 0 && command_line) {
    show_names = names_mode == 1;
    grep_fd(0, "(standard input)");
    return;
  }
  int follow = command_line || follow_all;
  if ((follow ? stat(path, &st) : lstat(path, &st)) != 0) {
    if (!command_line && errno == ENOENT) return; /* vanished, or a dangling link */
    error_msg(shown, errno);
    return;
  }
  if (command_line) show_names = names_mode == -1 ? S_ISDIR(st.st_mode) : names_mode;
  if (S_ISLNK(st.st_mode)) return; /* -r: links below the command line are not followed */
  if (S_ISDIR(st.st_mode)) {
    if (recursive) grep_dir(path, shown);
    else error_msg(shown, EISDIR);
    return;
  }
  if (!command_line && !S_ISREG(st.st_mode)) return; /* devices, fifos found by -r */
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    error_msg(shown, errno);
    return;
  }
  grep_fd(fd, shown);
  close(fd);
}

int main(int argc, char **argv) {
  int c;
  exit_failure = 2;
  usage_synopsis = "[OPTION]... PATTERNS [FILE]...";
  while ((c = next_option(argc, argv, ":EFGiyvwxclLnhHqsrRe:")) != -1) {
    switch (c) {
    case 'E': mode = EXTENDED; break;
    case 'F': mode = FIXED; break;
    case 'G': mode = BASIC; break;
    case 'i':
    case 'y': ignore_case = 1; break;
    case 'v': invert = 1; break;
    case 'w': word = 1; break;
    case 'x': whole_line = 1; break;
    case 'c': count_only = 1; break;
    case 'l': list_matching = 1, list_nonmatching = 0; break;
    case 'L': list_nonmatching = 1, list_matching = 0; break;
    case 'n': line_numbers = 1; break;
    case 'h': with_names = 0; break;
    case 'H': with_names = 1; break;
    case 'q': quiet = 1; break;
    case 's': no_messages = 1; break;
    case 'R': follow_all = 1; /* fall through */
    case 'r': recursive = 1; break;
    case 'e':
      pattern_args = xrealloc(pattern_args, (npattern_args + 1) * sizeof *pattern_args);
      pattern_args[npattern_args++] = optarg;
      break;
    }
  }
  if (!npattern_args) {
    if (optind >= argc) try_help();
    pattern_args = &argv[optind++];
    npattern_args = 1;
  }
  compile_patterns();
  static char outbuf[BUFSIZE];
  setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
  int nfiles = argc - optind;
  names_mode = with_names != -2 ? with_names : nfiles > 1 ? 1 : recursive ? -1 : 0;
  if (nfiles == 0 && recursive) {
    show_names = names_mode != 0;
    grep_path(".", ".", 0);
  } else if (nfiles == 0) {
    show_names = names_mode == 1;
    grep_fd(0, "(standard input)");
  }
  for (int i = optind; i < argc; i++) grep_path(argv[i], argv[i], 1);
  flush_stdout();
  if (quiet && any_selected) return 0;
  return had_error ? 2 : any_selected ? 0 : 1;
}
