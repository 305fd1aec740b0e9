/*
 * The MIG runtime (<webmach/mig.h>): the per-thread reply port, the binding a generated stub's call
 * takes (colocated, direct or full message: __webmach_mig_rpc) and the server loops
 * (mach_msg_server, which also serves direct calls when the server lets it).
 */
#include <webmach/mig.h>
#include <webmach/mach_traps.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Results of the task library's direct binding (libsystem/mig_direct.ts). */
enum { DIRECT_DONE = 0, DIRECT_BUSY = 1, DIRECT_STALE = 2 };
enum { SERVE_REQUEST = 1, SERVE_MESSAGES = 2 };

static int bindings = MIG_BIND_ANY;
/* Calls made by each binding (message, direct, colocated). */
static unsigned calls[3];

unsigned mig_binding_calls(int binding) {
  return binding == MIG_BIND_MESSAGE ? calls[0] : binding == MIG_BIND_DIRECT ? calls[1] : binding == MIG_BIND_COLOCATED ? calls[2] : 0;
}

int mig_binding(int allowed) {
  int old = bindings;
  bindings = allowed | MIG_BIND_MESSAGE;
  return old;
}

/* ---- the reply port, one per process (one thread each) ---- */

static mach_port_t reply_port;
static pid_t reply_pid;

mach_port_t mig_get_reply_port(void) {
  if (reply_pid != getpid() || reply_port == MACH_PORT_NULL) {
    reply_port = mach_reply_port();
    reply_pid = getpid();
  }
  return reply_port;
}

void mig_dealloc_reply_port(mach_port_t port) {
  if (port == reply_port && reply_pid == getpid()) reply_port = MACH_PORT_NULL;
  mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
}

void mig_put_reply_port(mach_port_t port) {
  (void)port;
}

static void serve_message(mig_demux_t demux, mach_msg_header_t *request, mach_msg_header_t *reply);

/* ---- bindings a process knows: colocated servers, and direct ones (or none) by port name ---- */

#define MAX_BINDINGS 32

static struct colocated {
  mach_port_t port;
  mig_demux_t demux;
} colocated[MAX_BINDINGS];
static pid_t colocated_pid;

static struct direct {
  mach_port_t port;
  int32_t slot; /* -1: nobody serves it directly (asked once) */
  uint32_t status;
} direct[MAX_BINDINGS];
static pid_t direct_pid;
static unsigned direct_next;

/* The tables belong to the process that filled them: a forked child starts with none. */
static void own_tables(void) {
  pid_t pid = getpid();
  if (colocated_pid != pid) memset(colocated, 0, sizeof colocated), colocated_pid = pid;
  if (direct_pid != pid) memset(direct, 0, sizeof direct), direct_pid = pid, direct_next = 0;
}

kern_return_t mig_register_colocated(mach_port_t port, mig_demux_t demux) {
  mach_port_type_t type;
  kern_return_t kr = mach_port_type(mach_task_self(), port, &type);
  if (kr != KERN_SUCCESS) return kr;
  if (!(type & MACH_PORT_TYPE_RECEIVE)) return KERN_INVALID_RIGHT;
  own_tables();
  for (int i = 0; i < MAX_BINDINGS; i++) {
    if (colocated[i].port == port || colocated[i].demux == NULL) {
      colocated[i] = (struct colocated){port, demux};
      return KERN_SUCCESS;
    }
  }
  return KERN_RESOURCE_SHORTAGE;
}

static mig_demux_t colocated_demux(mach_port_t port) {
  own_tables();
  for (int i = 0; i < MAX_BINDINGS && colocated[i].demux; i++)
    if (colocated[i].port == port) return colocated[i].demux;
  return NULL;
}

/* The direct binding for `port`, asking the server the first time (NULL: none). */
static struct direct *direct_binding(mach_port_t port) {
  own_tables();
  for (int i = 0; i < MAX_BINDINGS; i++)
    if (direct[i].port == port) return direct[i].slot >= 0 ? &direct[i] : NULL;
  int32_t kr = KERN_FAILURE, slot = -1;
  uint32_t status = 0;
  if (__webmach_mach_port_bind_direct(port, &kr, &slot, &status) != 0 || kr != KERN_SUCCESS) slot = -1;
  struct direct *d = &direct[direct_next++ % MAX_BINDINGS];
  *d = (struct direct){port, slot, status};
  return slot >= 0 ? d : NULL;
}

/*
 * A colocated call: the server's demultiplexer runs on a copy of the request, its reply in `msg`. A
 * request carrying rights or out-of-line memory travels as a message even so (lepreau-1993's
 * "INKS message"): sent to the port, received from it here, served, and the reply received.
 */
