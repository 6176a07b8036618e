#ifndef CXRAYLIB_SHIM_H
#define CXRAYLIB_SHIM_H
/* xraylib 4 (Debian libxrl-dev, pkg-config libxrl: -I/usr/include/xraylib -lxrl).
   Every data function takes an `xrl_error **` last argument (NULL or a pointer to a NULL
   xrl_error *); an error is freed with xrl_error_free. */
#include <xraylib/xraylib.h>

/* The shell macros (K_SHELL = 0 ... Q3_SHELL = 30) import into Swift as Int32 constants;
   these two bound the range. */
static inline int cxrl_first_shell(void) { return K_SHELL; }
static inline int cxrl_last_shell(void) { return Q3_SHELL; }
#endif
