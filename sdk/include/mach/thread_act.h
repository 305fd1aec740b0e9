/* webmach's <mach/thread_act.h>: the calls on a thread port (XNU's thread_act.defs): thread_info. */
#ifndef _MACH_THREAD_ACT_H_
#define _MACH_THREAD_ACT_H_

#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/thread_info.h>

#ifdef __cplusplus
extern "C" {
#endif

kern_return_t thread_info(thread_inspect_t target_act, thread_flavor_t flavor, thread_info_t thread_info_out,
                          mach_msg_type_number_t *thread_info_outCnt);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_THREAD_ACT_H_ */
