/* Library initialisation (libsodium, CPU features, the implementation choice) and the version getters. */
#include <pthread.h>

#include <sodium.h>

#include "internal.h"
#include "crypto/dispatch.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_result = FSCRYPT_EXT_ERR_CRYPTO;

static void init_body(void)
{
	if (sodium_init() < 0) {
		init_result = FSCRYPT_EXT_ERR_CRYPTO;
		return;
	}
	/* Detects the CPU and picks every primitive's implementation now, so later calls are lock-free. */
	(void)fscrypt_ext__dispatch();
	init_result = FSCRYPT_EXT_OK;
}

int fscrypt_ext__init(void)
{
	if (pthread_once(&init_once, init_body) != 0)
		return FSCRYPT_EXT_ERR_CRYPTO;
	return init_result;
}

FSCRYPT_EXT_API int fscrypt_ext_init(void)
{
	return fscrypt_ext__init();
}

FSCRYPT_EXT_API const char *fscrypt_ext_version_string(void)
{
	return FSCRYPT_EXT_VERSION_STRING;
}

FSCRYPT_EXT_API unsigned int fscrypt_ext_version_number(void)
{
	return FSCRYPT_EXT_VERSION_NUMBER;
}
