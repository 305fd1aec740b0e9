/*
 * Mach for C programs: XNU's calls (<mach/mach.h>, <servers/bootstrap.h>) on the webmach import
 * module's Mach routines (abi/mach.defs, declared in <webmach/mach_traps.h>). Each routine returns
 * the transport's errno and the kern_return_t through a pointer; kr() makes one result of them.
 * mach_msg carries out-of-line memory after the message: this file packs a sent message's regions
 * behind it and, on receipt, copies the regions into memory of the program's (vm_allocate), writing
 * their addresses into the descriptors, as the receiver of an out-of-line copy sees it on macOS.
 */
#include <mach/mach.h>
#include <servers/bootstrap.h>
#include <webmach/mach_traps.h>
#include <wasi/api.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

vm_size_t vm_page_size = 4096;
vm_size_t vm_page_mask = 4095;
int vm_page_shift = 12;

/* One result from the call's errno (a malformed call, a bad pointer) and its kern_return_t. */
static kern_return_t kr(int32_t err, int32_t result) {
  if (err == 0) return result;
  return err == __WASI_ERRNO_FAULT ? KERN_INVALID_ADDRESS : KERN_FAILURE;
}

/* ---- the task's own ports, asked for once per process ---- */

static mach_port_t self_task, self_bootstrap;
static pid_t self_pid, bootstrap_pid;

mach_port_t __webmach_task_self(void) {
  pid_t pid = getpid();
  if (pid != self_pid) {
    uint32_t name = 0;
    __webmach_task_self_trap(&name);
    self_task = name;
    self_pid = pid;
  }
  return self_task;
}

mach_port_t __webmach_bootstrap_port(void) {
  pid_t pid = getpid();
  if (pid != bootstrap_pid) {
    mach_port_t port = MACH_PORT_NULL;
    task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &port);
    self_bootstrap = port;
    bootstrap_pid = pid;
  }
  return self_bootstrap;
}

mach_port_t mach_thread_self(void) {
  uint32_t name = 0;
  __webmach_thread_self_trap(&name);
  return name;
}

mach_port_name_t task_self_trap(void) {
  uint32_t name = 0;
  __webmach_task_self_trap(&name);
  return name;
}

mach_port_name_t thread_self_trap(void) {
  return mach_thread_self();
}

mach_port_name_t mach_reply_port(void) {
  uint32_t name = 0;
  __webmach_mach_reply_port(&name);
  return name;
}

boolean_t mach_task_is_self(task_name_t task) {
  return task == mach_task_self();
}

/* ---- memory: vm_allocate hands out zeroed, page-aligned blocks of the program's heap ---- */

struct region {
  vm_address_t address;
  vm_size_t size;
};
static struct region *regions;
static size_t nregions, cap_regions;

kern_return_t vm_allocate(vm_map_t task, vm_address_t *address, vm_size_t size, int flags) {
  if (task != mach_task_self()) return KERN_INVALID_ARGUMENT;
  if (!(flags & VM_FLAGS_ANYWHERE)) return KERN_NO_SPACE;
  if (size == 0) {
    *address = 0;
    return KERN_SUCCESS;
  }
  size = round_page(size);
  if (nregions == cap_regions) {
    size_t cap = cap_regions ? cap_regions * 2 : 16;
    struct region *r = realloc(regions, cap * sizeof *r);
    if (!r) return KERN_RESOURCE_SHORTAGE;
    regions = r;
    cap_regions = cap;
  }
  void *p = aligned_alloc(vm_page_size, size);
  if (!p) return KERN_RESOURCE_SHORTAGE;
  memset(p, 0, size);
  regions[nregions++] = (struct region){(vm_address_t)p, size};
  *address = (vm_address_t)p;
  return KERN_SUCCESS;
}

/* Frees the blocks vm_allocate made that lie wholly in the range; the rest of the range is left alone (as unmapped pages would be). */
kern_return_t vm_deallocate(vm_map_t task, vm_address_t address, vm_size_t size) {
  if (task != mach_task_self()) return KERN_INVALID_ARGUMENT;
  vm_address_t end = address + round_page(size);
  for (size_t i = 0; i < nregions;) {
    if (regions[i].address >= address && regions[i].address + regions[i].size <= end) {
      free((void *)regions[i].address);
      regions[i] = regions[--nregions];
    } else {
      i++;
    }
  }
  return KERN_SUCCESS;
}

