/* SHA-512 compression for one stream on x86-64: rounds on general registers (BMI2 rorx/andn), message schedule on xmm (AVX2, or AVX-512VL rotates). */

/*
 * void fscrypt_ext__sha512_x86_blocks(uint64_t h[8], const uint8_t *data, size_t nblocks);          AVX2 + BMI2
 * void fscrypt_ext__sha512_x86_blocks_avx512vl(uint64_t h[8], const uint8_t *data, size_t nblocks); AVX-512VL + BMI2
 * void fscrypt_ext__sha512_x86_hmac(const uint64_t inner[8], const uint64_t outer[8], const uint8_t block[128],
 *                                   uint8_t out[64]);                                               AVX2 + BMI2
 * void fscrypt_ext__sha512_x86_hmac_avx512vl(same);                                                 AVX-512VL + BMI2
 *
 * Why assembly: a round is about 22 integer operations, so 80 rounds are
 * bounded near 440 cycles on four integer ALUs (performance.md 3.5), but only
 * if the message schedule (another ~13 scalar operations per round) runs on
 * the vector units, hidden under the rounds. Compilers keep the schedule
 * scalar. Here each pair of rounds carries one vector step that computes the
 * next two message words, adds the round constants and parks K+W in a
 * 16-entry ring on the stack, which the rounds read as memory operands, 16
 * rounds later.
 *
 * The eight working variables stay in r8-r15; rounds rename them through
 * macro arguments, so no register moves between rounds. The message window
 * (16 words) lives in xmm0-xmm7, two words each, renamed the same way.
 *
 * The AVX-512VL variant's schedule is 15 vector instructions per two rounds
 * (vprorq, vpternlogq) instead of 26. On Zen 4 both run at the integer
 * bound (about 455 cycles a block, measured); where vector and integer
 * instructions share ports (Intel cores) the shorter schedule should count.
 */

	.section .note.GNU-stack, "", @progbits

#if defined(__CET__)
/*
 * Built with -fcf-protection: say so (GNU_PROPERTY_X86_FEATURE_1_AND with
 * the compiler's IBT/SHSTK bits), or the linker drops the CET marking of the
 * whole library for want of it in this one object. Every entry starts with
 * endbr64 and returns by a plain ret, which is all IBT and shadow stacks ask.
 */
	.section .note.gnu.property, "a"
	.p2align 3
	.long	4		/* name size */
	.long	16		/* descriptor size */
	.long	5		/* NT_GNU_PROPERTY_TYPE_0 */
	.asciz	"GNU"
	.long	0xc0000002	/* GNU_PROPERTY_X86_FEATURE_1_AND */
	.long	4
	.long	__CET__
	.p2align 3
#endif

	.section .rodata
	.balign 16
/* vpshufb masks: big-endian message words to native order, and a rotation of each 64-bit lane by 8 bits. */
.Lbswap64:
	.byte 7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8
.Lror8:
	.byte 1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8
/* HMAC's outer message words 8..15: the 0x80 after the 64-byte inner digest, zeros, the length (128 + 64) * 8. */
.Louter_tail:
	.quad 0x8000000000000000, 0, 0, 0, 0, 0, 0, 0x600

	.text

/* The round constants live in crypto/sha512.c (one copy for every backend); hidden, so PC-relative. */
	.hidden fscrypt_ext__sha512_k

/* Scratch registers of the rounds; MX/MY alternate as "b ^ c" carried from the previous round and "a ^ b". */
#define T0 %rax
#define T1 %rbx
#define T2 %rcx
#define MX %rdx
#define MY %rbp
/* The round constants of the schedule step; the state pointer it displaces waits in the frame. */
#define KP %rdi
/* Vector scratch; BSWAP and ROR8 hold the masks for the whole call. */
#define S0 %xmm8
#define S1 %xmm9
#define S2 %xmm10
#define S3 %xmm11
#define V1 %xmm12
#define BSWAP %xmm13
#define V2 %xmm14
#define ROR8 %xmm15

/* Stack frame: the K+W ring (16 words), the block count (or the HMAC's outer state), the pointers the rounds displace. */
#define KW 0
#define NBLK 128
#define OUTER 128
#define STATEP 136
#define OUTP 144
#define FRAME 152

