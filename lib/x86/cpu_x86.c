/* CPU feature detection on x86-64: cpuid leaves 1 and 7, plus xgetbv for the register state the OS saves. */
#if defined(__x86_64__)
#include <cpuid.h>
#include <pthread.h>
#include <stdint.h>

#include "cpu.h"

static unsigned int cpu_features_cached;
static pthread_once_t cpu_features_once = PTHREAD_ONCE_INIT;

/* XCR0 tells which register files the OS saves on context switch (bit 1 XMM, bit 2 YMM). */
static uint64_t read_xcr0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

static void cpu_detect(void)
{
	unsigned int a, b, c, d, max_leaf, f = 0;
	int xmm_ok = 1, ymm_ok = 0, zmm_ok = 0;

	max_leaf = __get_cpuid_max(0, NULL);
	if (max_leaf < 1 || !__get_cpuid(1, &a, &b, &c, &d))
		return;
	/* Without OSXSAVE only the legacy FXSAVE state (XMM) is known to be saved, as on every x86-64 OS. */
	if (c & (1u << 27)) {
		uint64_t xcr0 = read_xcr0();

		xmm_ok = (xcr0 & 2) != 0;
		ymm_ok = (xcr0 & 6) == 6;
		/* Opmask (bit 5), the upper halves of zmm0-15 (6) and zmm16-31 (7), on top of XMM and YMM. */
		zmm_ok = (xcr0 & 0xe6) == 0xe6;
	}
	if (!xmm_ok)
		return;
	/* AES-NI backends are compiled with SSE4.1 allowed, so the AESNI bit also requires SSE4.1 (bit 19). */
	if ((c & (1u << 25)) && (c & (1u << 19)))
		f |= FSCRYPT_EXT__CPU_AESNI;
	if (c & (1u << 1))
		f |= FSCRYPT_EXT__CPU_PCLMUL;
	if (c & (1u << 9))
		f |= FSCRYPT_EXT__CPU_SSSE3;
	if ((c & (1u << 28)) && ymm_ok)
		f |= FSCRYPT_EXT__CPU_AVX;
	if (max_leaf >= 7) {
		__cpuid_count(7, 0, a, b, c, d);
		/* BMI2 (rorx) works on general registers: no OS state needed. */
		if (b & (1u << 8))
			f |= FSCRYPT_EXT__CPU_BMI2;
	}
	if (max_leaf >= 7 && (f & FSCRYPT_EXT__CPU_AVX)) {
		__cpuid_count(7, 0, a, b, c, d);
		/* AVX512F (ebx 16), AVX512BW (30), AVX512VL (31). */
		if ((b & (1u << 16)) && (b & (1u << 30)) && (b & (1u << 31)) && zmm_ok)
			f |= FSCRYPT_EXT__CPU_AVX512;
		if (b & (1u << 5))
			f |= FSCRYPT_EXT__CPU_AVX2;
		if (c & (1u << 9))
			f |= FSCRYPT_EXT__CPU_VAES;
		if (c & (1u << 10))
			f |= FSCRYPT_EXT__CPU_VPCLMULQDQ;
		if (c & (1u << 8))
			f |= FSCRYPT_EXT__CPU_GFNI;
	}
	cpu_features_cached = f;
}

unsigned int fscrypt_ext__cpu_features(void)
{
	(void)pthread_once(&cpu_features_once, cpu_detect);
	return cpu_features_cached;
}
#endif
