/*
 * webmach's <mach/mach_init.h>: the ports every task starts with. mach_task_self() reads the
 * variable mach_task_self_, set before main; mach_thread_self() returns a new send right (the
 * caller's to deallocate); bootstrap_port is the task's bootstrap server.
 */
#ifndef _MACH_INIT_
#define _MACH_INIT_ 1

#include <stdarg.h>
#include <mach/mach_types.h>
#include <mach/vm_page_size.h>

#ifdef __cplusplus
extern "C" {
#endif

extern mach_port_t mach_task_self_;
#define mach_task_self() mach_task_self_
#define current_task() mach_task_self()

mach_port_t mach_host_self(void);
mach_port_t mach_thread_self(void);
boolean_t mach_task_is_self(task_name_t task);
kern_return_t host_page_size(host_t host, vm_size_t *size);

extern mach_port_t bootstrap_port;

#ifdef __cplusplus
}
#endif

#include <mach/mach_traps.h>

#endif /* _MACH_INIT_ */
