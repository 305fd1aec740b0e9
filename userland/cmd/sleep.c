/*
 * sleep: pause for the total of the given time intervals.
 *
 * Usage: sleep NUMBER[SUFFIX]...
 * NUMBER may have decimals (or be "inf"); SUFFIX is s (seconds, the default), m (minutes), h (hours)
 * or d (days). Several operands add up. Waits with nanosleep. sleep has no options; an argument
 * beginning with '-' is refused as GNU sleep does.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../lib/util.h"

const char *prog = "sleep";

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
    if (errno != EINTR) die("cannot read realtime clock: %s", strerror(errno));
  }
}

int main(int argc, char **argv) {
  static const struct option no_options[] = {{NULL, 0, NULL, 0}};
  next_long_option(argc, argv, ":", no_options); /* refuses any option */
  if (optind == argc) usage_error("missing operand");
  double total = 0;
  bool ok = true;
  for (int i = optind; i < argc; i++) {
    double s = interval(argv[i]);
    if (s < 0) {
      fprintf(stderr, "%s: invalid time interval '%s'\n", prog, argv[i]);
      ok = false;
    } else {
      total += s;
    }
  }
  if (!ok) try_help();
  sleep_for(total);
  return 0;
}
