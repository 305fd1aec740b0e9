// The bootstrap server as macOS programs use it (<servers/bootstrap.h>, launchd's codes): a server
// process checks a name in and serves requests on the receive right it gets; a client process looks
// the name up and sends a request carrying a send right of its own port and out-of-line memory, and
// gets the reply through that right. Neither process inherits a right from the other. Departure:
// launchd only lets a process check in a name declared in its plist (BOOTSTRAP_UNKNOWN_SERVICE
// otherwise); webmach creates the service at check-in.
// Roles: `bootstrap.wasm server NAME` serves until told to quit; `bootstrap.wasm client NAME` makes
// one request; `bootstrap.wasm all SELF` runs both as separate processes and checks the rest. One
// line per check, then "N failures".
#include <mach/mach.h>
#include <stdlib.h>
#include <string.h>

#include "../posix/check.h"
#include "common.h"

enum { REQUEST = 300, QUIT = 399, DATA = 8192 };

static mach_port_t me;

/* A request: the client's port (a send right for the reply), its data out-of-line, and a number. */
typedef struct {
  mach_msg_header_t header;
  mach_msg_body_t body;
  mach_msg_port_descriptor_t reply_to;
  mach_msg_ool_descriptor_t data;
  int value;
} request_t;

typedef struct {
  request_t m;
  mach_msg_max_trailer_t trailer;
} request_rcv_t;

static unsigned sum(const unsigned char *p, size_t n) {
  unsigned s = 0;
  for (size_t i = 0; i < n; i++) s = s * 31 + p[i];
  return s;
}

/* Send a request to svc, asking for the reply on reply_to; the reply's value, or -1. */
static int ask(mach_port_t svc, mach_port_t reply_to, int value) {
  vm_address_t buf = 0;
  if (vm_allocate(me, &buf, DATA, VM_FLAGS_ANYWHERE) != KERN_SUCCESS) return -1;
  for (int i = 0; i < DATA; i++) ((unsigned char *)buf)[i] = (unsigned char)(i ^ value);
  unsigned want = sum((unsigned char *)buf, DATA);
  request_t m;
  memset(&m, 0, sizeof m);
  m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
  m.header.msgh_size = sizeof m;
  m.header.msgh_remote_port = svc;
  m.header.msgh_id = REQUEST;
  m.body.msgh_descriptor_count = 2;
  m.reply_to.name = reply_to;
  m.reply_to.disposition = MACH_MSG_TYPE_MAKE_SEND;
  m.reply_to.type = MACH_MSG_PORT_DESCRIPTOR;
  m.data.address = (void *)buf;
  m.data.size = DATA;
  m.data.deallocate = TRUE;
  m.data.copy = MACH_MSG_VIRTUAL_COPY;
  m.data.type = MACH_MSG_OOL_DESCRIPTOR;
  m.value = value;
  if (mach_msg(&m.header, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL) != MACH_MSG_SUCCESS) return -1;
  value_rcv_t r;
  if (receive_value(reply_to, &r, LONG_WAIT) != MACH_MSG_SUCCESS || r.m.header.msgh_id != REQUEST + 100) return -1;
  return (unsigned)r.m.value == want ? value : -2;
}

/* The server: answer each request with the checksum of its data, through the right it carries. */
static int server(const char *name) {
  mach_port_t svc = MACH_PORT_NULL;
  if (bootstrap_check_in(bootstrap_port, name, &svc) != KERN_SUCCESS) return 10;
  for (;;) {
    request_rcv_t r;
    if (receive(svc, &r.m.header, sizeof r, 0, 20 * 1000) != MACH_MSG_SUCCESS) return 11;
    if (r.m.header.msgh_id == QUIT) return 0;
    if (r.m.header.msgh_id != REQUEST || r.m.body.msgh_descriptor_count != 2) return 12;
    if (r.m.reply_to.disposition != MACH_MSG_TYPE_PORT_SEND || r.m.data.size != DATA) return 13;
    unsigned s = sum(r.m.data.address, DATA);
    vm_deallocate(me, (vm_address_t)r.m.data.address, DATA);
    if (send_value_full(r.m.reply_to.name, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0, REQUEST + 100, (int)s, 0, 0) != MACH_MSG_SUCCESS) return 14;
  }
}

static int client(const char *name) {
  mach_port_t svc = MACH_PORT_NULL, mine = new_port();
  if (bootstrap_look_up(bootstrap_port, name, &svc) != KERN_SUCCESS) return 10;
  return ask(svc, mine, 77) == 77 ? 0 : 11;
}

static void all(const char *self) {
  char name[128];
  service_name(name, sizeof name, "bootstrap");
  mach_port_t svc = MACH_PORT_NULL, extra = MACH_PORT_NULL;
  check("look_up of a name nobody checked in: BOOTSTRAP_UNKNOWN_SERVICE", bootstrap_look_up(bootstrap_port, name, &svc) == BOOTSTRAP_UNKNOWN_SERVICE);
  pid_t server_pid = spawn_role(self, "server", name);
  kern_return_t kr = BOOTSTRAP_UNKNOWN_SERVICE;
  for (int i = 0; i < 250 && kr == BOOTSTRAP_UNKNOWN_SERVICE; i++) {
    kr = bootstrap_look_up(bootstrap_port, name, &svc);
    if (kr == BOOTSTRAP_UNKNOWN_SERVICE) sleep_ms(20);
  }
  check("once the server checked in, look_up finds it", kr == KERN_SUCCESS);
  check("and gives a send right", type_of(svc) == MACH_PORT_TYPE_SEND);
  check("a second check-in of the live service: BOOTSTRAP_SERVICE_ACTIVE", bootstrap_check_in(bootstrap_port, name, &extra) == BOOTSTRAP_SERVICE_ACTIVE);
  pid_t client_pid = spawn_role(self, "client", name);
  check("a client process gets its reply through the right it sent", exit_code(client_pid) == 0);
  mach_port_t mine = new_port();
  check("so does this process", ask(svc, mine, 5) == 5);
  send_value(svc, QUIT, 0);
  check("the server exits 0", exit_code(server_pid) == 0);
  mach_port_t again = MACH_PORT_NULL;
  kr = bootstrap_look_up(bootstrap_port, name, &again);
  check("after it exits the name is gone, or its right dead",
        kr == BOOTSTRAP_UNKNOWN_SERVICE || (kr == KERN_SUCCESS && type_of(again) == MACH_PORT_TYPE_DEAD_NAME));
  check("the right we had is a dead name", type_of(svc) == MACH_PORT_TYPE_DEAD_NAME);
  mach_port_destroy(me, mine);
}

int main(int argc, char **argv) {
  me = mach_task_self();
  if (argc == 3 && !strcmp(argv[1], "server")) return server(argv[2]);
  if (argc == 3 && !strcmp(argv[1], "client")) return client(argv[2]);
  if (argc < 3 || strcmp(argv[1], "all")) return 100;
  all(argv[2]);
  return report();
}
