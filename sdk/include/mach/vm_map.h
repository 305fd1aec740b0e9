/*
 * webmach's <mach/vm_map.h>: memory of a task: vm_allocate (zeroed pages, anywhere with
 * VM_FLAGS_ANYWHERE), vm_deallocate, and copies: vm_read (into new memory), vm_read_overwrite,
 * vm_write, vm_copy. Only the caller's own task is accepted (KERN_INVALID_ARGUMENT otherwise);
 * an address outside the program's memory is KERN_INVALID_ADDRESS.
 */
#ifndef _MACH_VM_MAP_H_
#define _MACH_VM_MAP_H_

#include <mach/mach_types.h>
#include <mach/vm_prot.h>
#include <mach/vm_statistics.h>

#ifdef __cplusplus
extern "C" {
#endif

kern_return_t vm_allocate(vm_map_t target_task, vm_address_t *address, vm_size_t size, int flags);
kern_return_t vm_deallocate(vm_map_t target_task, vm_address_t address, vm_size_t size);
kern_return_t vm_read(vm_map_t target_task, vm_address_t address, vm_size_t size, pointer_t *data, mach_msg_type_number_t *dataCnt);
kern_return_t vm_read_overwrite(vm_map_t target_task, vm_address_t address, vm_size_t size, vm_address_t data, vm_size_t *outsize);
kern_return_t vm_write(vm_map_t target_task, vm_address_t address, pointer_t data, mach_msg_type_number_t dataCnt);
kern_return_t vm_copy(vm_map_t target_task, vm_address_t source_address, vm_size_t size, vm_address_t dest_address);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_VM_MAP_H_ */