/* Whether [address, address + size) lies in the program's memory. */
static int in_memory(vm_address_t address, vm_size_t size) {
  unsigned long end = (unsigned long)__builtin_wasm_memory_size(0) * 65536UL;
  return address <= end && size <= end - address;
}

kern_return_t vm_read(vm_map_t task, vm_address_t address, vm_size_t size, pointer_t *data, mach_msg_type_number_t *dataCnt) {
  if (task != mach_task_self()) return KERN_INVALID_ARGUMENT;
  if (!in_memory(address, size)) return KERN_INVALID_ADDRESS;
  vm_address_t copy = 0;
  kern_return_t k = vm_allocate(task, &copy, size, VM_FLAGS_ANYWHERE);
  if (k != KERN_SUCCESS) return k;
  memcpy((void *)copy, (const void *)address, size);
  *data = copy;
  *dataCnt = size;
  return KERN_SUCCESS;
}

kern_return_t vm_read_overwrite(vm_map_t task, vm_address_t address, vm_size_t size, vm_address_t data, vm_size_t *outsize) {
  if (task != mach_task_self()) return KERN_INVALID_ARGUMENT;
  if (!in_memory(address, size) || !in_memory(data, size)) return KERN_INVALID_ADDRESS;
  memmove((void *)data, (const void *)address, size);
  *outsize = size;
  return KERN_SUCCESS;
}

kern_return_t vm_write(vm_map_t task, vm_address_t address, pointer_t data, mach_msg_type_number_t dataCnt) {
  if (task != mach_task_self()) return KERN_INVALID_ARGUMENT;
  if (!in_memory(address, dataCnt) || !in_memory(data, dataCnt)) return KERN_INVALID_ADDRESS;
  memmove((void *)address, (const void *)data, dataCnt);
  return KERN_SUCCESS;
}

kern_return_t vm_copy(vm_map_t task, vm_address_t source, vm_size_t size, vm_address_t dest) {
  vm_size_t done;
  return vm_read_overwrite(task, source, size, dest, &done);
}

/* ---- mach_msg ---- */

/* The window's room: a message and its out-of-line memory travel together through it. */
#define WIRE_ROOM (64 * 1024)
static unsigned char *wire;

static unsigned char *wire_buffer(void) {
  if (!wire) wire = malloc(WIRE_ROOM);
  return wire;
}

/* The descriptors of a complex message (its body's count, then 12 bytes each). */
static mach_msg_descriptor_t *descriptors(mach_msg_header_t *msg, mach_msg_size_t *count) {
  mach_msg_body_t *body = (mach_msg_body_t *)(msg + 1);
  *count = (msg->msgh_bits & MACH_MSGH_BITS_COMPLEX) ? body->msgh_descriptor_count : 0;
  return (mach_msg_descriptor_t *)(body + 1);
}

/* The bytes of the out-of-line region a descriptor carries (0 for a port). */
static size_t ool_bytes(const mach_msg_descriptor_t *d) {
  if (d->type.type == MACH_MSG_OOL_DESCRIPTOR || d->type.type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR) return d->out_of_line.size;
  if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) return d->ool_ports.count * sizeof(mach_port_t);
  return 0;
}

static const void *ool_address(const mach_msg_descriptor_t *d) {
  return d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR ? d->ool_ports.address : d->out_of_line.address;
}

/* Bytes of the message followed by its out-of-line regions (what travels: the message's descriptors that lie within it). */
static size_t wire_size(mach_msg_header_t *msg, mach_msg_size_t send_size) {
  mach_msg_size_t count;
  mach_msg_descriptor_t *d = descriptors(msg, &count);
  size_t at = send_size;
  for (mach_msg_size_t i = 0; i < count && (unsigned char *)(d + i + 1) <= (unsigned char *)msg + send_size; i++) at += ool_bytes(&d[i]);
  return at;
}

/* Lay the message out, followed by its out-of-line regions, at `into` (wire_size bytes). */
static void pack(mach_msg_header_t *msg, mach_msg_size_t send_size, unsigned char *into) {
  mach_msg_size_t count;
  mach_msg_descriptor_t *d = descriptors(msg, &count);
  size_t at = send_size;
  memcpy(into, msg, send_size);
  for (mach_msg_size_t i = 0; i < count && (unsigned char *)(d + i + 1) <= (unsigned char *)msg + send_size; i++) { /* beyond: the server refuses it */
    size_t n = ool_bytes(&d[i]);
    if (n) memcpy(into + at, ool_address(&d[i]), n);
    at += n;
  }
}

