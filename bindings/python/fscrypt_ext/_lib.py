"""Loads libfscrypt-ext and declares the C prototypes (ctypes; no compiled extension)."""
import ctypes
import ctypes.util
import os

_u8p = ctypes.POINTER(ctypes.c_uint8)
_szp = ctypes.POINTER(ctypes.c_size_t)


def _load():
    candidates = []
    env = os.environ.get("FSCRYPT_EXT_LIBRARY")
    if env:
        candidates.append(env)
    candidates += ["libfscrypt-ext.so.0", "libfscrypt-ext.so"]
    found = ctypes.util.find_library("fscrypt-ext")
    if found:
        candidates.append(found)
    errors = []
    for c in candidates:
        try:
            return ctypes.CDLL(c)
        except OSError as e:  # try the next one
            errors.append(f"{c}: {e}")
    raise ImportError("cannot load libfscrypt-ext (set FSCRYPT_EXT_LIBRARY): " + "; ".join(errors))


lib = _load()


class FsInfo(ctypes.Structure):
    """struct fscrypt_ext_fs_info"""
    _fields_ = [("block_size", ctypes.c_uint32), ("ino_bits", ctypes.c_uint8),
                ("lblk_bits", ctypes.c_uint8), ("stable_inodes", ctypes.c_bool),
                ("subblock_data_units", ctypes.c_bool), ("uuid", ctypes.c_uint8 * 16)]


class PolicyStruct(ctypes.Structure):
    """struct fscrypt_ext_policy"""
    _fields_ = [("version", ctypes.c_uint8), ("contents_mode", ctypes.c_uint8),
                ("filenames_mode", ctypes.c_uint8), ("flags", ctypes.c_uint8),
                ("log2_data_unit_size", ctypes.c_uint8), ("reserved", ctypes.c_uint8 * 3),
                ("key_descriptor", ctypes.c_uint8 * 8), ("key_identifier", ctypes.c_uint8 * 16)]


class ContextStruct(ctypes.Structure):
    """struct fscrypt_ext_context"""
    _fields_ = [("version", ctypes.c_uint8), ("contents_mode", ctypes.c_uint8),
                ("filenames_mode", ctypes.c_uint8), ("flags", ctypes.c_uint8),
                ("log2_data_unit_size", ctypes.c_uint8), ("reserved", ctypes.c_uint8 * 3),
                ("key_descriptor", ctypes.c_uint8 * 8), ("key_identifier", ctypes.c_uint8 * 16),
                ("nonce", ctypes.c_uint8 * 16)]


class NokeyStruct(ctypes.Structure):
    """struct fscrypt_ext_nokey_name"""
    _fields_ = [("hash", ctypes.c_uint32), ("minor_hash", ctypes.c_uint32),
                ("bytes", ctypes.c_uint8 * 149), ("bytes_len", ctypes.c_size_t),
                ("has_sha256", ctypes.c_bool), ("sha256", ctypes.c_uint8 * 32)]


def _proto(name, restype, *argtypes):
    fn = getattr(lib, name, None)
    if fn is None:
        return None
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


_i, _c, _v, _sz, _u64 = ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint64

init = _proto("fscrypt_ext_init", _i)
strerror = _proto("fscrypt_ext_strerror", _c, _i)
error_name = _proto("fscrypt_ext_error_name", _c, _i)
version_string = _proto("fscrypt_ext_version_string", _c)
version_number = _proto("fscrypt_ext_version_number", ctypes.c_uint)
backend_name = _proto("fscrypt_ext_backend_name", _c)
backend_at = _proto("fscrypt_ext_backend_at", _c, _sz, ctypes.POINTER(_i))
backend_force = _proto("fscrypt_ext_backend_force", _i, _c)

master_key_new = _proto("fscrypt_ext_master_key_new", _i, _u8p, _sz, ctypes.POINTER(_v))
master_key_free = _proto("fscrypt_ext_master_key_free", None, _v)
master_key_size = _proto("fscrypt_ext_master_key_size", _sz, _v)
master_key_identifier = _proto("fscrypt_ext_master_key_identifier", _i, _v, _u8p)
master_key_descriptor = _proto("fscrypt_ext_master_key_descriptor", _i, _v, _u8p)

