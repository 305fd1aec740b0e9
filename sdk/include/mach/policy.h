/*
 * webmach's <mach/policy.h>: policy_t and the scheduling policy values found in the task and thread
 * info structures (generated from abi/mach.abi.mjs). No policy can be set.
 */
#ifndef _MACH_POLICY_H_
#define _MACH_POLICY_H_

#include <mach/vm_types.h>

typedef int policy_t;

#include <webmach/mach/policy.h>

#endif /* _MACH_POLICY_H_ */