/*
 * First half of a round: h += K[t] + W[t] + Ch(e, f, g) + Sigma1(e), which is
 * T1. Ch is split into its two disjoint halves (e & f) and (~e & g) so each
 * is one instruction (and/andn) added on its own. 22 integer operations a
 * round, 5.5 cycles on four ALUs: the order below (Sigma1 first, and in the
 * second half d += T1 and Maj before Sigma0) measured about 1.5% faster on
 * Zen 4 than the textbook order, the scheduler picking the e-chain sooner.
 */
.macro RA a, b, c, d, e, f, g, h, t
	rorx	$14, \e, T0
	rorx	$18, \e, T1
	rorx	$41, \e, T2
	xor	T1, T0
	add	KW + 8 * ((\t) & 15)(%rsp), \h
	xor	T2, T0
	andn	\g, \e, T2
	add	T2, \h
	mov	\f, T1
	and	\e, T1
	add	T1, \h
	add	T0, \h
.endm

/*
 * Second half: d += T1; h = T1 + Sigma0(a) + Maj(a, b, c). Maj is
 * ((a ^ b) & (b ^ c)) ^ b, with b ^ c (x) left over from the previous
 * round's a ^ b, so it costs three instructions; y receives this round's
 * a ^ b for the next one.
 */
.macro RB a, b, c, d, e, f, g, h, x, y
	add	\h, \d
	mov	\a, \y
	xor	\b, \y
	rorx	$28, \a, T0
	rorx	$34, \a, T1
	and	\y, \x
	xor	T1, T0
	rorx	$39, \a, T1
	xor	\b, \x
	xor	T1, T0
	add	\x, \h
	add	T0, \h
.endm

/* sigma0 (ror 1 ^ ror 8 ^ shr 7) of both words of \in into \out; AVX2 has no 64-bit rotate, but ror 8 is a byte shuffle. */
.macro SIGMA0 in, out, avx512
.if \avx512
	vprorq	$1, \in, \out
	vprorq	$8, \in, V1
	vpsrlq	$7, \in, V2
	vpternlogq $0x96, V2, V1, \out
.else
	vpsrlq	$1, \in, \out
	vpsllq	$63, \in, V1
	vpsrlq	$7, \in, V2
	vpxor	V1, \out, \out
	vpshufb	ROR8, \in, V1
	vpxor	V2, \out, \out
	vpxor	V1, \out, \out
.endif
.endm

/* sigma1 (ror 19 ^ ror 61 ^ shr 6), the XORs as a tree to keep the word-to-word chain short. */
.macro SIGMA1 in, out, avx512
.if \avx512
	vprorq	$19, \in, \out
	vprorq	$61, \in, V1
	vpsrlq	$6, \in, V2
	vpternlogq $0x96, V2, V1, \out
.else
	vpsrlq	$6, \in, \out
	vpsrlq	$19, \in, V1
	vpsllq	$45, \in, V2
	vpxor	V1, \out, \out
	vpsrlq	$61, \in, V1
	vpxor	V2, V1, V1
	vpsllq	$3, \in, V2
	vpxor	V1, \out, \out
	vpxor	V2, \out, \out
.endif
.endm

/*
 * The schedule step for W[t+16], W[t+17] in four slices that go between the
 * four half rounds. X0 holds W[t..t+1] and becomes W[t+16..t+17]; X1, X4,
 * X5, X7 hold W[t+2..t+3], W[t+8..t+9], W[t+10..t+11], W[t+14..t+15].
 */
.macro SCHED_A X0, X1, X4, X5, avx512
	vpalignr $8, \X0, \X1, S0	/* W[t+1], W[t+2] */
	vpalignr $8, \X4, \X5, S1	/* W[t+9], W[t+10] */
	vpaddq	S1, \X0, \X0
	SIGMA0	S0, S2, \avx512
	vpaddq	S2, \X0, \X0
.endm

.macro SCHED_B X0, X7, avx512
	SIGMA1	\X7, S2, \avx512
	vpaddq	S2, \X0, \X0
.endm

/* KP points at K[16] of this sixteen-round stretch's first round (the round loop advances it). */
.macro SCHED_C X0, t
	vpaddq	8 * (\t)(KP), \X0, S3
.endm

/* Goes after round t+1 has read its K+W: the new pair takes the same ring slot. */
.macro SCHED_D t
	vmovdqa	S3, KW + 8 * ((\t) & 15)(%rsp)
.endm