fs_info_ext4 = _proto("fscrypt_ext_fs_info_ext4", None, ctypes.POINTER(FsInfo), ctypes.c_uint32)
policy_parse = _proto("fscrypt_ext_policy_parse", _i, _u8p, _sz, ctypes.POINTER(PolicyStruct))
policy_serialize = _proto("fscrypt_ext_policy_serialize", _i, ctypes.POINTER(PolicyStruct), _u8p, _sz, _szp)
policy_validate = _proto("fscrypt_ext_policy_validate", _i, ctypes.POINTER(PolicyStruct), ctypes.POINTER(FsInfo))
policy_to_text = _proto("fscrypt_ext_policy_to_text", _i, ctypes.POINTER(PolicyStruct), ctypes.c_char_p, _sz)
policy_from_text = _proto("fscrypt_ext_policy_from_text", _i, _c, ctypes.POINTER(PolicyStruct))
context_parse = _proto("fscrypt_ext_context_parse", _i, _u8p, _sz, ctypes.POINTER(ContextStruct))
context_serialize = _proto("fscrypt_ext_context_serialize", _i, ctypes.POINTER(ContextStruct), _u8p, _sz, _szp)
context_to_policy = _proto("fscrypt_ext_context_to_policy", _i, ctypes.POINTER(ContextStruct), ctypes.POINTER(PolicyStruct))
context_validate = _proto("fscrypt_ext_context_validate", _i, ctypes.POINTER(ContextStruct), ctypes.POINTER(FsInfo))
context_new = _proto("fscrypt_ext_context_new", _i, ctypes.POINTER(PolicyStruct), ctypes.POINTER(FsInfo), ctypes.POINTER(ContextStruct))
policy_validate_dir = _proto("fscrypt_ext_policy_validate_dir", _i, ctypes.POINTER(PolicyStruct), ctypes.POINTER(FsInfo),
                             ctypes.c_uint)
context_validate_dir = _proto("fscrypt_ext_context_validate_dir", _i, ctypes.POINTER(ContextStruct),
                              ctypes.POINTER(FsInfo), ctypes.c_uint)
policy_compare = _proto("fscrypt_ext_policy_compare", _i, ctypes.POINTER(PolicyStruct), ctypes.POINTER(PolicyStruct))
policies_equal = _proto("fscrypt_ext_policies_equal", ctypes.c_bool, ctypes.POINTER(PolicyStruct),
                        ctypes.POINTER(PolicyStruct))
context_inherit = _proto("fscrypt_ext_context_inherit", _i, ctypes.POINTER(ContextStruct), ctypes.POINTER(FsInfo),
                         ctypes.POINTER(ContextStruct))
context_permitted = _proto("fscrypt_ext_context_permitted", ctypes.c_bool, ctypes.POINTER(ContextStruct),
                           ctypes.POINTER(ContextStruct), _i)

inode_open = _proto("fscrypt_ext_inode_open", _i, ctypes.POINTER(ContextStruct), _v, _i, _u64, ctypes.POINTER(FsInfo), ctypes.POINTER(_v))
inode_open_v1_unchecked = _proto("fscrypt_ext_inode_open_v1_unchecked", _i, ctypes.POINTER(ContextStruct), _v, _i, _u64,
                                 ctypes.POINTER(FsInfo), ctypes.POINTER(_v))
dirhash_from_context = _proto("fscrypt_ext_dirhash_from_context", _i, ctypes.POINTER(ContextStruct), _v, _u8p, _sz,
                              ctypes.POINTER(_u64))
inode_open_ex = _proto("fscrypt_ext_inode_open_ex", _i, ctypes.POINTER(ContextStruct), _v, _i, _u64,
                       ctypes.POINTER(FsInfo), ctypes.c_uint, ctypes.POINTER(_v))
