/* Public backend API over crypto/dispatch.c: which implementations run, the compiled-in AES list, and forcing. */
#include "internal.h"
#include "crypto/dispatch.h"
#include "fscrypt_ext/backend.h"

FSCRYPT_EXT_API const char *fscrypt_ext_backend_name(void)
{
	(void)fscrypt_ext__init();
	return fscrypt_ext__dispatch()->aes->name;
}

FSCRYPT_EXT_API const char *fscrypt_ext_backend_at(size_t i, int *available)
{
	(void)fscrypt_ext__init();
	for (size_t j = 0; fscrypt_ext__aes_impls[j] != NULL; j++) {
		if (j == i) {
			if (available != NULL)
				*available = fscrypt_ext__aes_impls[j]->available() ? 1 : 0;
			return fscrypt_ext__aes_impls[j]->name;
		}
	}
	if (available != NULL)
		*available = 0;
	return NULL;
}

FSCRYPT_EXT_API const char *fscrypt_ext_backend_primitive(size_t i, const char **impl)
{
	if (fscrypt_ext__init() != FSCRYPT_EXT_OK)
		return NULL;
	return fscrypt_ext__dispatch_primitive(i, impl);
}

FSCRYPT_EXT_API int fscrypt_ext_backend_force(const char *name)
{
	int err;

	if (name == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	return fscrypt_ext__dispatch_force(name);
}
