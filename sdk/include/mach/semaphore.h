/*
 * webmach's <mach/semaphore.h>: operations on a semaphore (created with semaphore_create in
 * <mach/task.h>). The timed waits take a relative mach_timespec_t and fail with
 * KERN_OPERATION_TIMED_OUT.
 */
#ifndef _MACH_SEMAPHORE_H_
#define _MACH_SEMAPHORE_H_

#include <mach/clock_types.h>
#include <mach/kern_return.h>
#include <mach/mach_types.h>
#include <mach/port.h>
#include <mach/sync_policy.h>

#ifdef __cplusplus
extern "C" {
#endif

kern_return_t semaphore_signal(semaphore_t semaphore);
kern_return_t semaphore_signal_all(semaphore_t semaphore);
kern_return_t semaphore_signal_thread(semaphore_t semaphore, thread_t thread);
kern_return_t semaphore_wait(semaphore_t semaphore);
kern_return_t semaphore_timedwait(semaphore_t semaphore, mach_timespec_t wait_time);
/* Signal signal_semaphore and wait on wait_semaphore, as one step. */
kern_return_t semaphore_wait_signal(semaphore_t wait_semaphore, semaphore_t signal_semaphore);
kern_return_t semaphore_timedwait_signal(semaphore_t wait_semaphore, semaphore_t signal_semaphore,
                                         mach_timespec_t wait_time);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_SEMAPHORE_H_ */
