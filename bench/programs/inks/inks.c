// The INKS experiment's program (lepreau-1993 Table 3; issue 12's three bindings): one interface
// (inks.defs) served three ways, by the same server code: in another process by full Mach messages,
// in another process by direct calls to its serving thread, and colocated in the caller.
//   inks server NAME                 check in NAME with the bootstrap server, say "ready" on stdout, serve for ever
//   inks check SELF                  every routine through each binding, results checked (check.h's report)
//   inks bench OP BINDING N SELF     N calls of OP (null, in64, in1k, out1k, inout128, task_info) by BINDING
//                                    (message, direct, colocated); prints the ns they took
// task_info is the `mig` experiment's (birch-2005 Table 7.1): by message to the task port (msg_task_info,
// generated from abi/task.defs) or by the direct routine of the server (task_info).
#include <mach/mach.h>
#include <servers/bootstrap.h>
#include <webmach/mig.h>
#include <webmach/task_msg.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "inks.h"
#include "../../../test/programs/posix/check.h"

extern char **environ;

/* ---- the server's routines ---- */

kern_return_t S_null_rpc(mach_port_t server) {
  (void)server;
  return KERN_SUCCESS;
}

kern_return_t S_in64(mach_port_t server, const uint8_t *data) {
  (void)server;
  for (int i = 0; i < 64; i++)
    if (data[i] != i) return KERN_INVALID_ARGUMENT;
  return KERN_SUCCESS;
}

kern_return_t S_in1k(mach_port_t server, const uint8_t *data) {
  (void)server;
  for (int i = 0; i < 1024; i++)
    if (data[i] != (i & 0xff)) return KERN_INVALID_ARGUMENT;
  return KERN_SUCCESS;
}

kern_return_t S_out1k(mach_port_t server, uint8_t *data) {
  (void)server;
  for (int i = 0; i < 1024; i++) data[i] = (3 * i) & 0xff;
  return KERN_SUCCESS;
}

kern_return_t S_inout128(mach_port_t server, uint8_t *data) {
  (void)server;
  for (int i = 0; i < 128; i++) data[i] = ~data[i];
  return KERN_SUCCESS;
}

kern_return_t S_sum_ool(mach_port_t server, const void *data, mach_msg_type_number_t dataCnt, uint32_t *sum) {
  (void)server;
  *sum = 0;
  for (mach_msg_type_number_t i = 0; i < dataCnt; i++) *sum += ((const uint8_t *)data)[i];
  vm_deallocate(mach_task_self(), (vm_address_t)data, dataCnt);
  return KERN_SUCCESS;
}

kern_return_t S_pass_right(mach_port_t server, mach_port_t right, uint32_t *ptype) {
  (void)server;
  mach_port_type_t t = 0;
  mach_port_type(mach_task_self(), right, &t);
  *ptype = t;
  mach_port_deallocate(mach_task_self(), right);
  return KERN_SUCCESS;
}

static int serve(const char *name) {
  mach_port_t port;
  if (bootstrap_check_in(bootstrap_port, name, &port) != KERN_SUCCESS) return 2;
  write(1, "ready\n", 6);
  return mach_msg_server(inks_server, inks_MAX_SIZE, port, 0) == MACH_MSG_SUCCESS ? 0 : 3;
}

/* ---- a server in another process ---- */

static pid_t server_pid;

/* Start `self server NAME` and look the service up once it says it is ready. */
static mach_port_t start_server(const char *self) {
  char name[64];
  snprintf(name, sizeof name, "inks-%d", getpid());
  int fds[2];
  if (pipe(fds) != 0) return MACH_PORT_NULL;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  char *argv[] = {"inks", "server", name, NULL};
  int r = posix_spawn(&server_pid, self, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  char ready[6];
  ssize_t n = r == 0 ? read(fds[0], ready, sizeof ready) : -1;
  close(fds[0]);
  mach_port_t port = MACH_PORT_NULL;
  if (n != 6 || bootstrap_look_up(bootstrap_port, name, &port) != KERN_SUCCESS) return MACH_PORT_NULL;
  return port;
}

static int stop_server(void) {
  int status = 0;
  kill(server_pid, SIGTERM);
  waitpid(server_pid, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM;
}

/* A receive right of this process served by the same code, colocated. */
static mach_port_t colocated_port(void) {
  mach_port_t port;
  mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
  mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND);
  mig_register_colocated(port, inks_server);
  return port;
}

/* ---- checks ---- */

/* Every routine through `port` under the bindings allowed, `binding` doing the simple calls; the checks' names say which. */
static void check_all(const char *how, mach_port_t port, int binding, int complex_binding) {
  char what[160];
  uint8_t data[1024];
  unsigned before = mig_binding_calls(binding);
  int ok = null_rpc(port) == KERN_SUCCESS;
  for (int i = 0; i < 64; i++) data[i] = i;
  ok = ok && in64(port, data) == KERN_SUCCESS;
  data[5] = 99;
  ok = ok && in64(port, data) == KERN_INVALID_ARGUMENT;
  for (int i = 0; i < 1024; i++) data[i] = i & 0xff;
  ok = ok && in1k(port, data) == KERN_SUCCESS;
  memset(data, 0, sizeof data);
  ok = ok && out1k(port, data) == KERN_SUCCESS;
  for (int i = 0; i < 1024; i++) ok = ok && data[i] == ((3 * i) & 0xff);
  for (int i = 0; i < 128; i++) data[i] = i;
  ok = ok && inout128(port, data) == KERN_SUCCESS;
  for (int i = 0; i < 128; i++) ok = ok && data[i] == (uint8_t)~i;
  snprintf(what, sizeof what, "%s: null, 64 in (and a refused one), 1 KiB in, 1 KiB out, 128 inout", how);
  check(what, ok);
  snprintf(what, sizeof what, "%s: the six simple calls took that binding", how);
  check(what, mig_binding_calls(binding) - before == 6);
  uint8_t ool[3000];
  uint32_t sum = 0, expect = 0;
  for (unsigned i = 0; i < sizeof ool; i++) ool[i] = i * 7, expect += (uint8_t)(i * 7);
  mach_port_t right;
  mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &right);
  mach_port_insert_right(mach_task_self(), right, right, MACH_MSG_TYPE_MAKE_SEND);
  uint32_t ptype = 0;
  unsigned complex_before = mig_binding_calls(complex_binding);
  ok = sum_ool(port, ool, sizeof ool, &sum) == KERN_SUCCESS && sum == expect;
  ok = ok && pass_right(port, right, &ptype) == KERN_SUCCESS && (ptype & MACH_PORT_TYPE_SEND);
  snprintf(what, sizeof what, "%s: out-of-line memory and a right go by full message (sum %u, type %#x)", how, sum, ptype);
  check(what, ok && mig_binding_calls(complex_binding) - complex_before == 2);
  mach_port_mod_refs(mach_task_self(), right, MACH_PORT_RIGHT_RECEIVE, -1);
  mach_port_deallocate(mach_task_self(), right);
}

