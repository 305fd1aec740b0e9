/*
 * webmach's <mach/clock_types.h>: mach_timespec_t (the timeout of semaphore_timedwait), the clock
 * types and ids, and the time unit ratios (generated from abi/mach.abi.mjs).
 */
#ifndef _MACH_CLOCK_TYPES_H_
#define _MACH_CLOCK_TYPES_H_

typedef int alarm_type_t;
typedef int sleep_type_t;
typedef int clock_id_t;
typedef int clock_flavor_t;
typedef int *clock_attr_t;
typedef int clock_res_t;

struct mach_timespec {
  unsigned int tv_sec;
  int tv_nsec; /* clock_res_t in XNU: an int */
};
typedef struct mach_timespec mach_timespec_t;

#include <webmach/mach/clock_types.h>

#endif /* _MACH_CLOCK_TYPES_H_ */