static mach_msg_return_t call_colocated(mig_demux_t demux, mach_msg_header_t *msg, mach_msg_size_t send_size, mach_msg_size_t rcv_size) {
  mach_msg_size_t room = send_size + MAX_TRAILER_SIZE + 256;
  unsigned char request_buf[room], reply_buf[rcv_size];
  mach_msg_header_t *request = (mach_msg_header_t *)request_buf;
  if (!(msg->msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
    memcpy(request, msg, send_size);
    request->msgh_local_port = msg->msgh_remote_port;
    request->msgh_remote_port = MACH_PORT_NULL;
    request->msgh_bits = MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND);
    demux(request, msg);
    return MACH_MSG_SUCCESS;
  }
  mach_port_t port = msg->msgh_remote_port, reply = msg->msgh_local_port;
  mach_msg_return_t mr = mach_msg(msg, MACH_SEND_MSG, send_size, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
  if (mr != MACH_MSG_SUCCESS) return mr;
  mr = mach_msg(request, MACH_RCV_MSG, 0, room, port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
  if (mr != MACH_MSG_SUCCESS) return mr;
  serve_message(demux, request, (mach_msg_header_t *)reply_buf);
  return mach_msg(msg, MACH_RCV_MSG, 0, rcv_size, reply, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

mach_msg_return_t __webmach_mig_rpc(mach_msg_header_t *msg, mach_msg_size_t send_size, mach_msg_size_t rcv_size) {
  mach_port_t port = msg->msgh_remote_port;
  if (bindings & MIG_BIND_COLOCATED) {
    mig_demux_t demux = colocated_demux(port);
    if (demux) return calls[2]++, call_colocated(demux, msg, send_size, rcv_size);
  }
  if ((bindings & MIG_BIND_DIRECT) && !(msg->msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
    struct direct *d = direct_binding(port);
    size_t got = 0;
    int32_t r = d ? __webmach_mig_direct_call(d->slot, d->status, msg, send_size, msg, rcv_size, &got) : DIRECT_BUSY;
    if (r == DIRECT_DONE) return calls[1]++, MACH_MSG_SUCCESS;
    if (r != DIRECT_BUSY && d) d->port = MACH_PORT_NULL; /* stale: ask again next time */
  }
  calls[0]++;
  return mach_msg(msg, MACH_SEND_MSG | MACH_RCV_MSG, send_size, rcv_size, msg->msgh_local_port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

/* ---- servers ---- */

/* Serve a full message: the demultiplexer's reply goes to the request's reply right; a failed request's rights are released. */
static void serve_message(mig_demux_t demux, mach_msg_header_t *request, mach_msg_header_t *reply) {
  demux(request, reply);
  mig_reply_error_t *r = (mig_reply_error_t *)reply;
  boolean_t failed = !(reply->msgh_bits & MACH_MSGH_BITS_COMPLEX) && r->RetCode != KERN_SUCCESS;
  if (failed && r->RetCode == MIG_NO_REPLY) return;
  if (failed) {
    request->msgh_remote_port = MACH_PORT_NULL; /* the reply right goes with the reply */
    mach_msg_destroy(request);
  }
  if (reply->msgh_remote_port == MACH_PORT_NULL) return;
  mach_msg_option_t option = MACH_SEND_MSG;
  if (MACH_MSGH_BITS_REMOTE(reply->msgh_bits) != MACH_MSG_TYPE_MOVE_SEND_ONCE) option |= MACH_SEND_TIMEOUT; /* never block on a client's full queue */
  if (mach_msg(reply, option, reply->msgh_size, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL) != MACH_MSG_SUCCESS) mach_msg_destroy(reply);
}

mach_msg_return_t mach_msg_server_once(mig_demux_t demux, mach_msg_size_t max_size, mach_port_t rcv_name, mach_msg_options_t options) {
  mach_msg_size_t room = max_size + MAX_TRAILER_SIZE;
  mach_msg_header_t *request = malloc(room), *reply = malloc(room);
  mach_msg_return_t mr = MACH_RCV_TOO_LARGE;
  if (request && reply) {
    mr = mach_msg(request, MACH_RCV_MSG | (options & ~MACH_SEND_MSG), 0, room, rcv_name, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
    if (mr == MACH_MSG_SUCCESS) serve_message(demux, request, reply);
  }
  free(request);
  free(reply);
  return mr;
}

/* A direct request as the demultiplexer expects it: to the port served, with no reply right (the reply goes back the way it came). */
static void direct_request(mach_msg_header_t *request, mach_port_t served) {
  request->msgh_local_port = served;
  request->msgh_remote_port = MACH_PORT_NULL;
  request->msgh_bits = MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND);
}

mach_msg_return_t mach_msg_server(mig_demux_t demux, mach_msg_size_t max_size, mach_port_t rcv_name, mach_msg_options_t options) {
  mach_msg_size_t room = max_size + MAX_TRAILER_SIZE;
  mach_msg_header_t *request = malloc(room), *reply = malloc(room);
  if (!request || !reply) return MACH_RCV_TOO_LARGE;
  int32_t kr = KERN_FAILURE;
  uint32_t id = 0, status = 0;
  boolean_t direct_ok = __webmach_mach_port_serve_direct(rcv_name, &kr, &id, &status) == 0 && kr == KERN_SUCCESS;
  mach_msg_option_t rcv = MACH_RCV_MSG | (options & ~MACH_SEND_MSG);
  size_t reply_len = 0;
  for (;;) {
    if (!direct_ok) {
      mach_msg_return_t mr = mach_msg(request, rcv, 0, room, rcv_name, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
      if (mr != MACH_MSG_SUCCESS) return mr;
      serve_message(demux, request, reply);
      continue;
    }
    size_t got = 0;
    int32_t kind = __webmach_mig_serve_wait(id, status, request, room, &got, reply, reply_len);
    reply_len = 0;
    if (kind == SERVE_REQUEST) {
      direct_request(request, rcv_name);
      demux(request, reply);
      reply_len = reply->msgh_size;
    } else if (kind == SERVE_MESSAGES) { /* one waits (the status word said so): serve it, then look again */
      if (mach_msg(request, rcv | MACH_RCV_TIMEOUT, 0, room, rcv_name, 0, MACH_PORT_NULL) == MACH_MSG_SUCCESS) serve_message(demux, request, reply);
    } else {
      direct_ok = FALSE; /* the wait failed: serve by messages only */
    }
  }
}

/* The NDR record of this machine: little-endian integers, ASCII, IEEE floats. */
NDR_record_t NDR_record = {0, 0, 0, 0, NDR_INT_LITTLE_ENDIAN, NDR_CHAR_ASCII, NDR_FLOAT_IEEE, 0};