inode_free = _proto("fscrypt_ext_inode_free", None, _v)
inode_data_unit_size = _proto("fscrypt_ext_inode_data_unit_size", _sz, _v)
encrypt_data_units = _proto("fscrypt_ext_encrypt_data_units", _i, _v, _u64, _u8p, _u8p, _sz)
decrypt_data_units = _proto("fscrypt_ext_decrypt_data_units", _i, _v, _u64, _u8p, _u8p, _sz)
fname_encrypted_size = _proto("fscrypt_ext_fname_encrypted_size", _i, _v, _sz, _sz, _szp)
fname_encrypt = _proto("fscrypt_ext_fname_encrypt", _i, _v, _u8p, _sz, _u8p, _sz, _szp)
fname_decrypt = _proto("fscrypt_ext_fname_decrypt", _i, _v, _u8p, _sz, _u8p, _sz, _szp)
symlink_encrypt = _proto("fscrypt_ext_symlink_encrypt", _i, _v, _u8p, _sz, _sz, _u8p, _sz, _szp)
symlink_decrypt = _proto("fscrypt_ext_symlink_decrypt", _i, _v, _u8p, _sz, _u8p, _sz, _szp)
dirhash = _proto("fscrypt_ext_dirhash", _i, _v, _u8p, _sz, ctypes.POINTER(_u64))
name_check = _proto("fscrypt_ext_name_check", _i, _u8p, _sz)
fname_decrypt_strict = _proto("fscrypt_ext_fname_decrypt_strict", _i, _v, _u8p, _sz, _u8p, _sz, _szp)
symlink_decrypt_strict = _proto("fscrypt_ext_symlink_decrypt_strict", _i, _v, _u8p, _sz, _sz, _u8p, _sz, _szp)
fname_disk_to_usr = _proto("fscrypt_ext_fname_disk_to_usr", _i, _v, _u8p, _sz, ctypes.c_uint32, ctypes.c_uint32,
                           _u8p, _sz, _szp)
symlink_disk_to_usr = _proto("fscrypt_ext_symlink_disk_to_usr", _i, _v, _u8p, _sz, _u8p, _sz, _szp)
ext4_dirhash = _proto("fscrypt_ext_ext4_dirhash", _i, _v, _u8p, _sz, ctypes.POINTER(ctypes.c_uint32),
                      ctypes.POINTER(ctypes.c_uint32))
ext4_dirhash_from_siphash = _proto("fscrypt_ext_ext4_dirhash_from_siphash", None, _u64,
                                   ctypes.POINTER(ctypes.c_uint32), ctypes.POINTER(ctypes.c_uint32))

nokey_encode = _proto("fscrypt_ext_nokey_name_encode", _i, _u8p, _sz, ctypes.c_uint32, ctypes.c_uint32, ctypes.c_char_p, _sz, _szp)
nokey_decode = _proto("fscrypt_ext_nokey_name_decode", _i, _c, _sz, ctypes.POINTER(NokeyStruct))
nokey_matches = _proto("fscrypt_ext_nokey_name_matches", ctypes.c_bool, ctypes.POINTER(NokeyStruct), _u8p, _sz)

hkdf_sha512 = _proto("fscrypt_ext_hkdf_sha512", _i, _u8p, _sz, _u8p, _sz, _u8p, _sz, _u8p, _sz)
siphash24 = _proto("fscrypt_ext_siphash24", _i, _u8p, _u8p, _sz, ctypes.POINTER(_u64))
for _n in ["aes_ecb_encrypt", "aes_ecb_decrypt"]:
    globals()[_n] = _proto("fscrypt_ext_" + _n, _i, _u8p, _sz, _u8p, _u8p, _sz)
for _n in ["aes_xts_encrypt", "aes_xts_decrypt", "aes_cbc_cts_encrypt", "aes_cbc_cts_decrypt",
           "sm4_xts_encrypt", "sm4_xts_decrypt", "sm4_cbc_cts_encrypt", "sm4_cbc_cts_decrypt"]:
    globals()[_n] = _proto("fscrypt_ext_" + _n, _i, _u8p, _sz, _u8p, _u8p, _u8p, _sz)
for _n in ["aes_cbc_essiv_encrypt", "aes_cbc_essiv_decrypt"]:
    globals()[_n] = _proto("fscrypt_ext_" + _n, _i, _u8p, _u8p, _u8p, _u8p, _sz)
for _n in ["adiantum_encrypt", "adiantum_decrypt"]:
    globals()[_n] = _proto("fscrypt_ext_" + _n, _i, _u8p, _u8p, _sz, _u8p, _u8p, _sz)
for _n in ["hctr2_encrypt", "hctr2_decrypt"]:
    globals()[_n] = _proto("fscrypt_ext_" + _n, _i, _u8p, _sz, _u8p, _sz, _u8p, _u8p, _sz)


def buf(data):
    """A mutable ctypes byte buffer holding data (bytes-like)."""
    data = bytes(data)
    return (ctypes.c_uint8 * max(len(data), 1)).from_buffer_copy(data + b"\0" * (len(data) == 0))