/* After a send: the regions sent with `deallocate` leave the sender. */
static void sent(mach_msg_header_t *msg) {
  mach_msg_size_t count;
  mach_msg_descriptor_t *d = descriptors(msg, &count);
  for (mach_msg_size_t i = 0; i < count; i++) {
    int ool = d[i].type.type != MACH_MSG_PORT_DESCRIPTOR && d[i].type.type != MACH_MSG_GUARDED_PORT_DESCRIPTOR;
    if (ool && d[i].out_of_line.deallocate && ool_bytes(&d[i]))
      vm_deallocate(mach_task_self(), (vm_address_t)ool_address(&d[i]), ool_bytes(&d[i]));
  }
}

/* Copy a received message (`got` bytes at `from`) into the receiver's buffer, and its regions into new memory. */
static mach_msg_return_t unpack(const unsigned char *from, size_t got, mach_msg_header_t *into, mach_msg_size_t rcv_size) {
  const mach_msg_header_t *m = (const mach_msg_header_t *)from;
  if (got < sizeof *m) return MACH_RCV_INVALID_DATA;
  mach_msg_size_t size = m->msgh_size;
  const mach_msg_trailer_t *t = (const mach_msg_trailer_t *)(from + size);
  size_t whole = size + t->msgh_trailer_size;
  if (whole > rcv_size || whole > got) return MACH_RCV_INVALID_DATA;
  memcpy(into, from, whole);
  mach_msg_size_t count;
  mach_msg_descriptor_t *d = descriptors(into, &count);
  size_t at = whole;
  for (mach_msg_size_t i = 0; i < count; i++) {
    size_t n = ool_bytes(&d[i]);
    if (!n) continue;
    vm_address_t address = 0;
    if (n > got - at || vm_allocate(mach_task_self(), &address, n, VM_FLAGS_ANYWHERE) != KERN_SUCCESS) return MACH_RCV_BODY_ERROR;
    memcpy((void *)address, from + at, n);
    at += n;
    if (d[i].type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) d[i].ool_ports.address = (void *)address;
    else d[i].out_of_line.address = (void *)address;
  }
  return MACH_MSG_SUCCESS;
}

/* A mach_msg_return_t of the send half (MACH_SEND_*): then nothing was sent. */
static int send_error(mach_msg_return_t r) {
  return (r & ~0x3fffu) == MACH_SEND_IN_PROGRESS - 1;
}

/*
 * The task library's mach_msg (libsystem/mach_staging.ts): a message larger than the window travels
 * through the process's staging buffer; a received one too large for `reply` is answered with E2BIG
 * and its size, and mach_msg_staged copies it out.
 */
__attribute__((import_module("webmach"), import_name("mach_msg")))
int32_t __webmach_mach_msg(uint32_t option, const void *msg, size_t msg_len, uint32_t rcv_size, uint32_t rcv_name, uint32_t timeout, int32_t *kr,
                           void *reply, size_t reply_room, size_t *reply_len);
__attribute__((import_module("webmach"), import_name("mach_msg_staged")))
int32_t __webmach_mach_msg_staged(void *into, size_t len);

/* One call: send the `out_len` bytes at `out` and/or receive, the received bytes unpacked into `into`. */
static mach_msg_return_t trap(mach_msg_option_t option, const void *out, size_t out_len, mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
                              mach_msg_timeout_t timeout, mach_msg_header_t *into) {
  int32_t result = 0;
  size_t got = 0;
  int32_t err = __webmach_mach_msg(option, out, out_len, rcv_size, rcv_name, timeout, &result, wire, (option & MACH_RCV_MSG) ? WIRE_ROOM : 0, &got);
  if (err == __WASI_ERRNO_2BIG && result == MACH_MSG_SUCCESS) { /* the message waits in the staging buffer */
    unsigned char *big = malloc(got);
    mach_msg_return_t r = !big ? MACH_RCV_BODY_ERROR : __webmach_mach_msg_staged(big, got) != 0 ? MACH_RCV_INVALID_DATA : unpack(big, got, into, rcv_size);
    free(big);
    return r;
  }
  if (err != 0) return kr(err, result);
  if (result == MACH_RCV_TOO_LARGE && got >= sizeof *into && rcv_size >= sizeof *into) memcpy(into, wire, sizeof *into);
  if (result == MACH_MSG_SUCCESS && (option & MACH_RCV_MSG)) return unpack(wire, got, into, rcv_size);
  return result;
}

