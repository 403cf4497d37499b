/* XCTR through the key's own ECB: the fallback every AES backend can run. */
#include "xctr.h"

#define XCTR_BATCH 32

void fscrypt_ext__xctr_generic(const struct fscrypt_ext__aes_key *k, const uint8_t s[16], const uint8_t *in, uint8_t *out,
			       size_t len)
{
	uint8_t ks[XCTR_BATCH * 16];
	uint64_t ctr = 1;
	uint64_t s_lo = fscrypt_ext__le64(s);

	while (len) {
		size_t n = (len + 15) / 16, chunk;

		if (n > XCTR_BATCH)
			n = XCTR_BATCH;
		for (size_t i = 0; i < n; i++, ctr++) {
			/* The counter is XORed, not added: only the low 64 bits ever change here. */
			fscrypt_ext__put_le64(ks + 16 * i, s_lo ^ ctr);
			memcpy(ks + 16 * i + 8, s + 8, 8);
		}
		fscrypt_ext__aes_ecb_encrypt(k, ks, ks, n);
		chunk = len < 16 * n ? len : 16 * n;
		for (size_t i = 0; i < chunk; i++)
			out[i] = in[i] ^ ks[i];
		in += chunk;
		out += chunk;
		len -= chunk;
	}
	fscrypt_ext__wipe(ks, sizeof(ks));
}