/* Rounds t and t+1 with the schedule step for W[t+16], W[t+17] woven in. */
.macro STEP t, a, b, c, d, e, f, g, h, X0, X1, X2, X3, X4, X5, X6, X7, avx512
	RA	\a, \b, \c, \d, \e, \f, \g, \h, \t
	SCHED_A	\X0, \X1, \X4, \X5, \avx512
	RB	\a, \b, \c, \d, \e, \f, \g, \h, MX, MY
	SCHED_B	\X0, \X7, \avx512
	RA	\h, \a, \b, \c, \d, \e, \f, \g, (\t) + 1
	SCHED_C	\X0, \t
	RB	\h, \a, \b, \c, \d, \e, \f, \g, MY, MX
	SCHED_D	\t
.endm

/*
 * Sixteen rounds with the schedule: each step renames the variables by two
 * and the message registers by one, so after sixteen rounds every name is
 * back in place and the same code serves rounds 0-15, 16-31, 32-47 and
 * 48-63 in a loop (80 unrolled rounds twice, as in the HMAC call, overflow
 * Zen 4's op cache and run from the 4-wide decoders instead).
 */
.macro SCHED_16 avx512
	STEP	0, %r8, %r9, %r10, %r11, %r12, %r13, %r14, %r15, %xmm0, %xmm1, %xmm2, %xmm3, %xmm4, %xmm5, %xmm6, %xmm7, \avx512
	STEP	2, %r14, %r15, %r8, %r9, %r10, %r11, %r12, %r13, %xmm1, %xmm2, %xmm3, %xmm4, %xmm5, %xmm6, %xmm7, %xmm0, \avx512
	STEP	4, %r12, %r13, %r14, %r15, %r8, %r9, %r10, %r11, %xmm2, %xmm3, %xmm4, %xmm5, %xmm6, %xmm7, %xmm0, %xmm1, \avx512
	STEP	6, %r10, %r11, %r12, %r13, %r14, %r15, %r8, %r9, %xmm3, %xmm4, %xmm5, %xmm6, %xmm7, %xmm0, %xmm1, %xmm2, \avx512
	STEP	8, %r8, %r9, %r10, %r11, %r12, %r13, %r14, %r15, %xmm4, %xmm5, %xmm6, %xmm7, %xmm0, %xmm1, %xmm2, %xmm3, \avx512
	STEP	10, %r14, %r15, %r8, %r9, %r10, %r11, %r12, %r13, %xmm5, %xmm6, %xmm7, %xmm0, %xmm1, %xmm2, %xmm3, %xmm4, \avx512
	STEP	12, %r12, %r13, %r14, %r15, %r8, %r9, %r10, %r11, %xmm6, %xmm7, %xmm0, %xmm1, %xmm2, %xmm3, %xmm4, %xmm5, \avx512
	STEP	14, %r10, %r11, %r12, %r13, %r14, %r15, %r8, %r9, %xmm7, %xmm0, %xmm1, %xmm2, %xmm3, %xmm4, %xmm5, %xmm6, \avx512
.endm

/* Two rounds whose message words are already in the ring. */
.macro TAIL2 t, a, b, c, d, e, f, g, h
	RA	\a, \b, \c, \d, \e, \f, \g, \h, \t
	RB	\a, \b, \c, \d, \e, \f, \g, \h, MX, MY
	RA	\h, \a, \b, \c, \d, \e, \f, \g, (\t) + 1
	RB	\h, \a, \b, \c, \d, \e, \f, \g, MY, MX
.endm

/* Eight rounds t..t+7 without the schedule (the last sixteen of the block). */
.macro TAIL_8 t
	TAIL2	(\t) + 0, %r8, %r9, %r10, %r11, %r12, %r13, %r14, %r15
	TAIL2	(\t) + 2, %r14, %r15, %r8, %r9, %r10, %r11, %r12, %r13
	TAIL2	(\t) + 4, %r12, %r13, %r14, %r15, %r8, %r9, %r10, %r11
	TAIL2	(\t) + 6, %r10, %r11, %r12, %r13, %r14, %r15, %r8, %r9
.endm

/* Message words 2j, 2j+1 of the block: byte-swapped into X, and with K added into the ring. */
.macro LOAD_W j, X
	vmovdqu	16 * (\j)(%rsi), \X
	vpshufb	BSWAP, \X, \X
	vpaddq	fscrypt_ext__sha512_k + 16 * (\j)(%rip), \X, S0
	vmovdqa	S0, KW + 16 * (\j)(%rsp)
.endm

/* Entry: saves the callee-saved registers the rounds use and sets up the frame and the masks. */
.macro ENTER name, avx512
	.globl	\name
	.hidden	\name
	.type	\name, @function
	.balign	64
