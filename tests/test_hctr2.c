/* Tests for HCTR2: POLYVAL (RFC 8452, google/hctr2), XCTR and HCTR2 vectors, every POLYVAL/XCTR implementation against the portable one. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "crypto/dispatch.h"
#include "crypto/hctr2.h"
#include "fscrypt_ext/fscrypt_ext.h"

struct polyval_vec {
	const char *key, *msg, *hash;
};

static const struct polyval_vec polyval_vecs[] = {
	/* RFC 8452 Appendix A, POLYVAL worked example */
	{ "25629347589242761d31f826ba4b757b",
	  "4f4f95668c83dfb6401762bb2d01a262d1a24ddd2721d006bbe45f20d3c9f362",
	  "f7a3b47b846119fae5b7866cf5e5b77e" },
/* google/hctr2 test_vectors/ours/Polyval/Polyval.json: key, message, hash */
	{ "90ccaceebad7d46898a67970df66156c",
	  "",
	  "00000000000000000000000000000000" },
	{ "0bee0f73a6c292535852652eb1e3230f",
	  "45d9c22eb79624c2583c08f879e08518",
	  "085f78c897e1d5e2a8bccdd806ffa4ee" },
	{ "fdc7a02209aaf6c9ea3312be993cca10",
	  "c32bda6912b1ace3e1cc1a1058a512412adeb8f6491781e418f226f1c0f03557",
	  "1b119357b6e6c15b9b68c86c4ab67696" },
	{ "d622deb90deafbfb0bf2b735f319cb8b",
	  "b4786a867d170849f6e26e598a6f2a3a7f4c0b2b5b614638e3ecbd0ace9c651c538ba81257a213bbf5a79c66e2a2cda2",
	  "5292c4546fb0fec9cedc7176d13a11bb" },
	{ "9815e51afb3c9f0dce65ee4fb5e6d799",
	  "a9ea96c4fe1a422ac1fe7935cba6a188e06088519ff9b98b2277095e8fa9f84141a4cf74092c5e9dea9e26b1428940af14fefe05579fd72a8fe39e959c2f381a",
	  "58c93c633822f1e928970dd7c56aba46" },
	{ "4a8d818c7cc36094ff1831980f2e0fc0",
	  "f24883409e897eee2841dad356c6fd2061875c6eb5ed2148916f23ca5fbca246b68673df448adc951d3f9659723ebae3670fec5a382edcbaa06bb3b5470188ff3db6aeeaf3cd0d8e45fa2d2a14f5d7b2",
	  "0399c7a782a54456d20536561651eaa5" },
	{ "0c6a50b6cea722001b566da1a16a7532",
	  "e863de751572d0707e0480f0b4d4a0c6b4459be3da087980ebe6fb61c20f09a41c7d08ef3474bb47002b15aa5be115f675c73fb1757d078defb04b7d37abf175e9762542cb3f46f7424f86e515ee76ba8049dd5da7aa20aa0511838125052874",
	  "ccebd48fbb61a25e9f7a7c1823b2f96e" },
	{ "c14571f0300794e73adde4c6192d02a2",
	  "c15d47c74c7c5e0785148f79cc7383f735b8cb7361f05331bf84deb6deafb0b8b7d9119189fd1e4c844a1f2a87a4af628d7d58f64335fc538f1af612e1133f66914b13d645fbb07ae08b8e99f7864637d1229e52f33fd9752c2cc6bb0e081429e8502fd8bef4e9694aeef7ae1565351e",
	  "004f5de93bc0d6503e387386c6daca7f" },
	{ "37be681650b94eb047dee2bddee44809",
	  "87fc689ffff24a1e823b738fc1b21b7a6c4f81bc889b6ca39cc2a5bc14704c9b0c9f5992164b913d18552268128c63b251cb854bd2ae0b1c5d289d1db1c8f077e9b5074e06c8eef81bed722a557d16c9f254e7e9e0445b33b149eeff43fb82cd4a707881a43436e84c2854a66cc36b78e7c05dc65d81ab700886a1fdf47755fda3e9e21bdf99b780f90a4f724ad3afbbb33beb08580f79cea599051234d4f48637231dc849c092aea6ac9b3155ed15c60517378d9042e487896288691c6afde3002b471a73c151c2c062746a9eb2e521be90b5b050ca8868e19d7adf6cb7b998ee2862618bd147f9047a0b5dcd2b65f512a3fe1aaa2c7842b8be7d74eb59baba",
	  "ae11d4602a5f9e428904c2348d55940a" },
};

