// A process with Mach names of every kind, listed by /bin/lsmp and /proc/PID/ports: a receive right
// with send rights and queued messages, a port set, a dead name, a send-once right, notification
// requests, a send right to a port another process receives (a child checked in with the bootstrap
// server) and send rights to kernel objects (task, thread, semaphore, bootstrap). It prints each
// name it made ("made WHAT 0xNAME"), the listing lsmp gave between "listing:" and "end of listing",
// then one line per check. Run: lsmp_subject SELF (its own path, to spawn the child: SELF hold NAME).
#include <fcntl.h>
#include <mach/mach.h>
#include <servers/bootstrap.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

extern char **environ;

/* The child: receive the service `name`'s port, say "ready", and keep it until standard input ends. */
static int hold(const char *name) {
  mach_port_t port;
  int ok = bootstrap_check_in(bootstrap_port, name, &port) == KERN_SUCCESS;
  printf("%s\n", ok ? "ready" : "failed");
  fflush(stdout);
  char c;
  while (read(0, &c, 1) > 0) {}
  return !ok;
}

/* Run `argv` with stdout (and stderr, if `both`) to a pipe; what it printed (NUL-terminated) and its status. */
static int run(char *const argv[], int both, char *out, size_t room) {
  int p[2];
  if (pipe(p)) return -1;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], 1);
  if (both) posix_spawn_file_actions_adddup2(&fa, p[1], 2);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  pid_t pid;
  int e = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  size_t got = 0;
  for (ssize_t n; e == 0 && got + 1 < room && (n = read(p[0], out + got, room - 1 - got)) > 0;) got += n;
  out[got] = 0;
  close(p[0]);
  int st;
  if (e || waitpid(pid, &st, 0) != pid) return -1;
  return st;
}

/* Spawn `self` holding service `name`: its pid, once it says it has checked in; `in` is its standard input. */
static pid_t holder(const char *self, const char *name, int *in) {
  int to[2], from[2];
  if (pipe(to) || pipe(from)) return -1;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, to[0], 0);
  posix_spawn_file_actions_adddup2(&fa, from[1], 1);
  posix_spawn_file_actions_addclose(&fa, to[1]);
  posix_spawn_file_actions_addclose(&fa, from[0]);
  char *argv[] = {(char *)self, "hold", (char *)name, NULL};
  pid_t pid;
  int e = posix_spawn(&pid, self, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(to[0]);
  close(from[1]);
  char line[16] = {0};
  ssize_t n = e ? -1 : read(from[0], line, sizeof line - 1);
  close(from[0]);
  *in = to[1];
  return n > 0 && !strncmp(line, "ready", 5) ? pid : -1;
}

