#ifndef CFITSIO_SHIM_H
#define CFITSIO_SHIM_H
#include <fitsio.h>
/* fits_open_file is a function-like macro that Swift cannot import (toolchain.md pitfall 9). */
static inline int cfitsio_open_file(fitsfile **fptr, const char *name, int mode, int *status) {
    return fits_open_file(fptr, name, mode, status);
}
#endif
