/* webmach's <mach/sync_policy.h>: sync_policy_t and the semaphore_create policies (generated). */
#ifndef _MACH_SYNC_POLICY_H_
#define _MACH_SYNC_POLICY_H_

typedef int sync_policy_t;

#include <webmach/mach/sync_policy.h>

#endif /* _MACH_SYNC_POLICY_H_ */