mach_msg_return_t mach_msg_overwrite(mach_msg_header_t *msg, mach_msg_option_t option, mach_msg_size_t send_size, mach_msg_size_t rcv_limit,
                                     mach_port_name_t rcv_name, mach_msg_timeout_t timeout, mach_port_name_t notify, mach_msg_header_t *rcv_msg,
                                     mach_msg_size_t rcv_scatter_size) {
  (void)notify;
  (void)rcv_scatter_size;
  if (!wire_buffer()) return (option & MACH_SEND_MSG) ? MACH_SEND_NO_BUFFER : MACH_RCV_TOO_LARGE;
  mach_msg_header_t *into = rcv_msg ? rcv_msg : msg;
  for (;;) {
    size_t out_len = 0;
    unsigned char *out = wire;
    if (option & MACH_SEND_MSG) {
      out_len = send_size < sizeof *msg ? send_size : wire_size(msg, send_size);
      if (out_len > WIRE_ROOM && !(out = malloc(out_len))) return MACH_SEND_NO_BUFFER;
      if (send_size < sizeof *msg) memcpy(out, msg, send_size);
      else pack(msg, send_size, out);
    }
    mach_msg_return_t r = trap(option, out, out_len, rcv_limit, rcv_name, timeout, into);
    if (out != wire) free(out);
    if (r == MACH_SEND_INTERRUPTED && !(option & MACH_SEND_INTERRUPT)) continue;
    if ((option & MACH_SEND_MSG) && !send_error(r)) sent(msg);
    if (r == MACH_RCV_INTERRUPTED && !(option & MACH_RCV_INTERRUPT)) {
      option &= ~MACH_SEND_MSG;
      continue;
    }
    return r;
  }
}

mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option, mach_msg_size_t send_size, mach_msg_size_t rcv_size,
                           mach_port_name_t rcv_name, mach_msg_timeout_t timeout, mach_port_name_t notify) {
  return mach_msg_overwrite(msg, option, send_size, rcv_size, rcv_name, timeout, notify, NULL, 0);
}

mach_msg_return_t mach_msg_send(mach_msg_header_t *msg) {
  return mach_msg(msg, MACH_SEND_MSG, msg->msgh_size, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

mach_msg_return_t mach_msg_receive(mach_msg_header_t *msg) {
  return mach_msg(msg, MACH_RCV_MSG, 0, msg->msgh_size, msg->msgh_local_port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

/* Release a right a received message gave the caller. */
static void release_right(mach_port_name_t name, mach_msg_type_name_t type) {
  if (!MACH_PORT_VALID(name)) return;
  if (type == MACH_MSG_TYPE_PORT_RECEIVE) mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_RECEIVE, -1);
  else if (type == MACH_MSG_TYPE_PORT_SEND || type == MACH_MSG_TYPE_PORT_SEND_ONCE) mach_port_deallocate(mach_task_self(), name);
}

void mach_msg_destroy(mach_msg_header_t *msg) {
  release_right(msg->msgh_remote_port, MACH_MSGH_BITS_REMOTE(msg->msgh_bits));
  mach_msg_size_t count;
  mach_msg_descriptor_t *d = descriptors(msg, &count);
  for (mach_msg_size_t i = 0; i < count; i++) {
    if (d[i].type.type == MACH_MSG_PORT_DESCRIPTOR) {
      release_right(d[i].port.name, d[i].port.disposition);
    } else if (d[i].type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
      mach_port_t *names = d[i].ool_ports.address;
      for (mach_msg_size_t k = 0; names && k < d[i].ool_ports.count; k++) release_right(names[k], d[i].ool_ports.disposition);
    }
    if (ool_bytes(&d[i])) vm_deallocate(mach_task_self(), (vm_address_t)ool_address(&d[i]), ool_bytes(&d[i]));
  }
}

/* ---- ports ---- */

kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right, mach_port_name_t *name) {
  int32_t r;
  uint32_t n = 0;
  kern_return_t k = kr(__webmach_mach_port_allocate(task, right, &r, &n), r);
  if (k == KERN_SUCCESS) *name = n;
  return k;
}

kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name) {
  int32_t r;
  return kr(__webmach_mach_port_destroy(task, name, &r), r);
}

kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name) {
  int32_t r;
  return kr(__webmach_mach_port_deallocate(task, name, &r), r);
}

kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name, mach_port_type_t *ptype) {
  int32_t r;
  uint32_t t = 0;
  kern_return_t k = kr(__webmach_mach_port_type(task, name, &r, &t), r);
  if (k == KERN_SUCCESS) *ptype = t;
  return k;
}

kern_return_t mach_port_get_refs(ipc_space_t task, mach_port_name_t name, mach_port_right_t right, mach_port_urefs_t *refs) {
  int32_t r;
  uint32_t n = 0;
  kern_return_t k = kr(__webmach_mach_port_get_refs(task, name, right, &r, &n), r);
  if (k == KERN_SUCCESS) *refs = n;
  return k;
}

kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name, mach_port_right_t right, mach_port_delta_t delta) {
  int32_t r;
  return kr(__webmach_mach_port_mod_refs(task, name, right, delta, &r), r);
}

kern_return_t mach_port_move_member(ipc_space_t task, mach_port_name_t member, mach_port_name_t after) {
  int32_t r;
  return kr(__webmach_mach_port_move_member(task, member, after, &r), r);
}

kern_return_t mach_port_insert_member(ipc_space_t task, mach_port_name_t name, mach_port_name_t pset) {
  int32_t r;
  return kr(__webmach_mach_port_insert_member(task, name, pset, &r), r);
}

kern_return_t mach_port_extract_member(ipc_space_t task, mach_port_name_t name, mach_port_name_t pset) {
  int32_t r;
  return kr(__webmach_mach_port_extract_member(task, name, pset, &r), r);
}

kern_return_t mach_port_request_notification(ipc_space_t task, mach_port_name_t name, mach_msg_id_t msgid, mach_port_mscount_t sync,
                                             mach_port_t notify, mach_msg_type_name_t notifyPoly, mach_port_t *previous) {
  int32_t r;
  uint32_t p = 0;
  kern_return_t k = kr(__webmach_mach_port_request_notification(task, name, msgid, sync, notify, notifyPoly, &r, &p), r);
  if (k == KERN_SUCCESS) *previous = p;
  return k;
}

kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name, mach_port_t poly, mach_msg_type_name_t polyPoly) {
  int32_t r;
  return kr(__webmach_mach_port_insert_right(task, name, poly, polyPoly, &r), r);
}

kern_return_t mach_port_extract_right(ipc_space_t task, mach_port_name_t name, mach_msg_type_name_t msgt_name, mach_port_t *poly,
                                      mach_msg_type_name_t *polyPoly) {
  int32_t r;
  uint32_t p = 0, t = 0;
  kern_return_t k = kr(__webmach_mach_port_extract_right(task, name, msgt_name, &r, &p, &t), r);
  if (k == KERN_SUCCESS) {
    *poly = p;
    *polyPoly = t;
  }
  return k;
}

kern_return_t mach_port_get_attributes(ipc_space_read_t task, mach_port_name_t name, mach_port_flavor_t flavor, mach_port_info_t info,
                                       mach_msg_type_number_t *count) {
  int32_t r;
  size_t got = 0;
  kern_return_t k = kr(__webmach_mach_port_get_attributes(task, name, flavor, *count, &r, info, *count * sizeof(natural_t), &got), r);
  if (k == KERN_SUCCESS) *count = got / sizeof(natural_t);
  return k;
}

kern_return_t mach_port_set_attributes(ipc_space_t task, mach_port_name_t name, mach_port_flavor_t flavor, mach_port_info_t info,
                                       mach_msg_type_number_t count) {
  int32_t r;
  return kr(__webmach_mach_port_set_attributes(task, name, flavor, info, count * sizeof(natural_t), &r), r);
}

/* A word array the server wrote into `wire`, copied into new memory (as MIG returns arrays). */
static kern_return_t word_array(size_t got, natural_t **out, mach_msg_type_number_t *count, size_t stride, size_t at) {
  size_t n = got / stride;
  vm_address_t a = 0;
  if (n && vm_allocate(mach_task_self(), &a, n * sizeof(natural_t), VM_FLAGS_ANYWHERE) != KERN_SUCCESS) return KERN_RESOURCE_SHORTAGE;
  for (size_t i = 0; i < n; i++) memcpy((natural_t *)a + i, wire + i * stride + at, sizeof(natural_t));
  *out = (natural_t *)a;
  *count = n;
  return KERN_SUCCESS;
}

