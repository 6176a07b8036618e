#ifndef CFUZZER_SHIM_H
#define CFUZZER_SHIM_H
#include <stddef.h>
#include <stdint.h>
/* libFuzzer's driver (libclang_rt.fuzzer, linked by -sanitize=fuzzer). Only declared here:
   NMMFuzz calls it only when built with -DNMM_LIBFUZZER, so plain builds never need it.
   SwiftPM names an executable's entry point <Module>_main and maps `main` to it, so
   libFuzzer's own main is not used; the Swift main calls this driver instead. */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