struct xctr_vec {
	const char *key, *nonce, *pt, *ct;
};

static const struct xctr_vec xctr_vecs[] = {
/* google/hctr2 test_vectors/ours/XCTR/XCTR_AES256.json: key, nonce, plaintext, ciphertext */
	{ "05603a7e609046186c60baeb12d7bed1d3f610469df10cb473e39327a82c13aa", "f596d1b6cb44d8d03edb92800894cdd3",
	  "78",
	  "c5" },
	{ "ede38be71c17bf4a02e2fc76acf53c005ddcfc83eb45b4cb596260ec699c1645", "e40e2b90d2fa942e10e5642b972815c7",
	  "e653ff600ec451e4934de555c5d9ad4852",
	  "ba2528f5cf319180da2b955f20cbfb9fc6" },
	{ "775cc0739a6497912feee020c204592e97d2a770b3b0216b8fbfb851a8ea0f62", "318e1fcdfd23eb7f8a1f1b23532744e5",
	  "cdff8c9b945a513f409356936639631fbfe6a4fabe799303f5667416fce4ce",
	  "8bd3c3ce66f8664cadd6f50fd8995a75a13cab0b213657728829e9ea4a8de9" },
	{ "fbf5b73da69542bfd2946c740fbc5a28353c515884fb7d11161e00973708b716", "9b535740e6d9a72778d49bd2291d24a9",
	  "8b02600a3eb71059c3acd52a7581f2db55ca658644fbfe9126bb45b246223e08a2bf46cb687d457ba16a3c6e25ebed317a8b47f9deec3d8709202efaba8b9bc56c259c9d2ae8ab903f86ee611321d4dee10c95fc5c8a6e0a73cf0869444ede25afaa5604c4b360443b8b3deeae424bd29a6ca08e5206b2d15d38306d279b1ad8",
	  "a37833789595970753a3a15b183227f70912537083b56a9f266d100de01ce62b7000dca160ef1beec5a55117aeccf2edc46007dfd57ae9903c9f965d72655defd09432c4859078a12e64f6ee8e743f202f123b3dd5398e5af98fce945d82186614af4cfee091c34a85cfe7e8f7cbf031887dc95b719d5fd2faeda624dabbb184" },
	{ "32372b8f7bb123790552de05f1683f6ca4aebc21c2c6f0bd0f20b7a4c5057b64", "ff264e6748ddcffe420904985f1efa80",
	  "99dc3b1941f9ff6e76b503fa61edf84470b9f083806e317777e4c7b47702ab9182c6f87c4661036909a0f712b7816ca9105cbb55b344edb5a2524871905dda400b7f4a116da73d8e1bcd9d4e758b7d87e53934321ee68d51d41fe31d50a022377cb0d9fbb6b216f66d26a04e8c6ae6b6be4c7ce38810189011501990e7193fd031150f0696fea77bc3328869a412e364023017746c887c9bd66d75df11867079487d343e3358078bd250ac35154505b44d31971987234b8753dca91978f1bf35300414d4cfb28c877ddb69c9cdfe403e8d665b61e5f02d87933a0c2b049805c2564dc46ccd7a987ee22d7907919fdf2f72c98fcb0b871bb70486cb47fa5d03",
	  "0b00f7f2c86aba9a0a97187a00a0dbf45e8e4ab7e051f175178bb4f15611059f2f2eba6704e1b4a5fc7c8cadc6b9d164cabd5dafdb65484f1bb3945c0bd0eecdb57f438ad88b66ded29c1365a447a703c5a1468f2f84bcef489d9db5bd43ffd2d27a5a13bfb4f60517cd0112f0352796f4c165f769ef641b6e4ae877ce8301b760e6452acd414ab58ecc4593f1d6645f3260e4294a826c8616e4ccdb5fc811a6fe88d6c3e55cbb67eca57bf5a84f77255d0c2a99f9b9d1ae3c832a939b66ec682c93028a8a1e2f500937195c2a3ac2cbcb898281b7bbef738bc9ae4296ef70c089c73e6a26c3e43953a9cf637d05f3ff5204f67f2396e9f7ffd650a30e2071" },
	{ "395ff49c903a9a2515117939ed265ef6dacf334f8297ab10c155488280a802b2", "8260d906eb40997608c5a48345b8385a",
	  "a1a8acac08af8f84bfcc79315e6101d14d5f9bcd91929aa1990d49b2d7fd25935196bd918b08f1c60d17f6effdd27816c808277bca98c6128611dbd5083d5a2ccf150e9b4278eb1f52bcd75a8a336c14fc61ad2e1e0366ea790e8888de93e381b5c41ce69c08188ea087dae6f8cb30442d4ec0a360f9627b4bd5616de267955410d1ca22e8b6b13a2dd7355b228855673d838f0798a8f2cf04b79e52cae098725cc100d41f2c61f3e840af4aee6641a00277293065594b207b0d8097277fd590bb9d7690e5434372d0d4147566b3b6af09e423b062ad17283926abf5f75cb633bd27095b29e4400bc12632db9adff95aae032ca440849ab74e47a80f23c7bbcf2bf2326c356a91ba0eeaa28b2fbdb5ea6ebcb54b03b386e086cfbacb382c32a66de528a6add27f734314f8b199122d2bdfcdf2814394dfb117c933a63def96b8d60d00ec4966855d44621204555c48d3bd73ac548fbf978e85fdc2a12532386a1fac573c4f5673f21db64868c70ce760d28e4dfbc7207bb7452812c626aeea7c5de246b5aee1c3986f72d5a2fded40fdf9df61ec452c15e01ebbde71375f73c211cc6e6de1b51bd22add198ac2e1a0a426ebb22c4f7752f142726cadd7785d72c91626251b4ce6587957b506154fe5baa27f2d5b878a4470ecc7ef84ae60a26186e918cd28c4a4f5bc84b886a0baf1f1083b327535227a65ca48e8ef6ee28e00",
	  "2faed867eb15de7553a30e5acf1cbeeadef9cfc29ffd0f44c0e07a761dcb4af835d6e395986b3f89c4e6b66fe18b394b1c6c77e4e18abc61006ab1372f45e604520bfc1e32c1d89dfadd675ce07583d0219e02eac07fc029b36ca597b329821a94a5b4b649e5a5ad9540527c8488a4a826e4d95d41f2937ba4481b6691b97cc29929dfd830acd44742a0148767b8fd0b1ecb5e5c9ac2048b17299d997f864ce25c96a60fb647335ce45049d54f920b9abc524c41f5c93e765555d4dc711423fc5fd508dea0f728c0e161ac6466f6d131e4a4a9edbcad4f3b59b9481be7b16fc6ba401c0be72f316585f5e9140a31f5f3c01c203573380f8e39f068ae089c874b42fc2217ee96512ad8575a35ea7274fcb30e699ae14f2490c54be5d7e3822fc562463eab724ee0f390094cb2e1e8a0f546402b47853c21903dad255a36dfe5bc7e804d5377f179a6ec22808868d62d8b3ef752c72a20425ced994f3280007e73d76d7f7d42544afeff6f61ca2abb4feb4fe44eaf2c4f82cda1a711b33433cf32630e243a35be06d517cb0230336e8c49406e348c07d43ee6af786d8c105f21584926c5af0d7dd4afcd5ba1e3f6391c9b8e00a1a79e174ac054569ecfcf88798d50f7568e0a73466bc3b99b6c7dc4c8b6035f30627de6db15e139028cffdac843f2a9bf00e73a6189dfb0ca7d8c8a6a9f18893d39ac366f051fb5da00eae15121" },
/* google/hctr2 test_vectors/ours/XCTR/XCTR_AES128.json: key, nonce, plaintext, ciphertext */
	{ "9c8dc4bd7136dc827ca1caa3235adba4", "8de7a56a958642debaea6e690333860f",
	  "bd",
	  "b9" },
	{ "4403bf4c30f0a7d6bd54bb668ea60e8a", "e6f726df8c3caa88cec1bd433b0962ad",
	  "3ce346b98f9d3f8deff253ab24e22908f87e1da66d867d60976393297194b4",
	  "d4a3c6b8c16f701a520ced4caf5156234845071034c5ba71e5f81ed8cba6e7" },
	{ "5b1730941931a1ae248e421e82e6ecb8", "d12eb9b8f849eb6806eb653334a2ebf0",
	  "1975ec59601b7a3e624687f0deab8136635311a01fce2585496b28fa1c92e51838140079f29eebfc36a76be1e5cf0448446dbd64b3cb78058d7f9aaf3ccf6c456c7c464ca8c01ee433a57bbb26d9c0329d8ab3f33d52e6484c9b4c6ea4a3ad665648d5983a93c485e989caa6c1c8e7f8c3e9efbe77e6d13aa699c82ddf400f44",
	  "c61a011a00ba04ff10d17e5dad91de8c085595aed7227740f0331b51effe3d67dfc49f39476793abaa3755fe41e0bacd25027c6151a1cc727a2026b90668bd19c52e1b754a40b2d2c4eed85ba4557d25fc014d6f0afd375d3e67c03572537be2d6195b926c3a8c2ae2c2a24f2af2b51565c58d97f9bf8c98e4501af276550749" },
	{ "17a6013d5dd6ef2d698f4c545bae43f0", "a91b47602682f71c80f888ddfb44d9da",
	  "f767cda604655399905ca25674d79df20b037f4ea784722bf0a5bfe69a623afe695c937923866485eb13b15ad54839a070fb069ad7125ab9beed2c8164f7cf80eee628322d374c32f41f2321e9c8c9bf54bccfb4c26539dfa5fb1411ed6238cf9b5811dde9bd3757754c9ed5670a48c60d054eb106d7ec2e9e59de4fab38bbe587045a2c2aa28f3ce7e146a9499f24ad2db0554064d5da7e1e77b8297273c384cdf394905876c92c2aad56de3318b63b10e9e98df0a97f05f7b58c137e113d1e02bb5bea69ff85cf6a189745e396ba4d2d7a7078152ce9dc4e09925704d80ba620717647769689a0d929a25a06db5639603359049589f6181d7075853ab76e",
	  "e1e73fd36ab92f6437c5a4e9ca0aa1d6ea7d39e5e6cc805474312a0433798c8e4d478428279b3c585458204f7001525bac9561495fefbaced77456e7bbe03cd07fa92357332af6cbbe421495a8f97a7e12533ae213fe2d89ebacd7a8a5f827f3749a6563d1983a7e277bc020004df4e57b69a6a8065085b67fac7fda1ff537569b2fd3866b70bd0e559a9d4b08b55b7bd47cb47149924a1eed6d11094772326a975336aff306062c69f159003695282ab6cd102184735c9686142c3d02db539a61deea99847a27f6f7c849734bb8ebd34133dd0968e264b85f7574979154dac2732c1e5a8448011a0d8b0adf072eee771d17417ac93363fa9fc374575f034c" },
};

