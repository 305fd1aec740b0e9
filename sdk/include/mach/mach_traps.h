/*
 * webmach's <mach/mach_traps.h>: the calls XNU makes traps rather than messages: the task's own
 * ports, a fresh reply port, and the pid <-> task port conversions.
 */
#ifndef _MACH_MACH_TRAPS_H_
#define _MACH_MACH_TRAPS_H_

#include <mach/std_types.h>
#include <mach/mach_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A new receive right (the caller's to destroy), for replies. */
mach_port_name_t mach_reply_port(void);
mach_port_name_t task_self_trap(void);
mach_port_name_t thread_self_trap(void);
mach_port_name_t host_self_trap(void);

/* A send right to the task port of process pid (target_tport: the caller's own task port). */
kern_return_t task_for_pid(mach_port_name_t target_tport, int pid, mach_port_name_t *t);
kern_return_t task_name_for_pid(mach_port_name_t target_tport, int pid, mach_port_name_t *tn);
/* The pid of the process whose task port t names. */
kern_return_t pid_for_task(mach_port_name_t t, int *x);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_MACH_TRAPS_H_ */
