/*
 * webmach's <mach/mach_error.h>: texts for Mach error codes (sdk/lib/mach_error.c).
 * mach_error_string gives "(subsystem) text", mach_error_type the "(subsystem)" part alone, and
 * mach_error prints "str text" on stderr.
 */
#ifndef _MACH_ERROR_
#define _MACH_ERROR_ 1

#include <mach/error.h>

#ifdef __cplusplus
extern "C" {
#endif

char *mach_error_string(mach_error_t error_value);
void mach_error(const char *str, mach_error_t error_value);
char *mach_error_type(mach_error_t error_value);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_ERROR_ */
