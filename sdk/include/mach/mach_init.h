/*
 * webmach's <mach/mach_init.h>: the ports every task has. mach_task_self() (and mach_task_self_)
 * and bootstrap_port are asked of the server at a process's first use and kept (a program that
 * never uses Mach pays nothing at start; a forked child asks again), so they are values, not
 * variables to assign; mach_thread_self() returns a new send right (the caller's to deallocate).
 */
#ifndef _MACH_INIT_
#define _MACH_INIT_ 1

#include <stdarg.h>
#include <mach/mach_types.h>
#include <mach/vm_page_size.h>

#ifdef __cplusplus
extern "C" {
#endif

mach_port_t __webmach_task_self(void);
#define mach_task_self_ (__webmach_task_self())
#define mach_task_self() (__webmach_task_self())
#define current_task() mach_task_self()

mach_port_t mach_host_self(void);
mach_port_t mach_thread_self(void);
boolean_t mach_task_is_self(task_name_t task);
kern_return_t host_page_size(host_t host, vm_size_t *size);

mach_port_t __webmach_bootstrap_port(void);
#define bootstrap_port (__webmach_bootstrap_port())

#ifdef __cplusplus
}
#endif

#include <mach/mach_traps.h>

#endif /* _MACH_INIT_ */
