// A task's memory through Mach's VM calls, as macOS programs use them on their own task: vm_allocate
// (zeroed, page-aligned) and vm_deallocate, vm_read into new memory, vm_read_overwrite, vm_write,
// vm_copy (overlapping too), and the errors: another task, an address outside the memory.
// `vm.wasm all` runs every check.
#include "common.h"
#include "../posix/check.h"

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "all")) return 2;
  mach_port_t me = mach_task_self();
  vm_address_t a = 0;
  check("vm_allocate: zeroed and page-aligned", vm_allocate(me, &a, 10000, VM_FLAGS_ANYWHERE) == KERN_SUCCESS && a % vm_page_size == 0 &&
                                                    ((char *)a)[0] == 0 && ((char *)a)[9999] == 0);
  memcpy((void *)a, "the quick brown fox", 20);
  pointer_t copy = 0;
  mach_msg_type_number_t n = 0;
  check("vm_read: a copy in new memory", vm_read(me, a, 20, &copy, &n) == KERN_SUCCESS && n == 20 && copy != a && !strcmp((char *)copy, "the quick brown fox"));
  check("vm_write", vm_write(me, a + 100, copy, n) == KERN_SUCCESS && !strcmp((char *)a + 100, "the quick brown fox"));
  vm_size_t got = 0;
  char out[32] = {0};
  check("vm_read_overwrite", vm_read_overwrite(me, a + 4, 5, (vm_address_t)out, &got) == KERN_SUCCESS && got == 5 && !strcmp(out, "quick"));
  check("vm_copy, overlapping", vm_copy(me, a, 20, a + 4) == KERN_SUCCESS && !memcmp((char *)a + 4, "the quick brown fox", 19));
  check("another task: KERN_INVALID_ARGUMENT", vm_read(MACH_PORT_NULL, a, 20, &copy, &n) == KERN_INVALID_ARGUMENT);
  check("an address outside the memory: KERN_INVALID_ADDRESS", vm_write(me, 0xfffff000, copy, 0x2000) == KERN_INVALID_ADDRESS);
  check("vm_deallocate", vm_deallocate(me, copy, 20) == KERN_SUCCESS && vm_deallocate(me, a, 10000) == KERN_SUCCESS);
  return report();
}
