// Declarations only (include/CLibFuzzer.h): libFuzzer itself comes with the toolchain's -sanitize=fuzzer.
#include "CLibFuzzer.h"
