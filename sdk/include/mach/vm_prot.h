/* webmach's <mach/vm_prot.h>: vm_prot_t and the VM_PROT_* bits (generated from abi/mach.abi.mjs). */
#ifndef _MACH_VM_PROT_H_
#define _MACH_VM_PROT_H_

typedef int vm_prot_t;

#include <webmach/mach/vm_prot.h>

#endif /* _MACH_VM_PROT_H_ */