kern_return_t mach_port_names(ipc_space_t task, mach_port_name_array_t *names, mach_msg_type_number_t *namesCnt, mach_port_type_array_t *types,
                              mach_msg_type_number_t *typesCnt) {
  int32_t r;
  size_t got = 0;
  if (!wire_buffer()) return KERN_RESOURCE_SHORTAGE;
  kern_return_t k = kr(__webmach_mach_port_names(task, &r, wire, WIRE_ROOM, &got), r);
  if (k != KERN_SUCCESS) return k;
  if ((k = word_array(got, (natural_t **)names, namesCnt, 8, 0)) != KERN_SUCCESS) return k;
  if ((k = word_array(got, (natural_t **)types, typesCnt, 8, 4)) != KERN_SUCCESS) vm_deallocate(mach_task_self(), (vm_address_t)*names, *namesCnt * 4);
  return k;
}

kern_return_t mach_port_get_set_status(ipc_space_read_t task, mach_port_name_t name, mach_port_name_array_t *members, mach_msg_type_number_t *count) {
  int32_t r;
  size_t got = 0;
  if (!wire_buffer()) return KERN_RESOURCE_SHORTAGE;
  kern_return_t k = kr(__webmach_mach_port_get_set_status(task, name, &r, wire, WIRE_ROOM, &got), r);
  return k == KERN_SUCCESS ? word_array(got, (natural_t **)members, count, 4, 0) : k;
}

/* mach_port_construct: a receive right with what `options` asks (a queue limit, a send right under the same name). */
kern_return_t mach_port_construct(ipc_space_t task, mach_port_options_ptr_t options, mach_port_context_t context, mach_port_name_t *name) {
  (void)context;
  mach_port_name_t n;
  kern_return_t k = mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &n);
  if (k != KERN_SUCCESS) return k;
  if (options->flags & MPO_QLIMIT) k = mach_port_set_attributes(task, n, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&options->mpl, MACH_PORT_LIMITS_INFO_COUNT);
  if (k == KERN_SUCCESS && (options->flags & MPO_INSERT_SEND_RIGHT)) k = mach_port_insert_right(task, n, n, MACH_MSG_TYPE_MAKE_SEND);
  if (k != KERN_SUCCESS) {
    mach_port_destroy(task, n);
    return k;
  }
  *name = n;
  return KERN_SUCCESS;
}

