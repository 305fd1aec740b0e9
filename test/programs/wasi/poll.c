/* poll.c: poll_oneoff. Zero subscriptions (EINVAL, as the spec says); a relative monotonic clock
 * (its event, its userdata, and about that long waited); an absolute monotonic clock and an
 * absolute realtime clock already past (each with a 1 s relative clock beside it, which must not
 * be the one that fires); two clocks (only the earlier fires); fd_read and fd_write on a regular
 * file (which "always trigger", as the spec says; fd_read with a nonzero nbytes); fd_read on
 * stdin holding piped input; fd_write on stdout (a pipe); several subscriptions at once with a
 * long clock (the fd events come back, the clock does not); an fd that is not open (its event
 * carries EBADF); an unknown event type (EINVAL).
 */
#include "check.h"

#define MS 1000000ull
#define LONG_TIMEOUT (5000 * MS)

static __wasi_fd_t file;

static __wasi_subscription_t clock_sub(__wasi_userdata_t ud, __wasi_clockid_t id, __wasi_timestamp_t timeout, int abs) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = id;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.flags = abs ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
  return s;
}

static __wasi_subscription_t fd_sub(__wasi_userdata_t ud, __wasi_eventtype_t type, __wasi_fd_t fd) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = type;
  s.u.u.fd_read.file_descriptor = fd;
  return s;
}

static __wasi_timestamp_t now(__wasi_clockid_t id) {
  __wasi_timestamp_t t = 0;
  return __wasi_clock_time_get(id, 0, &t) == OK ? t : 0;
}

/* "ud=N type=T error=E" for each event, sorted by userdata, into out. */
static const char *events_text(char *out, size_t size, const __wasi_event_t *ev, __wasi_size_t n) {
  size_t at = 0;
  out[0] = '\0';
  for (__wasi_userdata_t ud = 0; ud < 100; ud++)
    for (__wasi_size_t i = 0; i < n; i++)
      if (ev[i].userdata == ud && at < size)
        at += (size_t)snprintf(out + at, size - at, "%sud=%llu type=%u error=%u", at ? ", " : "",
                               (unsigned long long)ud, ev[i].type, ev[i].error);
  return out;
}

/* Polls subs; checks the call's errno and the events (as text), returns the time it took. */
static __wasi_timestamp_t poll_check(const char *name, const __wasi_subscription_t *subs, __wasi_size_t n,
                                     const char *want_events, __wasi_event_t *ev) {
  char label[96], text[300];
  __wasi_size_t got = 0;
  memset(ev, 0, n * sizeof *ev);
  __wasi_timestamp_t start = now(__WASI_CLOCKID_MONOTONIC);
  check(name, __wasi_poll_oneoff(subs, ev, n, &got), OK);
  __wasi_timestamp_t took = now(__WASI_CLOCKID_MONOTONIC) - start;
  snprintf(label, sizeof label, "%s events", name);
  report(label, events_text(text, sizeof text, ev, got), want_events);
  return took;
}

static void clocks(void) {
  __wasi_event_t ev[4];
  __wasi_size_t n;
  __wasi_subscription_t s[2];
  check("poll_oneoff no subscriptions", __wasi_poll_oneoff(s, ev, 0, &n), __WASI_ERRNO_INVAL);
  s[0] = clock_sub(7, __WASI_CLOCKID_MONOTONIC, 20 * MS, 0);
  check_yes("relative clock waited about 20ms",
            poll_check("relative clock", s, 1, "ud=7 type=0 error=0", ev) >= 15 * MS, 1);
  /* Absolute clocks get a 1 s relative clock beside them as a safety net: a runtime that reads
   * the absolute time as realtime, or a deadline already past as a huge unsigned delay (uvwasi
   * does both), would otherwise wait for decades. */
  s[0] = clock_sub(8, __WASI_CLOCKID_MONOTONIC, now(__WASI_CLOCKID_MONOTONIC) + 20 * MS, 1);
  s[1] = clock_sub(99, __WASI_CLOCKID_MONOTONIC, 1000 * MS, 0);
  check_yes("absolute clock waited until then",
            poll_check("absolute monotonic clock", s, 2, "ud=8 type=0 error=0", ev) >= 15 * MS, 1);
  s[0] = clock_sub(9, __WASI_CLOCKID_REALTIME, now(__WASI_CLOCKID_REALTIME) - 1000 * MS, 1);
  s[1] = clock_sub(99, __WASI_CLOCKID_MONOTONIC, 1000 * MS, 0);
  check_yes("past realtime deadline returns at once",
            poll_check("absolute realtime clock in the past", s, 2, "ud=9 type=0 error=0", ev) < 1000 * MS, 1);
  s[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 10 * MS, 0);
  s[1] = clock_sub(2, __WASI_CLOCKID_MONOTONIC, LONG_TIMEOUT, 0);
  check_yes("two clocks: the earlier one",
            poll_check("two clocks", s, 2, "ud=1 type=0 error=0", ev) < LONG_TIMEOUT, 1);
}

static void fds(void) {
  __wasi_event_t ev[4];
  __wasi_subscription_t s[3];
  s[0] = fd_sub(3, __WASI_EVENTTYPE_FD_READ, file);
  poll_check("fd_read on a file", s, 1, "ud=3 type=1 error=0", ev);
  check_yes("fd_read on a file reports bytes available", ev[0].fd_readwrite.nbytes > 0, 1);
  s[0] = fd_sub(4, __WASI_EVENTTYPE_FD_WRITE, file);
  poll_check("fd_write on a file", s, 1, "ud=4 type=2 error=0", ev);
  s[0] = fd_sub(5, __WASI_EVENTTYPE_FD_READ, 0);
  poll_check("fd_read on stdin with input", s, 1, "ud=5 type=1 error=0", ev);
  s[0] = fd_sub(6, __WASI_EVENTTYPE_FD_WRITE, 1);
  poll_check("fd_write on stdout", s, 1, "ud=6 type=2 error=0", ev);
  s[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, LONG_TIMEOUT, 0);
  s[1] = fd_sub(2, __WASI_EVENTTYPE_FD_READ, file);
  s[2] = fd_sub(3, __WASI_EVENTTYPE_FD_WRITE, file);
  __wasi_timestamp_t took = poll_check("several subscriptions", s, 3, "ud=2 type=1 error=0, ud=3 type=2 error=0", ev);
  check_yes("several: no wait for the clock", took < LONG_TIMEOUT, 1);
}

static void errors(void) {
  __wasi_event_t ev[4];
  __wasi_size_t n = 0;
  __wasi_subscription_t s[2];
  s[0] = fd_sub(1, __WASI_EVENTTYPE_FD_READ, 1234);
  s[1] = clock_sub(2, __WASI_CLOCKID_MONOTONIC, 1000 * MS, 0);
  poll_check("fd_read on a never-open fd", s, 2, "ud=1 type=1 error=8", ev);
  s[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 0, 0);
  s[0].u.tag = 3;
  check("unknown event type", __wasi_poll_oneoff(s, ev, 1, &n), __WASI_ERRNO_INVAL);
}

int main(void) {
  __wasi_fd_t dir = sandbox();
  make_file(dir, "ten", "0123456789");
  if (open_at(dir, "ten", 0, 0, &file) != OK) exit(98);
  clocks();
  fds();
  errors();
  return 0;
}
