// Messages larger than a thread's 64 KiB message window (out-of-line memory of megabytes and a large
// in-line body), as macOS carries them: to the process itself and to another process, contents
// checked byte by byte, memory given back; and a message over webmach's 64 MiB limit refused with
// MACH_SEND_TOO_LARGE. `large.wasm all SELF` runs every check (it spawns SELF as the receiver).
#include <stdlib.h>
#include "common.h"
#include "../posix/check.h"

typedef struct {
  mach_msg_header_t header;
  mach_msg_body_t body;
  mach_msg_ool_descriptor_t data;
  int value;
} ool_msg_t;

typedef struct {
  ool_msg_t m;
  mach_msg_max_trailer_t trailer;
} ool_rcv_t;

/* A large in-line message: 200 KiB of body. */
#define INLINE_BYTES (200 * 1024)
typedef struct {
  mach_msg_header_t header;
  unsigned char bytes[INLINE_BYTES];
} inline_msg_t;

static unsigned char pattern(size_t i) {
  return (unsigned char)(i * 131 + (i >> 9));
}

static unsigned char *filled(size_t n) {
  unsigned char *p = malloc(n);
  for (size_t i = 0; p && i < n; i++) p[i] = pattern(i);
  return p;
}

static int matches(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != pattern(i)) return 0;
  return 1;
}

static mach_msg_return_t send_ool(mach_port_t dest, const void *data, size_t n) {
  ool_msg_t m = {0};
  m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
  m.header.msgh_size = sizeof m;
  m.header.msgh_remote_port = dest;
  m.header.msgh_id = 500;
  m.body.msgh_descriptor_count = 1;
  m.data.address = (void *)data;
  m.data.size = n;
  m.data.copy = MACH_MSG_VIRTUAL_COPY;
  m.data.type = MACH_MSG_OOL_DESCRIPTOR;
  m.value = (int)n;
  return mach_msg(&m.header, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof m, 0, MACH_PORT_NULL, LONG_WAIT, MACH_PORT_NULL);
}

/* Receive one out-of-line message on `port`: its region checked against the pattern and given back. */
static int receive_ool(mach_port_t port, size_t n) {
  ool_rcv_t r;
  if (receive(port, &r.m.header, sizeof r, 0, LONG_WAIT) != MACH_MSG_SUCCESS) return 0;
  int ok = r.m.data.size == n && r.m.value == (int)n && matches(r.m.data.address, n);
  vm_deallocate(mach_task_self(), (vm_address_t)r.m.data.address, r.m.data.size);
  return ok;
}

/* The receiver: tell the parent its port, then take one 5 MiB message and answer whether it was intact. */
static int receiver(const char *service) {
  mach_port_t mine = connect_to_parent(service, 1);
  if (mine == MACH_PORT_NULL) return 10;
  return receive_ool(mine, 5 << 20) ? 0 : 11;
}

int main(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "receiver")) return receiver(argv[2]);
  if (argc != 3 || strcmp(argv[1], "all")) return 2;
  mach_port_t p = new_port_with_send();
  size_t n = 3 * 1024 * 1024 + 17;
  unsigned char *data = filled(n);
  check("3 MiB of out-of-line memory to the process itself", data && send_ool(p, data, n) == MACH_MSG_SUCCESS && receive_ool(p, n));

  static inline_msg_t big;
  big.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
  big.header.msgh_size = sizeof big;
  big.header.msgh_remote_port = p;
  for (size_t i = 0; i < INLINE_BYTES; i++) big.bytes[i] = pattern(i);
  static struct {
    inline_msg_t m;
    mach_msg_max_trailer_t trailer;
  } got;
  int ok = mach_msg(&big.header, MACH_SEND_MSG, sizeof big, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL) == MACH_MSG_SUCCESS;
  ok = ok && mach_msg(&got.m.header, MACH_RCV_MSG, 0, sizeof got, p, 0, MACH_PORT_NULL) == MACH_MSG_SUCCESS;
  check("200 KiB in-line to the process itself", ok && got.m.header.msgh_size == sizeof big && matches(got.m.bytes, INLINE_BYTES));

  char service[128];
  service_name(service, sizeof service, "large");
  mach_port_t svc = MACH_PORT_NULL;
  bootstrap_check_in(bootstrap_port, service, &svc);
  pid_t child = spawn_role(argv[2], "receiver", service);
  mach_port_t theirs = accept_child(svc, NULL);
  unsigned char *five = filled(5 << 20);
  check("5 MiB of out-of-line memory to another process", theirs != MACH_PORT_NULL && five && send_ool(theirs, five, 5 << 20) == MACH_MSG_SUCCESS);
  check("which received it intact", exit_code(child) == 0);

  size_t too = (64 << 20) + 1;
  void *huge = malloc(too);
  check("over 64 MiB: MACH_SEND_TOO_LARGE, nothing queued", huge && send_ool(p, huge, too) == MACH_SEND_TOO_LARGE && status_of(p).mps_msgcount == 0);
  free(huge);
  free(five);
  free(data);
  mach_port_deallocate(mach_task_self(), theirs);
  mach_port_mod_refs(mach_task_self(), svc, MACH_PORT_RIGHT_RECEIVE, -1);
  mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1);
  mach_port_deallocate(mach_task_self(), p);
  return report();
}