static uint8_t *hex(const char *s, size_t *len)
{
	return tu_hex(s, len);
}

/* Every POLYVAL implementation this CPU runs (the portable one always). */
static size_t polyval_impls(const struct fscrypt_ext__polyval_impl **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; fscrypt_ext__polyval_impls[i] != NULL && n < max; i++) {
		if (fscrypt_ext__polyval_impls[i]->available())
			out[n++] = fscrypt_ext__polyval_impls[i];
		else
			printf("polyval: %s not runnable on this CPU, not tested\n", fscrypt_ext__polyval_impls[i]->name);
	}
	return n;
}

START_TEST(test_polyval_vectors)
{
	const struct fscrypt_ext__polyval_impl *impls[8];
	size_t nimpl = polyval_impls(impls, 8);

	for (size_t v = 0; v < FSCRYPT_EXT__ARRAY_SIZE(polyval_vecs); v++) {
		size_t klen, mlen, hlen;
		uint8_t *key = hex(polyval_vecs[v].key, &klen), *msg = hex(polyval_vecs[v].msg, &mlen);
		uint8_t *want = hex(polyval_vecs[v].hash, &hlen);

		for (size_t i = 0; i < nimpl; i++) {
			struct fscrypt_ext__polyval_key k;
			uint8_t acc[16] = { 0 };

			fscrypt_ext__polyval_setkey(&k, key, impls[i]);
			fscrypt_ext__polyval_update(&k, acc, msg, mlen / 16);
			ck_assert_msg(memcmp(acc, want, 16) == 0, "polyval vector %zu (%zu bytes) impl %s", v, mlen,
				      impls[i]->name);
		}
		free(key);
		free(msg);
		free(want);
	}
}
END_TEST