\name:
	.cfi_startproc
	endbr64
	push	%rbp
	.cfi_adjust_cfa_offset 8
	.cfi_offset %rbp, -16
	push	%rbx
	.cfi_adjust_cfa_offset 8
	.cfi_offset %rbx, -24
	push	%r12
	.cfi_adjust_cfa_offset 8
	.cfi_offset %r12, -32
	push	%r13
	.cfi_adjust_cfa_offset 8
	.cfi_offset %r13, -40
	push	%r14
	.cfi_adjust_cfa_offset 8
	.cfi_offset %r14, -48
	push	%r15
	.cfi_adjust_cfa_offset 8
	.cfi_offset %r15, -56
	/* Six pushes after the return address leave %rsp 16-aligned minus 8; FRAME (8 mod 16) restores 16 for vmovdqa. */
	sub	$FRAME, %rsp
	.cfi_adjust_cfa_offset FRAME
	vmovdqa	.Lbswap64(%rip), BSWAP
.if !\avx512
	vmovdqa	.Lror8(%rip), ROR8
.endif
.endm

/* Exit: the ring and the message registers hold words of the input (HMAC key blocks): wipe both. */
.macro LEAVE name
	vpxor	%xmm0, %xmm0, %xmm0
	vmovdqa	%xmm0, KW + 0(%rsp)
	vmovdqa	%xmm0, KW + 16(%rsp)
	vmovdqa	%xmm0, KW + 32(%rsp)
	vmovdqa	%xmm0, KW + 48(%rsp)
	vmovdqa	%xmm0, KW + 64(%rsp)
	vmovdqa	%xmm0, KW + 80(%rsp)
	vmovdqa	%xmm0, KW + 96(%rsp)
	vmovdqa	%xmm0, KW + 112(%rsp)
	vzeroall
	add	$FRAME, %rsp
	.cfi_adjust_cfa_offset -FRAME
	pop	%r15
	.cfi_adjust_cfa_offset -8
	.cfi_restore %r15
	pop	%r14
	.cfi_adjust_cfa_offset -8
	.cfi_restore %r14
	pop	%r13
	.cfi_adjust_cfa_offset -8
	.cfi_restore %r13
	pop	%r12
	.cfi_adjust_cfa_offset -8
	.cfi_restore %r12
	pop	%rbx
	.cfi_adjust_cfa_offset -8
	.cfi_restore %rbx
	pop	%rbp
	.cfi_adjust_cfa_offset -8
	.cfi_restore %rbp
	ret
	.cfi_endproc
	.size	\name, . - \name
.endm

/* The chaining value at \p into the working variables. */
.macro LOAD_STATE p
	mov	0(\p), %r8
	mov	8(\p), %r9
	mov	16(\p), %r10
	mov	24(\p), %r11
	mov	32(\p), %r12
	mov	40(\p), %r13
	mov	48(\p), %r14
	mov	56(\p), %r15
.endm

/* Feed-forward: the working variables plus the chaining value at \p (left in the working variables). */
.macro ADD_STATE p
	add	0(\p), %r8
	add	8(\p), %r9
	add	16(\p), %r10
	add	24(\p), %r11
	add	32(\p), %r12
	add	40(\p), %r13
	add	48(\p), %r14
	add	56(\p), %r15
.endm

/* The 80 rounds of one block, its first 16 K+W in the ring and its 16 words in xmm0-xmm7. */
.macro ROUNDS_80 avx512
	/* b ^ c for the first round's Maj. */
	mov	%r9, MX
	xor	%r10, MX
	lea	fscrypt_ext__sha512_k + 8 * 16(%rip), KP
7:
	SCHED_16 \avx512
	add	$8 * 16, KP
	/* T0 is dead between rounds. */
	lea	fscrypt_ext__sha512_k + 8 * 80(%rip), T0
	cmp	T0, KP
	jne	7b
	TAIL_8	64
	TAIL_8	72
	/* 80 rounds renamed the variables a multiple of eight times: a is in %r8 again. */
.endm

/* fscrypt_ext__sha512_x86_blocks*(h = %rdi, data = %rsi, nblocks = %rdx). */
.macro BLOCKS_FUNCTION name, avx512
	ENTER	\name, \avx512
	test	%rdx, %rdx
	jz	2f
	mov	%rdx, NBLK(%rsp)
	mov	%rdi, STATEP(%rsp)
	LOAD_STATE %rdi
