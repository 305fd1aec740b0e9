/* clocks_random.c: clock_res_get and clock_time_get for all four clocks and an unknown clock id
 * (EINVAL, as the spec requires for unsupported clocks), monotonic time that does not go back,
 * realtime after 2020, random_get of 0 bytes and of a large buffer, and sched_yield.
 */
#include "check.h"

#define UNKNOWN_CLOCK 4
#define YEAR_2020_NS 1577836800000000000ull

static const char *const clock_names[] = {"realtime", "monotonic", "process_cputime", "thread_cputime"};

static void one_clock(__wasi_clockid_t id) {
  char name[64];
  __wasi_timestamp_t res = 0, t = 0;
  snprintf(name, sizeof name, "clock_res_get %s", clock_names[id]);
  check(name, __wasi_clock_res_get(id, &res), OK);
  snprintf(name, sizeof name, "clock_res_get %s nonzero", clock_names[id]);
  check_yes(name, res > 0, 1);
  snprintf(name, sizeof name, "clock_time_get %s", clock_names[id]);
  check(name, __wasi_clock_time_get(id, 1, &t), OK);
  snprintf(name, sizeof name, "clock_time_get %s nonzero", clock_names[id]);
  check_yes(name, t > 0, 1);
}

static __wasi_timestamp_t now(__wasi_clockid_t id) {
  __wasi_timestamp_t t = 0;
  return __wasi_clock_time_get(id, 0, &t) == OK ? t : 0;
}

static void clocks(void) {
  for (__wasi_clockid_t id = 0; id < 4; id++) one_clock(id);
  __wasi_timestamp_t t = 0;
  check("clock_res_get unknown id", __wasi_clock_res_get(UNKNOWN_CLOCK, &t), __WASI_ERRNO_INVAL);
  check("clock_time_get unknown id", __wasi_clock_time_get(UNKNOWN_CLOCK, 0, &t), __WASI_ERRNO_INVAL);
  check_yes("realtime after 2020", now(__WASI_CLOCKID_REALTIME) > YEAR_2020_NS, 1);
  t = now(__WASI_CLOCKID_MONOTONIC);
  int back = 0;
  for (int i = 0; i < 1000; i++) {
    __wasi_timestamp_t later = now(__WASI_CLOCKID_MONOTONIC);
    back |= later < t;
    t = later;
  }
  check_yes("monotonic does not go back", !back, 1);
}

static int all_zero(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i]) return 0;
  return 1;
}

static void random_(void) {
  enum { BIG = 1 << 20 };
  uint8_t *a = calloc(BIG, 1), *b = calloc(BIG, 1);
  check("random_get 0 bytes", __wasi_random_get(a, 0), OK);
  check_yes("random_get 0 bytes wrote nothing", all_zero(a, BIG), 1);
  check("random_get 1 MiB", __wasi_random_get(a, BIG), OK);
  check("random_get 1 MiB again", __wasi_random_get(b, BIG), OK);
  check_yes("random tail filled", !all_zero(a + BIG - 64, 64), 1);
  check_yes("random buffers differ", memcmp(a, b, BIG) != 0, 1);
}

int main(void) {
  clocks();
  random_();
  check("sched_yield", __wasi_sched_yield(), OK);
  return 0;
}
