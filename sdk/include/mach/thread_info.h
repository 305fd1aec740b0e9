/*
 * webmach's <mach/thread_info.h>: the flavors of thread_info, their structures and the run states
 * and flags of thread_basic_info (values generated from abi/mach.abi.mjs).
 */
#ifndef _MACH_THREAD_INFO_H_
#define _MACH_THREAD_INFO_H_

#include <stdint.h>
#include <mach/message.h>
#include <mach/policy.h>
#include <mach/time_value.h>
#include <mach/vm_types.h>

typedef natural_t thread_flavor_t;
typedef integer_t *thread_info_t;

#include <webmach/mach/thread_info.h>

typedef integer_t thread_info_data_t[THREAD_INFO_MAX];

struct thread_basic_info {
  time_value_t user_time;
  time_value_t system_time;
  integer_t cpu_usage; /* out of TH_USAGE_SCALE */
  policy_t policy;
  integer_t run_state; /* TH_STATE_* */
  integer_t flags;     /* TH_FLAGS_* */
  integer_t suspend_count;
  integer_t sleep_time; /* seconds */
};
typedef struct thread_basic_info thread_basic_info_data_t;
typedef struct thread_basic_info *thread_basic_info_t;

struct thread_identifier_info {
  uint64_t thread_id;
  uint64_t thread_handle;
  uint64_t dispatch_qaddr;
};
typedef struct thread_identifier_info thread_identifier_info_data_t;
typedef struct thread_identifier_info *thread_identifier_info_t;

#endif /* _MACH_THREAD_INFO_H_ */
