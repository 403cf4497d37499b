# Probes which accelerated backends this compiler can build (per-function target attributes,
# no global -m flags). Each one that compiles adds FSCRYPT_EXT_HAVE_<NAME>=1 to
# FSCRYPT_EXT_BACKEND_DEFS; the others drop out of the build quietly. The tables in
# lib/crypto/dispatch.c list a backend only under its macro.
set(FSCRYPT_EXT_BACKEND_DEFS "")
if(FSCRYPT_EXT_ARCH STREQUAL "x86")
  check_c_source_compiles("
    #include <immintrin.h>
    __attribute__((target(\"aes,sse4.1\"))) static __m128i f(__m128i a, __m128i k) { return _mm_aesenc_si128(a, k); }
    int main(void) { __m128i z = _mm_setzero_si128(); (void)f(z, z); return 0; }" FSCRYPT_EXT_CC_AESNI)
  check_c_source_compiles("
    #include <immintrin.h>
    __attribute__((target(\"vaes,avx2,vpclmulqdq\"))) static void f(void *p) {
      __m256i a = _mm256_loadu_si256((const __m256i *)p);
      _mm256_storeu_si256((__m256i *)p, _mm256_xor_si256(_mm256_aesenc_epi128(a, a), _mm256_clmulepi64_epi128(a, a, 0))); }
    int main(void) { char b[32] = { 0 }; f(b); return b[0]; }" FSCRYPT_EXT_CC_VAES_AVX2)
  check_c_source_compiles("
    #include <immintrin.h>
    __attribute__((target(\"vaes,avx512f,avx512bw,avx512vl,vpclmulqdq,bmi2\"))) static void f(void *p) {
      __m512i a = _mm512_loadu_si512(p);
      a = _mm512_ternarylogic_epi64(_mm512_aesenc_epi128(a, a), _mm512_clmulepi64_epi128(a, a, 0), _mm512_ror_epi64(a, 7), 0x96);
      _mm512_storeu_si512(p, a); }
    int main(void) { char b[64] = { 0 }; f(b); return b[0]; }" FSCRYPT_EXT_CC_AVX512)
  if(FSCRYPT_EXT_CC_AVX512)
    # lib/x86/aes_vaes_avx512.c, polyval/xctr on zmm, and the x86 SHA-512 compressions (BMI2, AVX2 x4, AVX-512 x8).
    list(APPEND FSCRYPT_EXT_BACKEND_DEFS FSCRYPT_EXT_HAVE_VAES_AVX512=1 FSCRYPT_EXT_HAVE_SHA512_X86=1)
  endif()
  check_c_source_compiles("
    #include <immintrin.h>
    __attribute__((target(\"gfni,avx2\"))) static void f(void *p) {
      __m256i a = _mm256_loadu_si256((const __m256i *)p);
      a = _mm256_gf2p8affineinv_epi64_epi8(_mm256_gf2p8affine_epi64_epi8(a, a, 1), a, 2);
      _mm256_storeu_si256((__m256i *)p, a); }
    int main(void) { char b[32] = { 0 }; f(b); return b[0]; }" FSCRYPT_EXT_CC_GFNI)
  if(FSCRYPT_EXT_CC_AESNI)
    # SM4's AES-NI S-box needs only AESENCLAST and PSHUFB.
    list(APPEND FSCRYPT_EXT_BACKEND_DEFS FSCRYPT_EXT_HAVE_AESNI=1 FSCRYPT_EXT_HAVE_SM4_AESNI=1)
  endif()
  if(FSCRYPT_EXT_CC_GFNI)
    list(APPEND FSCRYPT_EXT_BACKEND_DEFS FSCRYPT_EXT_HAVE_SM4_GFNI=1)
  endif()
  # lib/x86/sha512_x86_64.S, the one-stream SHA-512 in assembly (GNU as syntax, AT&T): only where the
  # C compiler drives an assembler that knows BMI2 and AVX-512VL and ELF directives (gcc with binutils,
  # clang's own), and only then is the ASM language enabled, so other targets (the arm64 cross build)
  # never see a .S file.
  if(FSCRYPT_EXT_CC_AVX512 AND CMAKE_C_COMPILER_ID MATCHES "^(GNU|Clang)$")
    check_c_source_compiles("
      __asm__(\".text; .hidden fx_probe; .type fx_probe, @function; fx_probe: endbr64; rorx $14, %rax, %rbx;\"
              \" andn %rcx, %rbx, %rdx; vpalignr $8, %xmm0, %xmm1, %xmm2; vprorq $8, %xmm1, %xmm2;\"
              \" vpternlogq $0x96, %xmm3, %xmm4, %xmm5; ret; .size fx_probe, . - fx_probe\");
      int main(void) { return 0; }" FSCRYPT_EXT_AS_SHA512)
  endif()
  if(FSCRYPT_EXT_AS_SHA512)
    enable_language(ASM)
    list(APPEND FSCRYPT_EXT_SOURCES lib/x86/sha512_x86_64.S)
    list(APPEND FSCRYPT_EXT_BACKEND_DEFS FSCRYPT_EXT_HAVE_SHA512_ASM=1)
  endif()
  if(FSCRYPT_EXT_CC_VAES_AVX2)
    list(APPEND FSCRYPT_EXT_BACKEND_DEFS FSCRYPT_EXT_HAVE_VAES_AVX2=1)
  endif()
elseif(FSCRYPT_EXT_ARCH STREQUAL "arm")
  check_c_source_compiles("
    #include <arm_neon.h>
    __attribute__((target(\"+crypto\"))) static uint8x16_t f(uint8x16_t a, uint8x16_t k) { return vaesmcq_u8(vaeseq_u8(a, k)); }
    int main(void) { uint8x16_t z = vdupq_n_u8(0); (void)f(z, z); return 0; }" FSCRYPT_EXT_CC_ARMCE)
  check_c_source_compiles("
    #include <arm_neon.h>
    __attribute__((target(\"arch=armv8.2-a+sha3\"))) static uint64x2_t f(uint64x2_t a, uint64x2_t b) {
      return vsha512h2q_u64(vsha512hq_u64(a, b, a), vsha512su1q_u64(vsha512su0q_u64(a, b), a, b), b); }
    int main(void) { uint64x2_t z = vdupq_n_u64(0); (void)f(z, z); return 0; }" FSCRYPT_EXT_CC_ARM_SHA512)
  if(FSCRYPT_EXT_CC_ARM_SHA512)
    # lib/arm/sha512_armce.c: the ARMv8.2 SHA-512 instructions (HWCAP_SHA512 at run time).
    list(APPEND FSCRYPT_EXT_BACKEND_DEFS FSCRYPT_EXT_HAVE_SHA512_ARMCE=1)
  endif()
  if(FSCRYPT_EXT_CC_ARMCE)
    list(APPEND FSCRYPT_EXT_BACKEND_DEFS FSCRYPT_EXT_HAVE_ARMCE=1)
  endif()
endif()
message(STATUS "fscrypt-ext backends: ${FSCRYPT_EXT_BACKEND_DEFS}")