1:
	LOAD_W	0, %xmm0
	LOAD_W	1, %xmm1
	LOAD_W	2, %xmm2
	LOAD_W	3, %xmm3
	LOAD_W	4, %xmm4
	LOAD_W	5, %xmm5
	LOAD_W	6, %xmm6
	LOAD_W	7, %xmm7
	ROUNDS_80 \avx512
	mov	STATEP(%rsp), %rdi
	ADD_STATE %rdi
	mov	%r8, 0(%rdi)
	mov	%r9, 8(%rdi)
	mov	%r10, 16(%rdi)
	mov	%r11, 24(%rdi)
	mov	%r12, 32(%rdi)
	mov	%r13, 40(%rdi)
	mov	%r14, 48(%rdi)
	mov	%r15, 56(%rdi)
	add	$128, %rsi
	decq	NBLK(%rsp)
	jnz	1b
2:
	LEAVE	\name
.endm

/* Words 2j, 2j+1 of the outer message from the inner digest in the working variables, with K added into the ring. */
.macro DIGEST_W j, lo, hi, X
	vmovq	\lo, \X
	vpinsrq	$1, \hi, \X, \X
	vpaddq	fscrypt_ext__sha512_k + 16 * (\j)(%rip), \X, S0
	vmovdqa	S0, KW + 16 * (\j)(%rsp)
.endm

/* Words 8..15 of the outer message: the padding after 64 bytes and the bit count of 128 + 64 bytes. */
.macro TAIL_W j, X
	vmovdqa	.Louter_tail + 16 * ((\j) - 4)(%rip), \X
	vpaddq	fscrypt_ext__sha512_k + 16 * (\j)(%rip), \X, S0
	vmovdqa	S0, KW + 16 * (\j)(%rsp)
.endm

/*
 * fscrypt_ext__sha512_x86_hmac*(inner = %rdi, outer = %rsi, block = %rdx, out = %rcx):
 * HMAC of a message that fits one padded block, from the prepared ipad and
 * opad chaining values. The inner digest goes from the working variables
 * straight into the outer message words (SHA-512 reads the digest's
 * big-endian bytes back as the same 64-bit words), so it never touches
 * memory and the outer compression needs no second call.
 */
.macro HMAC_FUNCTION name, avx512
	ENTER	\name, \avx512
	mov	%rsi, OUTER(%rsp)
	mov	%rcx, OUTP(%rsp)
	mov	%rdi, STATEP(%rsp)
	mov	%rdx, %rsi
	LOAD_STATE %rdi
	LOAD_W	0, %xmm0
	LOAD_W	1, %xmm1
	LOAD_W	2, %xmm2
	LOAD_W	3, %xmm3
	LOAD_W	4, %xmm4
	LOAD_W	5, %xmm5
	LOAD_W	6, %xmm6
	LOAD_W	7, %xmm7
	ROUNDS_80 \avx512
	mov	STATEP(%rsp), %rdi
	ADD_STATE %rdi
	DIGEST_W 0, %r8, %r9, %xmm0
	DIGEST_W 1, %r10, %r11, %xmm1
	DIGEST_W 2, %r12, %r13, %xmm2
	DIGEST_W 3, %r14, %r15, %xmm3
	TAIL_W	4, %xmm4
	TAIL_W	5, %xmm5
	TAIL_W	6, %xmm6
	TAIL_W	7, %xmm7
	mov	OUTER(%rsp), %rdi
	LOAD_STATE %rdi
	ROUNDS_80 \avx512
	mov	OUTER(%rsp), %rdi
	ADD_STATE %rdi
	mov	OUTP(%rsp), %rdi
	bswap	%r8
	bswap	%r9
	bswap	%r10
	bswap	%r11
	bswap	%r12
	bswap	%r13
	bswap	%r14
	bswap	%r15
	mov	%r8, 0(%rdi)
	mov	%r9, 8(%rdi)
	mov	%r10, 16(%rdi)
	mov	%r11, 24(%rdi)
	mov	%r12, 32(%rdi)
	mov	%r13, 40(%rdi)
	mov	%r14, 48(%rdi)
	mov	%r15, 56(%rdi)
	LEAVE	\name
.endm

	BLOCKS_FUNCTION fscrypt_ext__sha512_x86_blocks, 0
	BLOCKS_FUNCTION fscrypt_ext__sha512_x86_blocks_avx512vl, 1
	HMAC_FUNCTION fscrypt_ext__sha512_x86_hmac, 0
	HMAC_FUNCTION fscrypt_ext__sha512_x86_hmac_avx512vl, 1
