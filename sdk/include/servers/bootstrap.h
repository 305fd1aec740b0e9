/*
 * webmach's <servers/bootstrap.h>: the bootstrap server, where a server checks in a service name
 * (getting the receive right of the service's port) and clients look the name up (getting a send
 * right). Limits and BOOTSTRAP_* codes (launchd's values) are generated from abi/mach.abi.mjs.
 */
#ifndef __BOOTSTRAP_H__
#define __BOOTSTRAP_H__

#include <stdbool.h>
#include <mach/std_types.h>
#include <mach/mach_init.h> /* bootstrap_port */
#include <mach/message.h>

#include <webmach/servers/bootstrap.h>

typedef char name_t[BOOTSTRAP_MAX_NAME_LEN];
typedef char cmd_t[BOOTSTRAP_MAX_CMD_LEN];
typedef name_t *name_array_t;
typedef int bootstrap_status_t;
typedef bootstrap_status_t *bootstrap_status_array_t;
typedef unsigned int bootstrap_property_t;
typedef bootstrap_property_t *bootstrap_property_array_t;
typedef boolean_t *bool_array_t;

#ifdef __cplusplus
extern "C" {
#endif

/* The receive right of service_name's port; BOOTSTRAP_SERVICE_ACTIVE if a live server checked in. */
kern_return_t bootstrap_check_in(mach_port_t bp, const name_t service_name, mach_port_t *sp);
/* A send right to service_name's port; BOOTSTRAP_UNKNOWN_SERVICE if nobody checked it in. */
kern_return_t bootstrap_look_up(mach_port_t bp, const name_t service_name, mach_port_t *sp);
/* Bind service_name to the send right sp (deprecated on macOS since 10.5). */
kern_return_t bootstrap_register(mach_port_t bp, name_t service_name, mach_port_t sp)
    __attribute__((deprecated));
kern_return_t bootstrap_status(mach_port_t bp, name_t service_name, bootstrap_status_t *service_active);
kern_return_t bootstrap_parent(mach_port_t bp, mach_port_t *parent_port);
/* A text for a BOOTSTRAP_* code, or mach_error_string's for any other. */
const char *bootstrap_strerror(kern_return_t r);

#ifdef __cplusplus
}
#endif

#endif /* __BOOTSTRAP_H__ */
