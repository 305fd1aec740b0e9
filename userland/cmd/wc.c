/*
 * wc: print newline, word, character and byte counts of files.
 *
 * Usage: wc [-clmw] [FILE...]
 *   -l  newlines      -w  words      -m  characters      -c  bytes
 * Without options, -lwc. The counts print in the order lines, words, characters, bytes, then the
 * name, in columns as wide as GNU wc makes them (from the sizes of the inputs: at least 7 when one
 * is not a regular file; 1 for a single count of a single input), and a "total" line when there are
 * several FILEs. Text is taken as UTF-8, as GNU wc does in a UTF-8 locale: -m counts valid
 * characters (a byte that is not part of one is not a character); a word is a run of printable
 * characters between white space (including Unicode spaces and no-break spaces), and other
 * characters neither start nor end a word. A FILE of "-", or no FILE, is standard input.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/io.h"
#include "../lib/util.h"

#define BUFSIZE (64 * 1024)

struct counts {
  uintmax_t lines, words, chars, bytes;
};

static bool print_lines, print_words, print_chars, print_bytes;
static int width = 1;
static struct counts total;
const char *prog = "wc";

/* White space for words: ASCII's, Unicode's, and the no-break spaces GNU wc also counts. */
static bool is_space(uint32_t c) {
  if (c == ' ' || (c >= '\t' && c <= '\r')) return true;
  if (c < 0xa0) return false;
  return c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
         c == 0x205f || c == 0x2060 || c == 0x3000;
}

/* Printable: not a control character, a noncharacter or past Unicode's end. (Unassigned code points
 * count as printable; glibc's tables say otherwise.) */
static bool is_printable(uint32_t c) {
  if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c > 0x10ffff) return false;
  return (c & 0xfffe) != 0xfffe && !(c >= 0xfdd0 && c <= 0xfdef);
}

/* The UTF-8 decoder's state between buffers. */
struct decoder {
  int need;          /* continuation bytes still expected */
  uint32_t code;     /* the character so far */
  unsigned char lo, hi; /* the range of the next byte */
  bool in_word;
};

static void count_char(struct counts *n, struct decoder *d, uint32_t c) {
  n->chars++;
  if (c == '\n') n->lines++;
  if (is_space(c)) {
    d->in_word = false;
  } else if (is_printable(c)) {
    if (!d->in_word) n->words++;
    d->in_word = true;
  }
}

/* Starts a character at byte b (which is not a continuation of the one before). */
static void start_char(struct counts *n, struct decoder *d, unsigned char b) {
  d->lo = 0x80;
  d->hi = 0xbf;
  if (b < 0x80) {
    count_char(n, d, b);
    return;
  }
  if (b >= 0xc2 && b <= 0xdf) {
    d->need = 1, d->code = b & 0x1f;
  } else if (b >= 0xe0 && b <= 0xef) {
    d->need = 2, d->code = b & 0x0f;
    if (b == 0xe0) d->lo = 0xa0; /* no overlong forms */
    if (b == 0xed) d->hi = 0x9f; /* no surrogates */
  } else if (b >= 0xf0 && b <= 0xf7) { /* past U+10FFFF too, and the 5 and 6 byte forms, as glibc */
    d->need = 3, d->code = b & 0x07;
    if (b == 0xf0) d->lo = 0x90;
  } else if (b >= 0xf8 && b <= 0xfb) {
    d->need = 4, d->code = b & 0x03;
    if (b == 0xf8) d->lo = 0x88;
  } else if (b >= 0xfc && b <= 0xfd) {
    d->need = 5, d->code = b & 0x01;
    if (b == 0xfc) d->lo = 0x84;
  }
  /* else: not a character; skipped */
}

static void count_utf8(struct counts *n, struct decoder *d, const unsigned char *p, size_t len) {
  for (size_t i = 0; i < len; i++) {
    unsigned char b = p[i];
    if (d->need > 0) {
      if (b >= d->lo && b <= d->hi) {
        d->code = d->code << 6 | (b & 0x3f);
        d->lo = 0x80, d->hi = 0xbf;
        if (--d->need == 0) count_char(n, d, d->code);
        continue;
      }
      d->need = 0; /* a broken sequence is no character; b starts afresh */
    }
    start_char(n, d, b);
  }
}