/* Random keys and lengths: each implementation equals the portable one, in one call or split in two. */
START_TEST(test_polyval_differential)
{
	const struct fscrypt_ext__polyval_impl *impls[8];
	size_t nimpl = polyval_impls(impls, 8);
	static uint8_t msg[300 * 16];

	for (int iter = 0; iter < 200; iter++) {
		uint8_t h[16], acc0[16], ref[16];
		size_t nblocks = tu_rand_u32() % 300, split = nblocks ? tu_rand_u32() % (nblocks + 1) : 0;
		struct fscrypt_ext__polyval_key k;

		tu_rand(h, 16);
		tu_rand(acc0, 16);
		tu_rand(msg, nblocks * 16);
		fscrypt_ext__polyval_setkey(&k, h, &fscrypt_ext__polyval_portable);
		memcpy(ref, acc0, 16);
		fscrypt_ext__polyval_update(&k, ref, msg, nblocks);
		for (size_t i = 0; i < nimpl; i++) {
			uint8_t acc[16];

			fscrypt_ext__polyval_setkey(&k, h, impls[i]);
			memcpy(acc, acc0, 16);
			fscrypt_ext__polyval_update(&k, acc, msg, nblocks);
			ck_assert_msg(memcmp(acc, ref, 16) == 0, "polyval %s, %zu blocks, iter %d", impls[i]->name,
				      nblocks, iter);
			memcpy(acc, acc0, 16);
			fscrypt_ext__polyval_update(&k, acc, msg, split);
			fscrypt_ext__polyval_update(&k, acc, msg + 16 * split, nblocks - split);
			ck_assert_msg(memcmp(acc, ref, 16) == 0, "polyval %s split %zu+%zu", impls[i]->name, split,
				      nblocks - split);
		}
	}
}
END_TEST