def out(n):
    return (ctypes.c_uint8 * max(n, 1))()


def cast(b):
    return ctypes.cast(b, _u8p)


class ExtentContextStruct(ctypes.Structure):
    """struct fscrypt_ext_extent_context"""
    _fields_ = [("version", ctypes.c_uint8), ("contents_mode", ctypes.c_uint8),
                ("key_identifier", ctypes.c_uint8 * 16), ("nonce", ctypes.c_uint8 * 16)]


class KeyStatusStruct(ctypes.Structure):
    """struct fscrypt_ext_key_status_info"""
    _fields_ = [("status", ctypes.c_uint32), ("user_count", ctypes.c_uint32)]


_ecp = ctypes.POINTER(ExtentContextStruct)
_cp = ctypes.POINTER(ContextStruct)
_fp = ctypes.POINTER(FsInfo)
extent_context_parse = _proto("fscrypt_ext_extent_context_parse", _i, _u8p, _sz, _ecp)
extent_context_serialize = _proto("fscrypt_ext_extent_context_serialize", _i, _ecp, _u8p, _sz, _szp)
extent_policy_check = _proto("fscrypt_ext_extent_policy_check", _i, _cp)
extent_context_validate = _proto("fscrypt_ext_extent_context_validate", _i, _ecp, _cp, ctypes.c_uint)
extent_context_new = _proto("fscrypt_ext_extent_context_new", _i, _cp, _ecp)
extent_info_load = _proto("fscrypt_ext_extent_info_load", _i, _cp, _fp, _ecp, _v, ctypes.c_uint, ctypes.POINTER(_v))
extent_info_new = _proto("fscrypt_ext_extent_info_new", _i, _cp, _fp, _v, _ecp, ctypes.POINTER(_v))
extent_info_put = _proto("fscrypt_ext_extent_info_put", None, _v)
extent_info_context = _proto("fscrypt_ext_extent_info_context", _i, _v, _ecp)
extent_info_data_unit_size = _proto("fscrypt_ext_extent_info_data_unit_size", _sz, _v)
extent_encrypt = _proto("fscrypt_ext_extent_encrypt", _i, _v, _u64, _u8p, _u8p, _sz)
extent_decrypt = _proto("fscrypt_ext_extent_decrypt", _i, _v, _u64, _u8p, _u8p, _sz)
keyring_new = _proto("fscrypt_ext_keyring_new", _i, ctypes.POINTER(_v))
keyring_free = _proto("fscrypt_ext_keyring_free", None, _v)
keyring_add = _proto("fscrypt_ext_keyring_add", _i, _v, _u8p, _sz, _u8p)
keyring_remove = _proto("fscrypt_ext_keyring_remove", _i, _v, _u8p, ctypes.POINTER(ctypes.c_uint32))
keyring_status = _proto("fscrypt_ext_keyring_status", _i, _v, _u8p, ctypes.POINTER(KeyStatusStruct))
keyring_add_v1 = _proto("fscrypt_ext_keyring_add_v1", _i, _v, _u8p, _sz, _u8p)
keyring_remove_v1 = _proto("fscrypt_ext_keyring_remove_v1", _i, _v, _u8p, ctypes.POINTER(ctypes.c_uint32))
keyring_lookup = _proto("fscrypt_ext_keyring_lookup", _i, _v, _cp, ctypes.POINTER(KeyStatusStruct))
keyring_get_key = _proto("fscrypt_ext_keyring_get_key", _i, _v, _cp, ctypes.POINTER(_v))
keyring_inode_open_ex = _proto("fscrypt_ext_keyring_inode_open_ex", _i, _v, _cp, _i, _u64, _fp, ctypes.c_uint,
                               ctypes.POINTER(_v))
extent_inode_open = _proto("fscrypt_ext_extent_inode_open", _i, _v, _cp, _fp, ctypes.POINTER(_v))
extent_inode_close = _proto("fscrypt_ext_extent_inode_close", None, _v)
extent_inode_new_extent = _proto("fscrypt_ext_extent_inode_new_extent", _i, _v, _ecp, ctypes.POINTER(_v))
extent_inode_load_extent = _proto("fscrypt_ext_extent_inode_load_extent", _i, _v, _ecp, ctypes.c_uint, ctypes.POINTER(_v))
