// pollwait.c: waits with poll_oneoff, again and again, with timeouts from 0 to 20 ms, and checks each
// wait. `pollwait MODE COUNT [SEED]`:
//   idle   a read subscription on descriptor 1 (never readable) and a monotonic clock: the clock event
//          alone, never before its deadline;
//   clock  the clock alone (served in the task): the same checks;
//   drain  a read subscription on descriptor 0 and a clock, reading what is there each time it is
//          readable, until end of input (input arriving while waits time out: a reply racing a
//          timeout). Prints the bytes read.
// Ends with "pollwait MODE: N waits, E early, B bad" and exits 1 if any wait was early or wrong.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static __wasi_timestamp_t now(void) {
  __wasi_timestamp_t t = 0;
  if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t) != 0) return 0;
  return t;
}

static void clock_sub(__wasi_subscription_t *s, __wasi_timestamp_t timeout) {
  memset(s, 0, sizeof *s);
  s->userdata = 2;
  s->u.tag = __WASI_EVENTTYPE_CLOCK;
  s->u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s->u.u.clock.timeout = timeout;
}

static void read_sub(__wasi_subscription_t *s, int fd) {
  memset(s, 0, sizeof *s);
  s->userdata = 1;
  s->u.tag = __WASI_EVENTTYPE_FD_READ;
  s->u.u.fd_read.file_descriptor = fd;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: pollwait idle|clock|drain COUNT [SEED]\n");
    return 2;
  }
  const char *mode = argv[1];
  int count = atoi(argv[2]);
  unsigned seed = argc > 3 ? (unsigned)atoi(argv[3]) : 1;
  int drain = strcmp(mode, "drain") == 0, idle = strcmp(mode, "idle") == 0;
  int early = 0, bad = 0, waits = 0;
  long long bytes = 0;
  for (int i = 0; drain || i < count; i++) {
    // 0 to 20 ms in steps of 10 us, in an order that mixes short and long waits.
    __wasi_timestamp_t timeout = (__wasi_timestamp_t)(((unsigned)i * 7919u + seed * 104729u) % 2001u) * 10000u;
    if (drain) timeout /= 4;
    __wasi_subscription_t subs[2];
    __wasi_event_t events[2];
    __wasi_size_t n = 0, nsubs = 0;
    if (idle || drain) read_sub(&subs[nsubs++], drain ? 0 : 1);
    clock_sub(&subs[nsubs++], timeout);
    __wasi_timestamp_t start = now();
    __wasi_errno_t err = __wasi_poll_oneoff(subs, events, nsubs, &n);
    __wasi_timestamp_t took = now() - start;
    waits++;
    if (err != 0 || n == 0) {
      bad++;
      continue;
    }
    int fd_ready = 0, clock_fired = 0;
    for (__wasi_size_t e = 0; e < n; e++) {
      if (events[e].type == __WASI_EVENTTYPE_CLOCK) clock_fired = 1;
      else if (events[e].type == __WASI_EVENTTYPE_FD_READ && events[e].error == 0) fd_ready = 1;
      else bad++;
    }
    if (clock_fired && took < timeout) early++;
    if (idle && fd_ready) bad++;
    if (!drain || !fd_ready) continue;
    char buf[4096];
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
    __wasi_size_t got = 0;
    if (__wasi_fd_read(0, &iov, 1, &got) != 0) {
      bad++;
      break;
    }
    if (got == 0) break; // end of input
    bytes += got;
  }
  if (drain) printf("read %lld bytes\n", bytes);
  printf("pollwait %s: %d waits, %d early, %d bad\n", mode, waits, early, bad);
  return early || bad ? 1 : 0;
}
