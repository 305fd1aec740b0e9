/*
 * sleep: pause for the total of the given time intervals.
 *
 * Usage: sleep NUMBER[SUFFIX]...
 * NUMBER may have decimals (or be "inf"); SUFFIX is s (seconds, the default), m (minutes), h (hours)
 * or d (days). Several operands add up. Waits with nanosleep. sleep has no options; an argument
 * beginning with '-' is refused as GNU sleep does.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PROG "sleep"

static void try_help(void) {
  fprintf(stderr, "Try '%s --help' for more information.\n", PROG);
  exit(1);
}

static void option_error(int argc, char **argv) {
  const char *arg = optind - 1 < argc ? argv[optind - 1] : NULL;
  if (optopt == 0 && arg)
    fprintf(stderr, "%s: unrecognized option '%s'\n", PROG, arg);
  else
    fprintf(stderr, "%s: invalid option -- '%c'\n", PROG, optopt);
  try_help();
}

/* The number of seconds `arg` means, or -1 when it is not a valid interval. */
static double interval(const char *arg) {
  char *end;
  errno = 0;
  double s = strtod(arg, &end);
  if (end == arg || isnan(s) || !(s >= 0)) return -1;
  if (errno == ERANGE && s != 0 && !isinf(s)) s = HUGE_VAL; /* too long: as good as forever */
  if (*end == '\0') return s;
  if (end[1] != '\0') return -1;
  switch (*end) {
  case 's': return s;
  case 'm': return s * 60;
  case 'h': return s * 60 * 60;
  case 'd': return s * 60 * 60 * 24;
  default: return -1;
  }
}

/* Sleeps `seconds` (capped at what a timespec holds), resuming after interruptions. */
static void sleep_for(double seconds) {
  struct timespec ts;
  double max = (double)INT64_MAX / 2; /* whatever time_t is, far beyond any real wait */
  if (seconds > max) seconds = max;
  ts.tv_sec = (time_t)seconds;
  ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
  if (ts.tv_nsec > 999999999) ts.tv_nsec = 999999999;
  if (ts.tv_nsec < 0) ts.tv_nsec = 0;
  while (nanosleep(&ts, &ts) != 0) {
    if (errno != EINTR) {
      fprintf(stderr, "%s: cannot read realtime clock: %s\n", PROG, strerror(errno));
      exit(1);
    }
  }
}

int main(int argc, char **argv) {
  static const struct option no_options[] = {{NULL, 0, NULL, 0}};
  opterr = 0;
  if (getopt_long(argc, argv, ":", no_options, NULL) != -1) option_error(argc, argv);
  if (optind == argc) {
    fprintf(stderr, "%s: missing operand\n", PROG);
    try_help();
  }
  double total = 0;
  bool ok = true;
  for (int i = optind; i < argc; i++) {
    double s = interval(argv[i]);
    if (s < 0) {
      fprintf(stderr, "%s: invalid time interval '%s'\n", PROG, argv[i]);
      ok = false;
    } else {
      total += s;
    }
  }
  if (!ok) try_help();
  sleep_for(total);
  return 0;
}
