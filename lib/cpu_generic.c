/* CPU feature detection where no backend exists (neither x86-64 nor arm64): no features. */
#if !defined(__x86_64__) && !defined(__aarch64__)
#include "cpu.h"

unsigned int fscrypt_ext__cpu_features(void)
{
	return 0;
}
#endif
