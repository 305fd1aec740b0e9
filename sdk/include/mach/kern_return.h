/*
 * webmach's <mach/kern_return.h>: kern_return_t and the KERN_* codes (XNU's values; the #defines are
 * generated from abi/mach.abi.mjs into <webmach/mach/kern_return.h>).
 */
#ifndef _MACH_KERN_RETURN_H_
#define _MACH_KERN_RETURN_H_

typedef int kern_return_t;

#include <webmach/mach/kern_return.h>

#endif /* _MACH_KERN_RETURN_H_ */