/* mach_port_destruct: `srdelta` send references dropped, then the receive right. */
kern_return_t mach_port_destruct(ipc_space_t task, mach_port_name_t name, mach_port_delta_t srdelta, mach_port_context_t guard) {
  (void)guard;
  if (srdelta) {
    kern_return_t k = mach_port_mod_refs(task, name, MACH_PORT_RIGHT_SEND, srdelta);
    if (k != KERN_SUCCESS) return k;
  }
  return mach_port_mod_refs(task, name, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* ---- tasks and threads ---- */

kern_return_t task_for_pid(mach_port_name_t target_tport, int pid, mach_port_name_t *t) {
  int32_t r;
  uint32_t n = 0;
  kern_return_t k = kr(__webmach_task_for_pid(target_tport, pid, &r, &n), r);
  if (k == KERN_SUCCESS) *t = n;
  return k;
}

kern_return_t pid_for_task(mach_port_name_t t, int *x) {
  int32_t r, pid = -1;
  kern_return_t k = kr(__webmach_pid_for_task(t, &r, &pid), r);
  *x = pid;
  return k;
}

kern_return_t task_info(task_name_t target_task, task_flavor_t flavor, task_info_t info, mach_msg_type_number_t *count) {
  int32_t r;
  size_t got = 0;
  kern_return_t k = kr(__webmach_task_info(target_task, flavor, *count, &r, info, *count * sizeof(natural_t), &got), r);
  if (k == KERN_SUCCESS) *count = got / sizeof(natural_t);
  return k;
}

kern_return_t thread_info(thread_inspect_t thread, thread_flavor_t flavor, thread_info_t info, mach_msg_type_number_t *count) {
  int32_t r;
  size_t got = 0;
  kern_return_t k = kr(__webmach_thread_info(thread, flavor, *count, &r, info, *count * sizeof(natural_t), &got), r);
  if (k == KERN_SUCCESS) *count = got / sizeof(natural_t);
  return k;
}

kern_return_t task_threads(task_inspect_t task, thread_act_array_t *list, mach_msg_type_number_t *count) {
  int32_t r;
  size_t got = 0;
  if (!wire_buffer()) return KERN_RESOURCE_SHORTAGE;
  kern_return_t k = kr(__webmach_task_threads(task, &r, wire, WIRE_ROOM, &got), r);
  return k == KERN_SUCCESS ? word_array(got, (natural_t **)list, count, 4, 0) : k;
}

kern_return_t task_suspend(task_read_t task) {
  int32_t r;
  return kr(__webmach_task_suspend(task, &r), r);
}

kern_return_t task_resume(task_read_t task) {
  int32_t r;
  return kr(__webmach_task_resume(task, &r), r);
}

kern_return_t task_get_special_port(task_inspect_t task, int which, mach_port_t *port) {
  int32_t r;
  uint32_t p = 0;
  kern_return_t k = kr(__webmach_task_get_special_port(task, which, &r, &p), r);
  if (k == KERN_SUCCESS) *port = p;
  return k;
}

/* ---- semaphores ---- */

kern_return_t semaphore_create(task_t task, semaphore_t *semaphore, int policy, int value) {
  int32_t r;
  uint32_t s = 0;
  kern_return_t k = kr(__webmach_semaphore_create(task, policy, value, &r, &s), r);
  if (k == KERN_SUCCESS) *semaphore = s;
  return k;
}

kern_return_t semaphore_destroy(task_t task, semaphore_t semaphore) {
  int32_t r;
  return kr(__webmach_semaphore_destroy(task, semaphore, &r), r);
}

kern_return_t semaphore_signal(semaphore_t semaphore) {
  int32_t r;
  return kr(__webmach_semaphore_signal_trap(semaphore, &r), r);
}

kern_return_t semaphore_signal_all(semaphore_t semaphore) {
  int32_t r;
  return kr(__webmach_semaphore_signal_all_trap(semaphore, &r), r);
}

kern_return_t semaphore_wait(semaphore_t semaphore) {
  int32_t r;
  return kr(__webmach_semaphore_wait_trap(semaphore, &r), r);
}

kern_return_t semaphore_wait_signal(semaphore_t wait_semaphore, semaphore_t signal_semaphore) {
  int32_t r;
  return kr(__webmach_semaphore_wait_signal_trap(wait_semaphore, signal_semaphore, &r), r);
}

kern_return_t semaphore_timedwait(semaphore_t semaphore, mach_timespec_t wait_time) {
  int32_t r;
  return kr(__webmach_semaphore_timedwait_trap(semaphore, wait_time.tv_sec, wait_time.tv_nsec, &r), r);
}

kern_return_t semaphore_timedwait_signal(semaphore_t wait_semaphore, semaphore_t signal_semaphore, mach_timespec_t wait_time) {
  int32_t r;
  return kr(__webmach_semaphore_timedwait_signal_trap(wait_semaphore, signal_semaphore, wait_time.tv_sec, wait_time.tv_nsec, &r), r);
}

/* ---- the bootstrap name service ---- */

kern_return_t bootstrap_check_in(mach_port_t bp, const name_t service_name, mach_port_t *sp) {
  int32_t r;
  uint32_t p = 0;
  kern_return_t k = kr(__webmach_bootstrap_check_in(bp, service_name, strnlen(service_name, BOOTSTRAP_MAX_NAME_LEN), &r, &p), r);
  if (k == KERN_SUCCESS) *sp = p;
  return k;
}

kern_return_t bootstrap_look_up(mach_port_t bp, const name_t service_name, mach_port_t *sp) {
  int32_t r;
  uint32_t p = 0;
  kern_return_t k = kr(__webmach_bootstrap_look_up(bp, service_name, strnlen(service_name, BOOTSTRAP_MAX_NAME_LEN), &r, &p), r);
  if (k == KERN_SUCCESS) *sp = p;
  return k;
}

kern_return_t bootstrap_register(mach_port_t bp, name_t service_name, mach_port_t sp) {
  int32_t r;
  return kr(__webmach_bootstrap_register(bp, service_name, strnlen(service_name, BOOTSTRAP_MAX_NAME_LEN), sp, &r), r);
}