/* The listing's line for `name`, as "rights urefs reqs msgcount qlimit mscount receiver" into `got`; its object and last column too. */
static int row(const char *listing, mach_port_name_t name, char *got, size_t room, char *object, char *what) {
  char key[16];
  snprintf(key, sizeof key, "\n0x%08x ", name);
  const char *line = strstr(listing, key);
  if (!line) return 0;
  char text[256], f[7][32];
  int used = 0;
  what[0] = 0;
  if (sscanf(line + 1, "%255[^\n]", text) != 1) return 0;
  if (sscanf(text, "%*s %31s %31s %31s %31s %31s %31s %31s %31s %n", object, f[0], f[1], f[2], f[3], f[4], f[5], f[6], &used) < 8) return 0;
  snprintf(what, 128, "%s", text + used);
  snprintf(got, room, "%s %s %s %s %s %s %s", f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
  return 1;
}

/* Whether name's line reads as `fmt` (with printf's arguments) and ends with `what`. */
static int listed(const char *listing, mach_port_name_t name, const char *what, const char *fmt, ...) {
  char want[128], got[128], object[32], last[128];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(want, sizeof want, fmt, ap);
  va_end(ap);
  if (!row(listing, name, got, sizeof got, object, last)) return 0;
  if (strcmp(got, want) || strcmp(last, what)) printf("  0x%08x: got \"%s\" \"%s\", wanted \"%s\" \"%s\"\n", name, got, last, want, what);
  return !strcmp(got, want) && !strcmp(last, what);
}

static const char *object_of(const char *listing, mach_port_name_t name, char *object) {
  char got[128], what[128];
  return row(listing, name, got, sizeof got, object, what) ? object : "";
}

int main(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "hold")) return hold(argv[2]);
  if (argc != 2) {
    fprintf(stderr, "usage: lsmp_subject SELF\n");
    return 2;
  }
  pid_t me = getpid();
  char service[64];
  snprintf(service, sizeof service, "lsmp.subject.%d", me);
  int holder_in;
  pid_t other = holder(argv[1], service, &holder_in);
  check("a child checks in a service", other > 0);

  mach_port_t task = mach_task_self(), thread = mach_thread_self(), boot = bootstrap_port;
  mach_port_t recv, watched, set, dead, sonce, sema, looked = MACH_PORT_NULL, child_task = MACH_PORT_NULL, previous;
  mach_msg_type_name_t type;
  mach_port_limits_t limits = {.mpl_qlimit = 3};
  check("a receive right with a send right, 3 references, a queue limit of 3",
        mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &recv) == KERN_SUCCESS &&
        mach_port_insert_right(task, recv, recv, MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS &&
        mach_port_mod_refs(task, recv, MACH_PORT_RIGHT_SEND, 2) == KERN_SUCCESS &&
        mach_port_set_attributes(task, recv, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&limits, MACH_PORT_LIMITS_INFO_COUNT) == KERN_SUCCESS);
  mach_msg_header_t msg = {.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), .msgh_size = sizeof msg, .msgh_remote_port = recv, .msgh_id = 7};
  check("a message queued on it", mach_msg_send(&msg) == MACH_MSG_SUCCESS);
  check("a port set holding it",
        mach_port_allocate(task, MACH_PORT_RIGHT_PORT_SET, &set) == KERN_SUCCESS && mach_port_insert_member(task, recv, set) == KERN_SUCCESS);
  check("a dead name with 2 references",
        mach_port_allocate(task, MACH_PORT_RIGHT_DEAD_NAME, &dead) == KERN_SUCCESS && mach_port_mod_refs(task, dead, MACH_PORT_RIGHT_DEAD_NAME, 1) == KERN_SUCCESS);
  check("a send-once right to the receive right",
        mach_port_extract_right(task, recv, MACH_MSG_TYPE_MAKE_SEND_ONCE, &sonce, &type) == KERN_SUCCESS && type == MACH_MSG_TYPE_PORT_SEND_ONCE);
  check("a receive right with a send right, no-senders and port-destroyed requests armed",
        mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &watched) == KERN_SUCCESS &&
        mach_port_insert_right(task, watched, watched, MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS &&
        mach_port_request_notification(task, watched, MACH_NOTIFY_NO_SENDERS, 1, recv, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous) == KERN_SUCCESS &&
        mach_port_request_notification(task, watched, MACH_NOTIFY_PORT_DESTROYED, 0, recv, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous) == KERN_SUCCESS);
  check("a send right to the child's service, a dead-name request armed on it",
        other > 0 && bootstrap_look_up(boot, service, &looked) == KERN_SUCCESS &&
        mach_port_request_notification(task, looked, MACH_NOTIFY_DEAD_NAME, 0, recv, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous) == KERN_SUCCESS);
  check("the child's task port", other > 0 && task_for_pid(task, other, &child_task) == KERN_SUCCESS);
  check("a semaphore", semaphore_create(task, &sema, SYNC_POLICY_FIFO, 0) == KERN_SUCCESS);
  const struct { const char *what; mach_port_t name; } made[] = {
      {"task", task}, {"thread", thread}, {"bootstrap", boot}, {"recv", recv}, {"set", set}, {"dead", dead}, {"sonce", sonce},
      {"watched", watched}, {"service", looked}, {"child_task", child_task}, {"semaphore", sema},
  };
  for (size_t i = 0; i < sizeof made / sizeof *made; i++) printf("made %s 0x%08x\n", made[i].what, made[i].name);
  printf("pids %d %d\n", me, other);

  static char listing[16384], ports[16384], own[1024], none[1024];
  char pid[16];
  snprintf(pid, sizeof pid, "%d", me);
  char *lsmp[] = {"/bin/lsmp", "-p", pid, NULL};
  check("lsmp -p PID lists the process", run(lsmp, 0, listing, sizeof listing) == 0);
  printf("listing:\n%send of listing\n", listing);
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/ports", me);
  char *cat[] = {"/bin/cat", path, NULL};
  const char *header = strchr(listing, '\n');
  check("/proc/PID/ports is the listing after its first line", run(cat, 0, ports, sizeof ports) == 0 && header && !strcmp(ports, header + 1));

  check("the receive right: recv,send, 3 references, 1 message of 3, make-send count 1, received here",
        listed(listing, recv, "", "recv,send 3 --- 1 3 1 %d", me));
  char object[32], members[64];
  snprintf(members, sizeof members, "members %s", object_of(listing, recv, object));
  check("the port set: its member is the receive right's port", listed(listing, set, members, "port-set - --- - - - -"));
  check("the dead name: 2 references, no object", listed(listing, dead, "", "dead-name 2 --- - - - -") && !strcmp(object_of(listing, dead, object), "-"));
  char recv_object[32];
  object_of(listing, recv, recv_object);
  check("the send-once right: 1 reference, the receive right's port, received here",
        listed(listing, sonce, "", "send-once 1 --- - - - %d", me) && !strcmp(object_of(listing, sonce, object), recv_object));
  check("the watched port: no-senders and port-destroyed requests, the default queue limit",
        listed(listing, watched, "", "recv,send 1 NP- 0 5 1 %d", me));
  check("the child's service: received by the child, a dead-name request", listed(listing, looked, "", "send 1 --D - - - %d", other));
  char what[32];
  snprintf(what, sizeof what, "TASK (%d)", me);
  check("the task's own port: a kernel object", listed(listing, task, what, "send 1 --- - - - kernel"));
  snprintf(what, sizeof what, "THREAD (%d)", me);
  check("its thread's port", listed(listing, thread, what, "send 1 --- - - - kernel"));
  snprintf(what, sizeof what, "TASK (%d)", other);
  check("the child's task port", listed(listing, child_task, what, "send 1 --- - - - kernel"));
  check("the bootstrap port", listed(listing, boot, "BOOTSTRAP", "send 1 --- - - - kernel"));
  check("the semaphore", listed(listing, sema, "SEMAPHORE", "send 1 --- - - - kernel"));
  int lines = 0;
  for (const char *s = listing; (s = strchr(s, '\n')); s++) lines++;
  check("a header, the process line and one line per name, no more", lines == 2 + (int)(sizeof made / sizeof *made));

  char *bare[] = {"/bin/lsmp", NULL};
  check("lsmp alone lists itself, which never used Mach: its header only", run(bare, 0, own, sizeof own) == 0 &&
        !strncmp(own, "Process (", 9) && strstr(own, ") : lsmp\nname ") && strchr(strchr(own, '\n') + 1, '\n')[1] == 0);
  char *missing[] = {"/bin/lsmp", "-p", "99999", NULL};
  int st = run(missing, 1, none, sizeof none);
  check("lsmp -p of no process: status 1 and a message", WIFEXITED(st) && WEXITSTATUS(st) == 1 && !strcmp(none, "lsmp: no process with pid 99999\n"));

  close(holder_in);
  int hs;
  check("the child ends", other > 0 && waitpid(other, &hs, 0) == other && WIFEXITED(hs) && WEXITSTATUS(hs) == 0);
  return report();
}
