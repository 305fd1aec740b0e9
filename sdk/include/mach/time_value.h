/* webmach's <mach/time_value.h>: time_value_t, seconds and microseconds (task and thread times). */
#ifndef _MACH_TIME_VALUE_H_
#define _MACH_TIME_VALUE_H_

#include <mach/vm_types.h>

struct time_value {
  integer_t seconds;
  integer_t microseconds;
};
typedef struct time_value time_value_t;

#include <webmach/mach/time_value.h>

#endif /* _MACH_TIME_VALUE_H_ */
