/*
 * Replays ext4 images (every file given) through LLVMFuzzerTestOneInput, plus deterministic
 * mutations of each: bit flips and byte stores in the metadata (the first 64 KiB), and
 * truncations, so that ctest runs the image fuzz target with hostile input on every build.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t state = 0x9e3779b97f4a7c15ULL;

static uint32_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (uint32_t)state;
}

int main(int argc, char **argv)
{
	int rounds = getenv("FUZZ_REPLAY_ROUNDS") ? atoi(getenv("FUZZ_REPLAY_ROUNDS")) : 40;
	size_t runs = 0;

	for (int a = 1; a < argc; a++) {
		FILE *f = fopen(argv[a], "rb");
		uint8_t *buf, *mut;
		size_t n, cap = 8u << 20, span;

		if (!f) {
			perror(argv[a]);
			return 1;
		}
		buf = malloc(cap);
		mut = malloc(cap);
		if (!buf || !mut)
			return 1;
		n = fread(buf, 1, cap, f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
		runs++;
		span = n < 65536 ? n : 65536;
		for (int i = 0; i < rounds && span; i++) {
			memcpy(mut, buf, n);
			for (int k = 0; k <= (int)(next() % 8); k++) {
				size_t at = next() % span;

				if (next() % 2)
					mut[at] ^= (uint8_t)(1u << (next() % 8));
				else
					mut[at] = (uint8_t)next();
			}
			LLVMFuzzerTestOneInput(mut, n);
			runs++;
		}
		for (size_t len = n / 4; len < n; len += n / 4) {
			LLVMFuzzerTestOneInput(buf, len);
			runs++;
		}
		free(buf);
		free(mut);
	}
	fprintf(stderr, "fuzz image replay: %d images, %zu inputs, no crash\n", argc - 1, runs);
	return 0;
}
