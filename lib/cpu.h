/* Internal CPU feature detection, done once (cpuid + xgetbv on x86-64, getauxval on arm64 Linux). */
#ifndef FSCRYPT_EXT_CPU_H
#define FSCRYPT_EXT_CPU_H

#define FSCRYPT_EXT__CPU_AESNI       (1u << 0)
#define FSCRYPT_EXT__CPU_PCLMUL      (1u << 1)
#define FSCRYPT_EXT__CPU_AVX         (1u << 2)  /* with OS-saved YMM state */
#define FSCRYPT_EXT__CPU_AVX2        (1u << 3)
#define FSCRYPT_EXT__CPU_VAES        (1u << 4)
#define FSCRYPT_EXT__CPU_VPCLMULQDQ  (1u << 5)
#define FSCRYPT_EXT__CPU_SSSE3       (1u << 6)
#define FSCRYPT_EXT__CPU_GFNI        (1u << 7)  /* usable with VEX (AVX) encoding */
#define FSCRYPT_EXT__CPU_BMI2        (1u << 9)
/* AVX512F, AVX512BW and AVX512VL, with the OS saving opmask and all 32 zmm registers (XCR0 bits 5-7). */
#define FSCRYPT_EXT__CPU_AVX512      (1u << 10)
#define FSCRYPT_EXT__CPU_ARM_AES     (1u << 16)
#define FSCRYPT_EXT__CPU_ARM_PMULL   (1u << 17)
#define FSCRYPT_EXT__CPU_ARM_NEON    (1u << 18)
#define FSCRYPT_EXT__CPU_ARM_SHA512  (1u << 19)

/* Features of this CPU (detected on first call, cached; thread-safe). */
unsigned int fscrypt_ext__cpu_features(void);

#endif
