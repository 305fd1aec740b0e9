/*
 * webmach's MIG runtime for programs: what generated stubs (abi/mig_mach.mjs) and servers use.
 * A stub's call goes through __webmach_mig_rpc, which picks one of three bindings for the same
 * interface (lepreau-1993; ARCHITECTURE.md "Wave 2 decisions"):
 *  - colocated: the port's server code runs in this program (mig_register_colocated): called
 *    directly, no IPC;
 *  - direct: the port's receiver is a thread serving requests (mach_msg_server): one kernel IPC to
 *    it with the request in the message window, while the port's queue is empty and the request
 *    carries no rights or out-of-line memory;
 *  - the full Mach message through the server (mach_msg), always right, and the fallback of both.
 * mig_binding() limits the choice (for benchmarks and tests); the default is MIG_BIND_ANY.
 */
#ifndef _WEBMACH_MIG_H_
#define _WEBMACH_MIG_H_

#include <mach/mach.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A demultiplexer, as MIG generates them: serve the request into the reply; FALSE for an unknown id. */
typedef boolean_t (*mig_demux_t)(mach_msg_header_t *request, mach_msg_header_t *reply);

/* The bindings __webmach_mig_rpc may use. */
#define MIG_BIND_MESSAGE 0x1
#define MIG_BIND_DIRECT 0x2
#define MIG_BIND_COLOCATED 0x4
#define MIG_BIND_ANY (MIG_BIND_MESSAGE | MIG_BIND_DIRECT | MIG_BIND_COLOCATED)

/* Set the bindings stubs may use (the full message is always allowed); returns the previous set. */
int mig_binding(int bindings);

/* How many calls stubs made by `binding` (one of MIG_BIND_*) in this process. */
unsigned mig_binding_calls(int binding);

/* Send the request `msg` (send_size bytes) and receive its reply into `msg` (room rcv_size), by the best binding allowed. */
mach_msg_return_t __webmach_mig_rpc(mach_msg_header_t *msg, mach_msg_size_t send_size, mach_msg_size_t rcv_size);

/* This program serves receive right `port` with `demux`: its own stubs on a send right to it call `demux` directly. */
kern_return_t mig_register_colocated(mach_port_t port, mig_demux_t demux);

/* The per-thread reply port of MIG stubs, made at first use. */
mach_port_t mig_get_reply_port(void);
void mig_dealloc_reply_port(mach_port_t reply_port);
void mig_put_reply_port(mach_port_t reply_port);

/*
 * Serve requests on `rcv_name` with `demux` for ever (libSystem's mach_msg_server): full messages,
 * and, when the port can be served directly, direct calls. Returns only an error.
 */
mach_msg_return_t mach_msg_server(mig_demux_t demux, mach_msg_size_t max_size, mach_port_t rcv_name, mach_msg_options_t options);

/* Serve one full message on `rcv_name` (libSystem's mach_msg_server_once). */
mach_msg_return_t mach_msg_server_once(mig_demux_t demux, mach_msg_size_t max_size, mach_port_t rcv_name, mach_msg_options_t options);

/* The task library's direct binding (libsystem/mig_direct.ts). */
__attribute__((import_module("webmach"), import_name("mig_direct_call")))
int32_t __webmach_mig_direct_call(int32_t slot, uint32_t status, const void *req, size_t req_len, void *reply, size_t reply_room, size_t *reply_len);
__attribute__((import_module("webmach"), import_name("mig_serve_wait")))
int32_t __webmach_mig_serve_wait(uint32_t id, uint32_t status, void *req, size_t req_room, size_t *req_len, const void *reply, size_t reply_len);

#ifdef __cplusplus
}
#endif

#endif /* _WEBMACH_MIG_H_ */
