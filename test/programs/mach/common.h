// Helpers shared by the Mach test programs (written as for macOS): small messages carrying an int or
// one port right, sending and receiving them with a timeout, spawning this program in another role,
// and handing rights between a parent and its child through the bootstrap server (a child inherits
// no rights but the bootstrap port). Everything is static inline: a program uses what it needs.
#include <mach/mach.h>
#include <servers/bootstrap.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* How long a receive that should succeed may wait, in ms (it never takes that long when it works). */
#define LONG_WAIT 5000

/* A message of one int; received with room for the largest trailer. */
typedef struct {
  mach_msg_header_t header;
  int value;
} value_msg_t;

typedef struct {
  value_msg_t m;
  mach_msg_max_trailer_t trailer;
} value_rcv_t;

/* A complex message carrying one port right and an int. */
typedef struct {
  mach_msg_header_t header;
  mach_msg_body_t body;
  mach_msg_port_descriptor_t port;
  int value;
} port_msg_t;

typedef struct {
  port_msg_t m;
  mach_msg_max_trailer_t trailer;
} port_rcv_t;

static inline mach_port_t new_port(void) {
  mach_port_t p = MACH_PORT_NULL;
  return mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p) == KERN_SUCCESS ? p : MACH_PORT_NULL;
}

/* A receive right with a send right under the same name. */
static inline mach_port_t new_port_with_send(void) {
  mach_port_t p = new_port();
  if (p != MACH_PORT_NULL) mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND);
  return p;
}

/* Send an int to dest (disposition disp), with an optional reply port; options are added to MACH_SEND_MSG. */
static inline mach_msg_return_t send_value_full(mach_port_t dest, mach_msg_type_name_t disp, mach_port_t reply,
                                                mach_msg_type_name_t reply_disp, mach_msg_id_t id, int value,
                                                mach_msg_option_t options, mach_msg_timeout_t timeout) {
  value_msg_t m;
  memset(&m, 0, sizeof m);
  m.header.msgh_bits = MACH_MSGH_BITS(disp, reply == MACH_PORT_NULL ? 0 : reply_disp);
  m.header.msgh_size = sizeof m;
  m.header.msgh_remote_port = dest;
  m.header.msgh_local_port = reply;
  m.header.msgh_id = id;
  m.value = value;
  return mach_msg(&m.header, MACH_SEND_MSG | options, sizeof m, 0, MACH_PORT_NULL, timeout, MACH_PORT_NULL);
}

static inline mach_msg_return_t send_value(mach_port_t dest, mach_msg_id_t id, int value) {
  return send_value_full(dest, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, id, value, 0, MACH_MSG_TIMEOUT_NONE);
}

/* Receive into any buffer of size bytes from port (or set), waiting at most timeout ms; extra options added. */
static inline mach_msg_return_t receive(mach_port_t port, mach_msg_header_t *buf, mach_msg_size_t size,
                                        mach_msg_option_t options, mach_msg_timeout_t timeout) {
  memset(buf, 0, size);
  return mach_msg(buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT | options, 0, size, port, timeout, MACH_PORT_NULL);
}

static inline mach_msg_return_t receive_value(mach_port_t port, value_rcv_t *r, mach_msg_timeout_t timeout) {
  return receive(port, &r->m.header, sizeof *r, 0, timeout);
}

/* Send one right (disposition disp) to dest in a complex message, with an int. */
static inline mach_msg_return_t send_port(mach_port_t dest, mach_msg_id_t id, mach_port_t right,
                                          mach_msg_type_name_t disp, int value) {
  port_msg_t m;
  memset(&m, 0, sizeof m);
  m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
  m.header.msgh_size = sizeof m;
  m.header.msgh_remote_port = dest;
  m.header.msgh_id = id;
  m.body.msgh_descriptor_count = 1;
  m.port.name = right;
  m.port.disposition = disp;
  m.port.type = MACH_MSG_PORT_DESCRIPTOR;
  m.value = value;
  return mach_msg(&m.header, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

static inline mach_msg_return_t receive_port(mach_port_t port, port_rcv_t *r, mach_msg_timeout_t timeout) {
  return receive(port, &r->m.header, sizeof *r, 0, timeout);
}

/* The type bits of name, or 0 when mach_port_type fails. */
static inline mach_port_type_t type_of(mach_port_name_t name) {
  mach_port_type_t t = 0;
  return mach_port_type(mach_task_self(), name, &t) == KERN_SUCCESS ? t : 0;
}

/* The urefs of one right kind under name, or ~0u when mach_port_get_refs fails. */
static inline mach_port_urefs_t refs_of(mach_port_name_t name, mach_port_right_t right) {
  mach_port_urefs_t n = 0;
  return mach_port_get_refs(mach_task_self(), name, right, &n) == KERN_SUCCESS ? n : ~0u;
}

/* MACH_PORT_RECEIVE_STATUS of a receive right (zeroes if it fails). */
static inline mach_port_status_t status_of(mach_port_name_t name) {
  mach_port_status_t st;
  memset(&st, 0, sizeof st);
  mach_msg_type_number_t n = MACH_PORT_RECEIVE_STATUS_COUNT;
  mach_port_get_attributes(mach_task_self(), name, MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st, &n);
  return st;
}

/* A name that denotes no right: a dead name's, freed. */
static inline mach_port_name_t freed_name(void) {
  mach_port_name_t n = MACH_PORT_NULL;
  mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &n);
  mach_port_deallocate(mach_task_self(), n);
  return n;
}

static inline long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static inline void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

/* Spawn `self` with argv {self, role, arg} (arg may be NULL); its pid or -1. */
static inline pid_t spawn_role(const char *self, const char *role, const char *arg) {
  char *argv[] = {(char *)self, (char *)role, (char *)arg, NULL};
  pid_t pid;
  return posix_spawn(&pid, self, NULL, NULL, argv, environ) == 0 ? pid : -1;
}

/* The exit status of pid once it ended; -1 if it did not exit normally. */
static inline int exit_code(pid_t pid) {
  int st;
  if (pid < 0 || waitpid(pid, &st, 0) != pid) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A service name unique to this run of program prog. */
static inline void service_name(char *buf, size_t size, const char *prog) {
  snprintf(buf, size, "org.webmach.test.%s.%d", prog, (int)getpid());
}

/* Child side: look up the parent's service and give it a send right to a new port of ours (message
 * id `id`). Returns that port (our receive right), or MACH_PORT_NULL. */
static inline mach_port_t connect_to_parent(const char *service, mach_msg_id_t id) {
  mach_port_t svc = MACH_PORT_NULL, mine = new_port();
  if (bootstrap_look_up(bootstrap_port, service, &svc) != KERN_SUCCESS || mine == MACH_PORT_NULL) return MACH_PORT_NULL;
  if (send_port(svc, id, mine, MACH_MSG_TYPE_MAKE_SEND, (int)getpid()) != MACH_MSG_SUCCESS) return MACH_PORT_NULL;
  mach_port_deallocate(mach_task_self(), svc);
  return mine;
}

/* Parent side: the send right a child gave with connect_to_parent, or MACH_PORT_NULL. */
static inline mach_port_t accept_child(mach_port_t svc, mach_msg_id_t *id) {
  port_rcv_t r;
  if (receive_port(svc, &r, LONG_WAIT) != MACH_MSG_SUCCESS) return MACH_PORT_NULL;
  if (id) *id = r.m.header.msgh_id;
  return r.m.port.name;
}
