/*
 * Replays the fuzz corpus (every file given) through LLVMFuzzerTestOneInput, plus
 * deterministic mutations of each (truncations, extensions, bit flips), so that ctest
 * exercises the parsers with bad input on every build, sanitizers included.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t state = 0x2545f4914f6cdd1dULL;

static uint32_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (uint32_t)state;
}

int main(int argc, char **argv)
{
	size_t runs = 0;

	for (int a = 1; a < argc; a++) {
		FILE *f = fopen(argv[a], "rb");
		uint8_t buf[4096], mut[4200];
		size_t n;

		if (!f) {
			perror(argv[a]);
			return 1;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
		for (size_t len = 0; len <= n + 2 && len < sizeof(mut); len++) {
			memcpy(mut, buf, n);
			memset(mut + n, 0, sizeof(mut) - n);
			LLVMFuzzerTestOneInput(mut, len); /* every truncation and two extensions */
			runs++;
		}
		for (int i = 0; i < 2000 && n; i++) {
			memcpy(mut, buf, n);
			for (int k = 0; k <= (int)(next() % 3); k++)
				mut[next() % n] ^= (uint8_t)(1u << (next() % 8));
			LLVMFuzzerTestOneInput(mut, n);
			runs++;
		}
	}
	printf("fuzz replay: %d corpus files, %zu inputs, no crash\n", argc - 1, runs);
	return 0;
}