struct xctr_variant {
	const char *name;
	const char *aes;
	fscrypt_ext__xctr_fn fn;
};

/* XCTR functions with the AES backend whose round keys they read; unavailable ones are reported. */
static size_t xctr_variants(struct xctr_variant *out)
{
	size_t n = 0;

	out[n++] = (struct xctr_variant){ "generic/portable", "portable", fscrypt_ext__xctr_generic };
	out[n++] = (struct xctr_variant){ "generic/selected", NULL, fscrypt_ext__xctr_generic };
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_AESNI)
	out[n++] = (struct xctr_variant){ "aesni", "aesni", fscrypt_ext__xctr_aesni };
#endif
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_VAES_AVX2)
	out[n++] = (struct xctr_variant){ "vaes-avx2", "vaes-avx2", fscrypt_ext__xctr_vaes_avx2 };
#endif
#if defined(__x86_64__) && defined(FSCRYPT_EXT_HAVE_VAES_AVX512) && defined(FSCRYPT_EXT_HAVE_AESNI)
	out[n++] = (struct xctr_variant){ "vaes-avx512", "vaes-avx512", fscrypt_ext__xctr_vaes_avx512 };
#endif
	return n;
}

/* Expands key for variant v; 0 when that backend cannot run here. */
static int xctr_key(struct fscrypt_ext__aes_key *k, const struct xctr_variant *v, const uint8_t *key, size_t klen)
{
	const struct fscrypt_ext__aes_impl *impl = v->aes ? fscrypt_ext__aes_find(v->aes) : fscrypt_ext__aes_selected();

	if (impl == NULL || !impl->available()) {
		printf("xctr: %s not runnable on this CPU, not tested\n", v->name);
		return 0;
	}
	ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(k, key, klen, impl), FSCRYPT_EXT_OK);
	return 1;
}

START_TEST(test_xctr_vectors)
{
	struct xctr_variant vars[8];
	size_t nvar = xctr_variants(vars);

	for (size_t v = 0; v < FSCRYPT_EXT__ARRAY_SIZE(xctr_vecs); v++) {
		size_t klen, nlen, plen, clen;
		uint8_t *key = hex(xctr_vecs[v].key, &klen), *nonce = hex(xctr_vecs[v].nonce, &nlen);
		uint8_t *pt = hex(xctr_vecs[v].pt, &plen), *ct = hex(xctr_vecs[v].ct, &clen);
		uint8_t *buf = malloc(plen);

		for (size_t i = 0; i < nvar; i++) {
			struct fscrypt_ext__aes_key k;

			if (!xctr_key(&k, &vars[i], key, klen))
				continue;
			vars[i].fn(&k, nonce, pt, buf, plen);
			ck_assert_msg(memcmp(buf, ct, plen) == 0, "xctr vector %zu (AES-%zu, %zu bytes) %s", v, klen * 8,
				      plen, vars[i].name);
			vars[i].fn(&k, nonce, buf, buf, plen);
			ck_assert_msg(memcmp(buf, pt, plen) == 0, "xctr vector %zu in place back, %s", v, vars[i].name);
		}
		free(key);
		free(nonce);
		free(pt);
		free(ct);
		free(buf);
	}
}
END_TEST