static uintmax_t count_newlines(const char *p, size_t len) {
  uintmax_t n = 0;
  for (const char *end = p + len; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) n++;
  return n;
}

static void print_counts(const struct counts *n, const char *name) {
  const char *sep = "";
  if (print_lines) printf("%s%*" PRIuMAX, sep, width, n->lines), sep = " ";
  if (print_words) printf("%s%*" PRIuMAX, sep, width, n->words), sep = " ";
  if (print_chars) printf("%s%*" PRIuMAX, sep, width, n->chars), sep = " ";
  if (print_bytes) printf("%s%*" PRIuMAX, sep, width, n->bytes);
  if (name) printf(" %s", name);
  putchar('\n');
}

/* An input's counts so far, and the state of its decoder between chunks. */
struct counting {
  struct counts *n;
  struct decoder d;
};

static void count_chunk(const char *p, size_t len, void *arg) {
  struct counting *c = arg;
  c->n->bytes += (uintmax_t)len;
  if (print_words || print_chars)
    count_utf8(c->n, &c->d, (const unsigned char *)p, len);
  else
    c->n->lines += count_newlines(p, len);
}

/* Counts descriptor fd; false after a read error (the counts so far are still printed). */
static bool count_fd(int fd, const char *name, struct counts *n) {
  struct counting c = {n, {0}};
  return read_chunks(fd, name, count_chunk, &c);
}

/* Counts one operand (NULL: standard input, unnamed) and prints its line. */
static bool wc_file(const char *name) {
  struct counts n = {0};
  bool is_stdin = !name || strcmp(name, "-") == 0;
  int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY);
  if (fd < 0) {
    fprintf(stderr, "%s: %s: %s\n", prog, name, strerror(errno));
    return false;
  }
  bool ok = count_fd(fd, is_stdin && !name ? "standard input" : name, &n);
  if (!is_stdin) close(fd);
  print_counts(&n, name);
  total.lines += n.lines;
  total.words += n.words;
  total.chars += n.chars;
  total.bytes += n.bytes;
  return ok;
}

/* The column width GNU wc uses: the digits of the inputs' total size, at least 7 when one of
 * them is not a regular file; 1 when a single input gets a single count. */
static int column_width(int n_files, char **files, int n_counts) {
  if (n_files <= 1 && n_counts == 1) return 1;
  uintmax_t size = 0;
  int minimum = 1, digits = 1;
  for (int i = 0; i < (n_files ? n_files : 1); i++) {
    struct stat st;
    bool is_stdin = n_files == 0 || strcmp(files[i], "-") == 0;
    if ((is_stdin ? fstat(STDIN_FILENO, &st) : stat(files[i], &st)) != 0) continue;
    if (S_ISREG(st.st_mode))
      size += (uintmax_t)st.st_size;
    else
      minimum = 7;
  }
  for (; size >= 10; size /= 10) digits++;
  return digits > minimum ? digits : minimum;
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {{"bytes", no_argument, NULL, 'c'},
                                           {"chars", no_argument, NULL, 'm'},
                                           {"lines", no_argument, NULL, 'l'},
                                           {"words", no_argument, NULL, 'w'},
                                           {NULL, 0, NULL, 0}};
  int c;
  while ((c = next_long_option(argc, argv, ":clmw", longopts)) != -1) {
    switch (c) {
    case 'c': print_bytes = true; break;
    case 'l': print_lines = true; break;
    case 'm': print_chars = true; break;
    case 'w': print_words = true; break;
    }
  }
  if (!print_lines && !print_words && !print_chars && !print_bytes) print_lines = print_words = print_bytes = true;
  static char outbuf[BUFSIZE];
  setvbuf(stdout, outbuf, _IOLBF, sizeof outbuf); /* each line out before the next file's messages */
  int n_files = argc - optind;
  width = column_width(n_files, argv + optind, print_lines + print_words + print_chars + print_bytes);
  bool ok = true;
  if (n_files == 0) ok = wc_file(NULL);
  for (int i = optind; i < argc; i++)
    if (!wc_file(argv[i])) ok = false;
  if (n_files > 1) print_counts(&total, "total");
  flush_stdout();
  return ok ? 0 : 1;
}
