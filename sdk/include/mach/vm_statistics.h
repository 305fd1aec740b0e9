/*
 * webmach's <mach/vm_statistics.h>: the VM_FLAGS_* of vm_allocate (generated from abi/mach.abi.mjs).
 * The statistics structures of XNU's header are not provided.
 */
#ifndef _MACH_VM_STATISTICS_H_
#define _MACH_VM_STATISTICS_H_

#include <webmach/mach/vm_statistics.h>

#endif /* _MACH_VM_STATISTICS_H_ */