START_TEST(test_xctr_differential)
{
	struct xctr_variant vars[8];
	size_t nvar = xctr_variants(vars);
	static uint8_t in[1200], ref[1200], out[1201];

	for (int iter = 0; iter < 300; iter++) {
		size_t klen = 16 + 8 * (tu_rand_u32() % 3), len = tu_rand_u32() % 1200;
		uint8_t key[32], s[16];
		struct fscrypt_ext__aes_key k;

		tu_rand(key, sizeof(key));
		tu_rand(s, 16);
		tu_rand(in, len);
		ck_assert_int_eq(fscrypt_ext__aes_setkey_impl(&k, key, klen, &fscrypt_ext__aes_portable), FSCRYPT_EXT_OK);
		fscrypt_ext__xctr_generic(&k, s, in, ref, len);
		for (size_t i = 1; i < nvar; i++) {
			if (!xctr_key(&k, &vars[i], key, klen))
				continue;
			/* Unaligned output (out + 1) on purpose. */
			vars[i].fn(&k, s, in, out + 1, len);
			ck_assert_msg(memcmp(out + 1, ref, len) == 0, "xctr %s AES-%zu len %zu iter %d", vars[i].name,
				      klen * 8, len, iter);
		}
	}
}
END_TEST

/* tests/vectors/primitives/hctr2.json through the public API (selected backend) and every POLYVAL implementation. */
START_TEST(test_hctr2_vector_file)
{
	const struct fscrypt_ext__polyval_impl *impls[8];
	size_t nimpl = polyval_impls(impls, 8);
	struct json_object *root = json_object_from_file(FSCRYPT_EXT_TEST_VECTORS_DIR "/primitives/hctr2.json");
	struct json_object *vecs;
	size_t count = 0;

	ck_assert_msg(root != NULL, "cannot read hctr2.json");
	ck_assert(json_object_object_get_ex(root, "vectors", &vecs));
	for (size_t v = 0; v < json_object_array_length(vecs); v++) {
		struct json_object *o = json_object_array_get_idx(vecs, v), *f;
		const char *fields[4] = { "key", "tweak", "plaintext", "ciphertext" };
		uint8_t *b[4];
		size_t l[4];
		uint8_t *buf;

		ck_assert(json_object_object_get_ex(o, "type", &f));
		ck_assert_str_eq(json_object_get_string(f), "hctr2");
		for (int i = 0; i < 4; i++) {
			ck_assert_msg(json_object_object_get_ex(o, fields[i], &f), "vector %zu lacks %s", v, fields[i]);
			b[i] = hex(json_object_get_string(f), &l[i]);
		}
		ck_assert_uint_eq(l[2], l[3]);
		buf = malloc(l[2]);
		ck_assert_int_eq(fscrypt_ext_hctr2_encrypt(b[0], l[0], b[1], l[1], b[2], buf, l[2]), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(buf, b[3], l[2]) == 0, "hctr2 vector %zu encrypt: key %zu B, tweak %zu B, len %zu, backend %s",
			      v, l[0], l[1], l[2], tu_backend());
		ck_assert_int_eq(fscrypt_ext_hctr2_decrypt(b[0], l[0], b[1], l[1], b[3], buf, l[3]), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(buf, b[2], l[2]) == 0, "hctr2 vector %zu decrypt: len %zu, backend %s", v, l[2],
			      tu_backend());
		for (size_t i = 0; i < nimpl; i++) {
			struct fscrypt_ext__hctr2_key k;

			ck_assert_int_eq(fscrypt_ext__hctr2_setkey_impl(&k, b[0], l[0], NULL, impls[i]), FSCRYPT_EXT_OK);
			fscrypt_ext__hctr2_encrypt(&k, b[1], l[1], b[2], buf, l[2]);
			ck_assert_msg(memcmp(buf, b[3], l[2]) == 0, "hctr2 vector %zu with polyval %s, backend %s", v,
				      impls[i]->name, tu_backend());
			fscrypt_ext__hctr2_key_wipe(&k);
		}
		free(buf);
		for (int i = 0; i < 4; i++)
			free(b[i]);
		count++;
	}
	ck_assert_uint_ge(count, 350);
	json_object_put(root);
}
END_TEST

