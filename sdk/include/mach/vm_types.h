/*
 * webmach's <mach/vm_types.h>: the machine-sized integers of the Mach interface for wasm32, laid out
 * as XNU's 32-bit (ILP32) targets have them: natural_t and vm_size_t are 32 bits, the mach_vm_*
 * types always 64. mach_port_context_t is 32 bits (XNU's arm choice; i386 had 64).
 */
#ifndef _MACH_VM_TYPES_H_
#define _MACH_VM_TYPES_H_

#include <stdint.h>

typedef unsigned int natural_t;
typedef int integer_t;

typedef natural_t vm_offset_t;
typedef natural_t vm_size_t;
typedef vm_offset_t vm_address_t;
typedef vm_offset_t pointer_t;
typedef vm_offset_t vm_map_offset_t;
typedef vm_offset_t vm_map_address_t;
typedef vm_size_t vm_map_size_t;

typedef uint64_t mach_vm_address_t;
typedef uint64_t mach_vm_offset_t;
typedef uint64_t mach_vm_size_t;

typedef uint32_t vm32_offset_t;
typedef uint32_t vm32_address_t;
typedef uint32_t vm32_size_t;

typedef vm_offset_t mach_port_context_t;

typedef uint8_t vm_machine_attribute_val_t;

_Static_assert(sizeof(natural_t) == 4 && sizeof(vm_size_t) == 4, "wasm32 is ILP32");
_Static_assert(sizeof(mach_vm_size_t) == 8, "mach_vm_size_t is 64 bits");

#endif /* _MACH_VM_TYPES_H_ */
