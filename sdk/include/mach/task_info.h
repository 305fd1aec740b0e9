/*
 * webmach's <mach/task_info.h>: the flavors of task_info and their structures (XNU's ILP32 layouts,
 * packed to 4 as XNU packs them). TASK_BASIC_INFO is the 32-bit flavor here, as on every ILP32 target.
 * Flavors and counts are generated from abi/mach.abi.mjs.
 */
#ifndef _MACH_TASK_INFO_H_
#define _MACH_TASK_INFO_H_

#include <stdint.h>
#include <mach/message.h>
#include <mach/policy.h>
#include <mach/time_value.h>
#include <mach/vm_types.h>

typedef natural_t task_flavor_t;
typedef integer_t *task_info_t;

#include <webmach/mach/task_info.h>

typedef integer_t task_info_data_t[TASK_INFO_MAX];

#pragma pack(push, 4)

struct task_basic_info_32 {
  integer_t suspend_count;
  natural_t virtual_size;
  natural_t resident_size;
  time_value_t user_time;   /* of terminated threads */
  time_value_t system_time; /* of terminated threads */
  policy_t policy;
};
typedef struct task_basic_info_32 task_basic_info_32_data_t;
typedef struct task_basic_info_32 *task_basic_info_32_t;

struct task_basic_info_64 {
  integer_t suspend_count;
  mach_vm_size_t virtual_size;
  mach_vm_size_t resident_size;
  time_value_t user_time;
  time_value_t system_time;
  policy_t policy;
};
typedef struct task_basic_info_64 task_basic_info_64_data_t;
typedef struct task_basic_info_64 *task_basic_info_64_t;

struct task_basic_info {
  integer_t suspend_count;
  vm_size_t virtual_size;
  vm_size_t resident_size;
  time_value_t user_time;
  time_value_t system_time;
  policy_t policy;
};
typedef struct task_basic_info task_basic_info_data_t;
typedef struct task_basic_info *task_basic_info_t;

struct task_events_info {
  integer_t faults;
  integer_t pageins;
  integer_t cow_faults;
  integer_t messages_sent;
  integer_t messages_received;
  integer_t syscalls_mach;
  integer_t syscalls_unix;
  integer_t csw;
};
typedef struct task_events_info task_events_info_data_t;
typedef struct task_events_info *task_events_info_t;

struct task_thread_times_info {
  time_value_t user_time;   /* of live threads */
  time_value_t system_time; /* of live threads */
};
typedef struct task_thread_times_info task_thread_times_info_data_t;
typedef struct task_thread_times_info *task_thread_times_info_t;

struct task_absolutetime_info {
  uint64_t total_user;
  uint64_t total_system;
  uint64_t threads_user;
  uint64_t threads_system;
};
typedef struct task_absolutetime_info task_absolutetime_info_data_t;
typedef struct task_absolutetime_info *task_absolutetime_info_t;

struct mach_task_basic_info {
  mach_vm_size_t virtual_size;
  mach_vm_size_t resident_size;
  mach_vm_size_t resident_size_max;
  time_value_t user_time;   /* of terminated threads */
  time_value_t system_time; /* of terminated threads */
  policy_t policy;
  integer_t suspend_count;
};
typedef struct mach_task_basic_info mach_task_basic_info_data_t;
typedef struct mach_task_basic_info *mach_task_basic_info_t;

#pragma pack(pop)

#endif /* _MACH_TASK_INFO_H_ */