/* fscrypt-spec section 10.5 and the "hello" filename of section 10.6. */
START_TEST(test_hctr2_spec_values)
{
	static const struct {
		const char *key, *tweak, *pt, *ct;
	} v[] = {
		{ "9eebb2493c1cf5f46a99c2c4dfb1f4dd752057ea2c4fcdb2a53d7b491eabfd0f",
		  "df63d4abd249f3d8338137607dfa7308d8496d80e82f6254eb0ea9395b457f8a", "67c9f23084418e43fbf3b33e79367fe8",
		  "2738784716d971352e7edd7e433cb840" },
		{ "7fc7152ae1f5fda4176769aec92bba82a314e7cfadfd8540da7b7d24bdf17d07", "",
		  "9be382c65ac19fad4659b80bacc857a0", "596a76ff906fbe9b792767778fed2361" },
		/* "hello" NUL-padded to 32 bytes, key = HKDF context 2 of the spec's master key and nonce, tweak 0 */
		{ "661abec4a365fe5730e9781264d00a9816f0b5f50e41e49f3200b78ed390ed41",
		  "0000000000000000000000000000000000000000000000000000000000000000",
		  "68656c6c6f000000000000000000000000000000000000000000000000000000",
		  "6709c2e3e6794098b89ca95f358ab5a21cd606707ebfd003b27d3fcf9196e91b" },
	};

	for (size_t i = 0; i < FSCRYPT_EXT__ARRAY_SIZE(v); i++) {
		size_t kl, tl, pl, cl;
		uint8_t *key = hex(v[i].key, &kl), *tw = hex(v[i].tweak, &tl), *pt = hex(v[i].pt, &pl), *ct = hex(v[i].ct, &cl);
		uint8_t buf[64];

		ck_assert_int_eq(fscrypt_ext_hctr2_encrypt(key, kl, tl ? tw : NULL, tl, pt, buf, pl), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(buf, ct, cl) == 0, "spec value %zu, backend %s", i, tu_backend());
		ck_assert_int_eq(fscrypt_ext_hctr2_decrypt(key, kl, tl ? tw : NULL, tl, ct, buf, cl), FSCRYPT_EXT_OK);
		ck_assert_msg(memcmp(buf, pt, pl) == 0, "spec value %zu decrypt, backend %s", i, tu_backend());
		free(key);
		free(tw);
		free(pt);
		free(ct);
	}
}
END_TEST

/* Random inputs: every (AES backend, POLYVAL) pair equals portable/portable; in place and unaligned work. */
START_TEST(test_hctr2_differential)
{
	const struct fscrypt_ext__polyval_impl *impls[8];
	size_t nimpl = polyval_impls(impls, 8);
	static const char *aes_names[] = { "portable", "aesni", "vaes-avx2", "armv8-ce" };
	static uint8_t pt[4097], ref[4097], buf[4098];

	for (int iter = 0; iter < 60; iter++) {
		size_t klen = 16 + 8 * (tu_rand_u32() % 3), tlen = tu_rand_u32() % 48;
		size_t len = iter < 10 ? 4096 : 16 + tu_rand_u32() % 600;
		uint8_t key[32], tweak[48];
		struct fscrypt_ext__hctr2_key k;

		tu_rand(key, sizeof(key));
		tu_rand(tweak, sizeof(tweak));
		tu_rand(pt, len);
		ck_assert_int_eq(fscrypt_ext__hctr2_setkey_impl(&k, key, klen, &fscrypt_ext__aes_portable,
								&fscrypt_ext__polyval_portable), FSCRYPT_EXT_OK);
		fscrypt_ext__hctr2_encrypt(&k, tweak, tlen, pt, ref, len);
		for (size_t a = 0; a < FSCRYPT_EXT__ARRAY_SIZE(aes_names); a++) {
			const struct fscrypt_ext__aes_impl *aes = fscrypt_ext__aes_find(aes_names[a]);

			if (aes == NULL || !aes->available())
				continue;
			for (size_t p = 0; p < nimpl; p++) {
				ck_assert_int_eq(fscrypt_ext__hctr2_setkey_impl(&k, key, klen, aes, impls[p]), FSCRYPT_EXT_OK);
				fscrypt_ext__hctr2_encrypt(&k, tweak, tlen, pt, buf + 1, len);
				ck_assert_msg(memcmp(buf + 1, ref, len) == 0, "hctr2 aes %s polyval %s len %zu tweak %zu",
					      aes_names[a], impls[p]->name, len, tlen);
				memcpy(buf, ref, len);
				fscrypt_ext__hctr2_decrypt(&k, tweak, tlen, buf, buf, len);
				ck_assert_msg(memcmp(buf, pt, len) == 0, "hctr2 in-place decrypt aes %s polyval %s len %zu",
					      aes_names[a], impls[p]->name, len);
			}
			/* The automatic choice for this backend (what fscrypt uses). */
			ck_assert_int_eq(fscrypt_ext__hctr2_setkey_impl(&k, key, klen, aes, NULL), FSCRYPT_EXT_OK);
			memcpy(buf, pt, len);
			fscrypt_ext__hctr2_encrypt(&k, tweak, tlen, buf, buf, len);
			ck_assert_msg(memcmp(buf, ref, len) == 0, "hctr2 in place, aes %s (polyval %s, auto)", aes_names[a],
				      k.polyval.impl->name);
		}
		fscrypt_ext__hctr2_key_wipe(&k);
	}
}
END_TEST

