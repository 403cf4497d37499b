/* CPU feature detection on arm64: getauxval(AT_HWCAP) on Linux, fixed answers on Apple silicon. */
#if defined(__aarch64__)
#include <pthread.h>

#include "cpu.h"

#if defined(__linux__)
#include <sys/auxv.h>
/* Bit numbers of the arm64 Linux HWCAP word (uapi asm/hwcap.h), in case libc lacks them. */
#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD (1UL << 1)
#endif
#ifndef HWCAP_AES
#define HWCAP_AES (1UL << 3)
#endif
#ifndef HWCAP_PMULL
#define HWCAP_PMULL (1UL << 4)
#endif
#ifndef HWCAP_SHA512
#define HWCAP_SHA512 (1UL << 21)
#endif
#endif

static unsigned int cpu_features_cached;
static pthread_once_t cpu_features_once = PTHREAD_ONCE_INIT;

static void cpu_detect(void)
{
	unsigned int f = 0;
#if defined(__linux__)
	unsigned long hw = getauxval(AT_HWCAP);

	if (hw & HWCAP_ASIMD)
		f |= FSCRYPT_EXT__CPU_ARM_NEON;
	if (hw & HWCAP_AES)
		f |= FSCRYPT_EXT__CPU_ARM_AES;
	if (hw & HWCAP_PMULL)
		f |= FSCRYPT_EXT__CPU_ARM_PMULL;
	if (hw & HWCAP_SHA512)
		f |= FSCRYPT_EXT__CPU_ARM_SHA512;
#elif defined(__APPLE__)
	/* Every Apple arm64 CPU has NEON, AES and PMULL. */
	f = FSCRYPT_EXT__CPU_ARM_NEON | FSCRYPT_EXT__CPU_ARM_AES | FSCRYPT_EXT__CPU_ARM_PMULL;
#else
	/* NEON is architectural on AArch64; crypto extensions cannot be probed portably here. */
	f = FSCRYPT_EXT__CPU_ARM_NEON;
#endif
	cpu_features_cached = f;
}

unsigned int fscrypt_ext__cpu_features(void)
{
	(void)pthread_once(&cpu_features_once, cpu_detect);
	return cpu_features_cached;
}
#endif
