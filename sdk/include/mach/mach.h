/*
 * webmach's <mach/mach.h>: everything a Mach program includes, as macOS's umbrella header gathers it
 * (types, port calls, task, thread, semaphore and memory calls, the task's own ports, MIG errors and
 * error texts), plus mach_msg's helpers. It also checks the structure layouts the server assumes
 * (<webmach/mach/layout.h>, generated from abi/mach.abi.mjs).
 */
#ifndef _MACH_H_
#define _MACH_H_

#define __MACH30__
#define MACH_IPC_FLAVOR UNTYPED

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_init.h>
#include <mach/mig_errors.h>
#include <mach/mach_error.h>
#include <mach/notify.h>
#include <mach/ndr.h>

#include <webmach/mach/layout.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Release the rights and out-of-line memory a received message carries. */
void mach_msg_destroy(mach_msg_header_t *msg);
mach_msg_return_t mach_msg_send(mach_msg_header_t *msg);
mach_msg_return_t mach_msg_receive(mach_msg_header_t *msg);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_H_ */