/* A one-bit change anywhere changes the whole output (wide-block property), and the tweak matters. */
START_TEST(test_hctr2_diffusion)
{
	uint8_t key[32], tweak[32] = { 0 }, pt[255], c1[255], c2[255];
	size_t same = 0;

	tu_rand(key, sizeof(key));
	tu_rand(pt, sizeof(pt));
	ck_assert_int_eq(fscrypt_ext_hctr2_encrypt(key, 32, tweak, 32, pt, c1, sizeof(pt)), FSCRYPT_EXT_OK);
	pt[200] ^= 1;
	ck_assert_int_eq(fscrypt_ext_hctr2_encrypt(key, 32, tweak, 32, pt, c2, sizeof(pt)), FSCRYPT_EXT_OK);
	ck_assert_msg(memcmp(c1, c2, 16) != 0, "first block unchanged by a change at byte 200");
	for (size_t i = 0; i < sizeof(pt); i++)
		same += c1[i] == c2[i];
	ck_assert_msg(same < 20, "%zu equal bytes after a one-bit change", same);
	pt[200] ^= 1;
	tweak[31] = 1;
	ck_assert_int_eq(fscrypt_ext_hctr2_encrypt(key, 32, tweak, 32, pt, c2, sizeof(pt)), FSCRYPT_EXT_OK);
	ck_assert(memcmp(c1, c2, sizeof(c1)) != 0);
}
END_TEST

START_TEST(test_hctr2_bad_args)
{
	uint8_t key[32] = { 0 }, tweak[32] = { 0 }, buf[32] = { 0 }, out[32];

	ck_assert_int_eq(fscrypt_ext_hctr2_encrypt(NULL, 32, tweak, 32, buf, out, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_hctr2_encrypt(key, 20, tweak, 32, buf, out, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_hctr2_encrypt(key, 32, NULL, 32, buf, out, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_hctr2_encrypt(key, 32, tweak, 32, buf, out, 15), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_hctr2_decrypt(key, 32, tweak, 32, NULL, out, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	ck_assert_int_eq(fscrypt_ext_hctr2_decrypt(key, 32, tweak, 32, buf, NULL, 32), FSCRYPT_EXT_ERR_INVALID_ARG);
	/* An empty tweak may be NULL. */
	ck_assert_int_eq(fscrypt_ext_hctr2_encrypt(key, 32, NULL, 0, buf, out, 16), FSCRYPT_EXT_OK);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("hctr2");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_polyval_vectors);
	tcase_add_test(tc, test_polyval_differential);
	tcase_add_test(tc, test_xctr_vectors);
	tcase_add_test(tc, test_xctr_differential);
	tcase_add_test(tc, test_hctr2_vector_file);
	tcase_add_test(tc, test_hctr2_spec_values);
	tcase_add_test(tc, test_hctr2_differential);
	tcase_add_test(tc, test_hctr2_diffusion);
	tcase_add_test(tc, test_hctr2_bad_args);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(make_suite());
}
