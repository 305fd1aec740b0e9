/*
 * webmach's <mach/task.h>: the calls on a task port (XNU's task.defs, MIG's user prototypes): task
 * information, its threads, suspension, special ports, and the semaphores a task owns.
 */
#ifndef _MACH_TASK_H_
#define _MACH_TASK_H_

#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/task_info.h>
#include <mach/task_special_ports.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Fill task_info_out (room for *task_info_outCnt words) with the flavor; *task_info_outCnt gets the words written. */
kern_return_t task_info(task_name_t target_task, task_flavor_t flavor, task_info_t task_info_out,
                        mach_msg_type_number_t *task_info_outCnt);
/* Send rights to the task's threads, in a vm_allocate'd array (release with vm_deallocate). */
kern_return_t task_threads(task_inspect_t target_task, thread_act_array_t *act_list,
                           mach_msg_type_number_t *act_listCnt);
kern_return_t task_suspend(task_read_t target_task);
kern_return_t task_resume(task_read_t target_task);
kern_return_t task_terminate(task_t target_task);
kern_return_t task_get_special_port(task_inspect_t task, int which_port, mach_port_t *special_port);
kern_return_t task_set_special_port(task_t task, int which_port, mach_port_t special_port);
kern_return_t semaphore_create(task_t task, semaphore_t *semaphore, int policy, int value);
kern_return_t semaphore_destroy(task_t task, semaphore_t semaphore);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_TASK_H_ */