static int check_bindings(const char *self) {
  mig_binding(MIG_BIND_COLOCATED);
  mach_port_t local = colocated_port();
  check_all("colocated", local, MIG_BIND_COLOCATED, MIG_BIND_COLOCATED);
  mach_port_mod_refs(mach_task_self(), local, MACH_PORT_RIGHT_RECEIVE, -1);
  mach_port_deallocate(mach_task_self(), local);

  mach_port_t port = start_server(self);
  check("a server in another process found through the bootstrap server", port != MACH_PORT_NULL);
  mig_binding(MIG_BIND_MESSAGE);
  check_all("full message", port, MIG_BIND_MESSAGE, MIG_BIND_MESSAGE);
  mig_binding(MIG_BIND_DIRECT);
  check_all("direct", port, MIG_BIND_DIRECT, MIG_BIND_MESSAGE);

  int32_t info[32], direct_info[32];
  mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT, direct_count = MACH_TASK_BASIC_INFO_COUNT;
  kern_return_t a = msg_task_info(mach_task_self(), MACH_TASK_BASIC_INFO, info, &count);
  kern_return_t b = task_info(mach_task_self(), MACH_TASK_BASIC_INFO, (task_info_t)direct_info, &direct_count);
  check("task_info by message to the task port and by the direct routine: the same answer",
        a == KERN_SUCCESS && b == KERN_SUCCESS && count == direct_count && memcmp(info, direct_info, count * 4) == 0);
  count = 2;
  check("task_info by message with too little room: the server's KERN_INVALID_ARGUMENT", msg_task_info(mach_task_self(), MACH_TASK_BASIC_INFO, info, &count) == KERN_INVALID_ARGUMENT);

  check("the server ends by SIGTERM", stop_server());
  mig_binding(MIG_BIND_ANY);
  kern_return_t dead = null_rpc(port);
  check("a call to a server that ended: MACH_SEND_INVALID_DEST", dead == MACH_SEND_INVALID_DEST);
  mach_port_deallocate(mach_task_self(), port);
  return report();
}

/* ---- the benchmark ---- */

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int bench(const char *op, const char *how, long n, const char *self) {
  int colocated = !strcmp(how, "colocated");
  mig_binding(colocated ? MIG_BIND_COLOCATED : !strcmp(how, "direct") ? MIG_BIND_DIRECT : MIG_BIND_MESSAGE);
  int task = !strcmp(op, "task_info");
  mach_port_t port = task ? mach_task_self() : colocated ? colocated_port() : start_server(self);
  if (port == MACH_PORT_NULL) return 2;
  uint8_t data[1024];
  for (int i = 0; i < 1024; i++) data[i] = i & 0xff;
  int32_t info[32];
  kern_return_t kr = KERN_SUCCESS;
  int64_t start = 0;
  for (long i = -n / 10 - 1; i < n && kr == KERN_SUCCESS; i++) { /* a tenth of the calls first, untimed */
    if (i == 0) start = now_ns();
    mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
    if (!strcmp(op, "null")) kr = null_rpc(port);
    else if (!strcmp(op, "in64")) kr = in64(port, data);
    else if (!strcmp(op, "in1k")) kr = in1k(port, data);
    else if (!strcmp(op, "out1k")) kr = out1k(port, data);
    else if (!strcmp(op, "inout128")) kr = (inout128(port, data), inout128(port, data));
    else if (task && colocated) return 2;
    else if (task && !strcmp(how, "direct")) kr = task_info(port, MACH_TASK_BASIC_INFO, (task_info_t)info, &count);
    else if (task) kr = msg_task_info(port, MACH_TASK_BASIC_INFO, info, &count);
    else return 2;
  }
  int64_t took = now_ns() - start;
  if (!strcmp(op, "inout128")) took /= 2;
  if (!task && !colocated && !stop_server()) return 3;
  if (kr != KERN_SUCCESS) return 4;
  printf("%lld\n", (long long)took);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "server")) return serve(argv[2]);
  if (argc == 3 && !strcmp(argv[1], "check")) return check_bindings(argv[2]);
  if (argc == 6 && !strcmp(argv[1], "bench")) return bench(argv[2], argv[3], atol(argv[4]), argv[5]);
  fprintf(stderr, "usage: inks server NAME | check SELF | bench OP BINDING N SELF\n");
  return 2;
}
