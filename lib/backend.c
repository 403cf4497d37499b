/* Public backend API: which AES implementation runs, the compiled-in list, and forcing one. */
#include <string.h>

#include "internal.h"
#include "crypto/aes.h"
#include "crypto/aes_dispatch.h"
#include "crypto/sm4.h"
#include "fscrypt_ext/backend.h"

FSCRYPT_EXT_API const char *fscrypt_ext_backend_name(void)
{
	(void)fscrypt_ext__init();
	return fscrypt_ext__aes_selected()->name;
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

FSCRYPT_EXT_API int fscrypt_ext_backend_force(const char *name)
{
	const struct fscrypt_ext__aes_impl *impl;
	int err;

	if (name == NULL)
		return FSCRYPT_EXT_ERR_INVALID_ARG;
	err = fscrypt_ext__init();
	if (err != FSCRYPT_EXT_OK)
		return err;
	if (strcmp(name, "auto") == 0) {
		fscrypt_ext__aes_select(NULL);
		fscrypt_ext__sm4_select(NULL);
		return FSCRYPT_EXT_OK;
	}
	impl = fscrypt_ext__aes_find(name);
	if (impl == NULL || !impl->available())
		return FSCRYPT_EXT_ERR_NOT_SUPPORTED;
	fscrypt_ext__aes_select(impl);
	fscrypt_ext__sm4_select(name);
	return FSCRYPT_EXT_OK;
}
