/*
 * webmach's <mach/error.h>: mach_error_t and the split of an error code into system (bits 26-31),
 * subsystem (bits 14-25) and code (bits 0-13). The err_* system values are generated from
 * abi/mach.abi.mjs; the macros that compute fields stay here.
 */
#ifndef _MACH_ERROR_H_
#define _MACH_ERROR_H_

#include <mach/kern_return.h>

typedef kern_return_t mach_error_t;
typedef mach_error_t (*mach_error_fn_t)(void);

#include <webmach/mach/error.h>

#define ERR_ROUTINE_NIL ((mach_error_fn_t)0)

#define err_system(x) ((signed)((((unsigned)(x)) & 0x3f) << 26))
#define err_sub(x) (((x) & 0xfff) << 14)
#define err_get_system(err) (((err) >> 26) & 0x3f)
#define err_get_sub(err) (((err) >> 14) & 0xfff)
#define err_get_code(err) ((err) & 0x3fff)
#define unix_err(errno) (err_kern | err_sub(3) | (errno))

#endif /* _MACH_ERROR_H_ */
