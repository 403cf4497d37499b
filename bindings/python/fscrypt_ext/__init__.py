"""Python binding for libfscrypt-ext: the Linux fscrypt key hierarchy in userspace.

A thin ctypes layer over the library's public C ABI (no compiled extension). Errors are
raised as FscryptExtError carrying the library's error code (``.code``) and message.
Set FSCRYPT_EXT_LIBRARY to the path of libfscrypt-ext.so if it is not installed.
"""
import ctypes

from . import _lib as L

__all__ = [
    "FscryptExtError", "MasterKey", "Policy", "Context", "FsInfo", "Inode", "NokeyName",
    "version", "backend", "dirhash_from_context", "backends", "force_backend", "nokey_encode", "nokey_decode",
    "hkdf_sha512", "siphash24", "aes_ecb", "aes_xts", "aes_cbc_cts", "adiantum", "hctr2",
    "aes_cbc_essiv", "sm4_xts", "sm4_cbc_cts",
    "INODE_REG", "INODE_DIR", "INODE_SYMLINK", "MODES", "ERRORS",
]

INODE_REG, INODE_DIR, INODE_SYMLINK = 1, 2, 3
MODES = {"AES-256-XTS": 1, "AES-256-CTS": 4, "AES-128-CBC-ESSIV": 5, "AES-128-CTS": 6,
         "SM4-XTS": 7, "SM4-CTS": 8, "ADIANTUM": 9, "AES-256-HCTR2": 10}

# The pinned error codes, by the library's own names (fscrypt_ext_error_name) without the
# FSCRYPT_EXT_ERR_ prefix; codes are small negative numbers, reserved ones have no name.
ERRORS = {}
for _code in range(-1, -256, -1):
    _name = L.error_name(_code)
    if _name:
        ERRORS[_name.decode()[len("FSCRYPT_EXT_ERR_"):]] = _code

# enum fscrypt_ext_file_kind (context_permitted) and the per-directory/open flags.
KIND_REG, KIND_DIR, KIND_SYMLINK, KIND_SPECIAL = 1, 2, 3, 4
DIR_CASEFOLDED = 0x1
OPEN_CASEFOLDED, OPEN_V1_UNCHECKED = 0x1, 0x100
_ERROR_NAMES = {v: k for k, v in ERRORS.items()}


class FscryptExtError(Exception):
    """A library call failed. ``code`` is the fscrypt_ext_error value, ``name`` its short name."""

    def __init__(self, code, what=""):
        self.code = code
        self.name = _ERROR_NAMES.get(code, str(code))
        msg = L.strerror(code).decode()
        super().__init__(f"{what}: {msg} ({self.name})" if what else f"{msg} ({self.name})")


def _check(err, what):
    if err != 0:
        raise FscryptExtError(err, what)


if L.init() != 0:
    raise ImportError("libfscrypt-ext failed to initialise")


def version():
    """The loaded library's version string."""
    return L.version_string().decode()


def backend():
    """Name of the AES backend in use."""
    return L.backend_name().decode()


def backends():
    """[(name, available)] for every AES backend compiled in, best first."""
    res, i = [], 0
    while True:
        avail = ctypes.c_int(0)
        name = L.backend_at(i, ctypes.byref(avail))
        if not name:
            return res
        res.append((name.decode(), bool(avail.value)))
        i += 1


def force_backend(name):
    """Force implementations: a profile ("portable", "aesni", ...), "primitive=impl" pairs, or "auto"
    (the FSCRYPT_EXT_BACKEND syntax of fscrypt_ext/backend.h)."""
    _check(L.backend_force(name.encode()), f"backend {name}")


class _Handle:
    """Owns one library object: closed (wiped and freed) by close(), a with block, or garbage collection."""

    _free = None  # the library's free function, set by each subclass

    def close(self):
        h = self.__dict__.get("_h")
        if h:
            type(self)._free(h)
            self._h = ctypes.c_void_p()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()


class MasterKey(_Handle):
    """A master key held by the library in locked, guarded memory; wiped by close()."""

    def __init__(self, raw):
        raw_b = L.buf(raw)
        self._h = ctypes.c_void_p()
        try:
            _check(L.master_key_new(L.cast(raw_b), len(raw), ctypes.byref(self._h)), "master key")
        finally:
            ctypes.memset(raw_b, 0, ctypes.sizeof(raw_b))

    _free = staticmethod(lambda h: L.master_key_free(h))

    @property
    def handle(self):
        if not self._h:
            raise FscryptExtError(ERRORS["INVALID_ARG"], "master key is closed")
        return self._h

    @property
    def size(self):
        return L.master_key_size(self.handle)

    @property
    def identifier(self):
        o = L.out(16)
        _check(L.master_key_identifier(self.handle, L.cast(o)), "identifier")
        return bytes(o)

    @property
    def descriptor(self):
        o = L.out(8)
        _check(L.master_key_descriptor(self.handle, L.cast(o)), "descriptor")
        return bytes(o)


class FsInfo:
    """What the filesystem tells fscrypt about itself (ext4 defaults).

    casefolded is kept for compatibility: the C library takes it per directory
    (DIR_CASEFOLDED); validate() and Inode() pass it on as that flag."""

    def __init__(self, block_size=4096, uuid=bytes(16), stable_inodes=True, ino_bits=32,
                 lblk_bits=32, subblock_data_units=True, casefolded=False):
        self.s = L.FsInfo()
        L.fs_info_ext4(ctypes.byref(self.s), block_size)
        self.s.stable_inodes = stable_inodes
        self.s.ino_bits = ino_bits
        self.s.lblk_bits = lblk_bits
        self.s.subblock_data_units = subblock_data_units
        self.casefolded = casefolded
        ctypes.memmove(self.s.uuid, bytes(uuid), 16)


def _fs(fs):
    return ctypes.byref((fs or FsInfo()).s)


def _dir_flags(fs, casefolded):
    return DIR_CASEFOLDED if (casefolded or (fs is not None and fs.casefolded)) else 0


class Policy:
    """An encryption policy (v1 12-byte or v2 24-byte ioctl struct)."""

    def __init__(self, struct=None):
        self.s = struct if struct is not None else L.PolicyStruct()

    @classmethod
    def parse(cls, data):
        p, b = cls(), L.buf(data)
        _check(L.policy_parse(L.cast(b), len(data), ctypes.byref(p.s)), "policy")
        return p

    @classmethod
    def from_text(cls, text):
        p = cls()
        _check(L.policy_from_text(text.encode(), ctypes.byref(p.s)), "policy text")
        return p

    def serialize(self):
        o, n = L.out(32), ctypes.c_size_t()
        _check(L.policy_serialize(ctypes.byref(self.s), L.cast(o), 32, ctypes.byref(n)), "policy")
        return bytes(o)[: n.value]

    def validate(self, fs=None, casefolded=False):
        """Raises FscryptExtError unless a filesystem with these properties accepts the policy
        (on a casefolded directory when casefolded)."""
        _check(L.policy_validate_dir(ctypes.byref(self.s), _fs(fs), _dir_flags(fs, casefolded)), "policy")

    def is_valid(self, fs=None, casefolded=False):
        return L.policy_validate_dir(ctypes.byref(self.s), _fs(fs), _dir_flags(fs, casefolded)) == 0

    def compare(self, other):
        """fscrypt_ext_policy_compare: a total order, 0 exactly when fscrypt_policies_equal."""
        return L.policy_compare(ctypes.byref(self.s), ctypes.byref(other.s))

    def __eq__(self, other):
        return isinstance(other, Policy) and bool(L.policies_equal(ctypes.byref(self.s), ctypes.byref(other.s)))

    def __lt__(self, other):
        return self.compare(other) < 0

    __hash__ = None

    def __str__(self):
        o = ctypes.create_string_buffer(256)
        _check(L.policy_to_text(ctypes.byref(self.s), o, 256), "policy text")
        return o.value.decode()

    def __getattr__(self, name):
        s = self.__dict__["s"]
        v = getattr(s, name)
        return bytes(v) if isinstance(v, ctypes.Array) else v


class Context:
    """An inode's encryption context (28-byte v1 or 40-byte v2 xattr)."""

    def __init__(self, struct=None):
        self.s = struct if struct is not None else L.ContextStruct()

    @classmethod
    def parse(cls, data):
        c, b = cls(), L.buf(data)
        _check(L.context_parse(L.cast(b), len(data), ctypes.byref(c.s)), "context")
        return c

    @classmethod
    def new(cls, policy, fs=None):
        c = cls()
        _check(L.context_new(ctypes.byref(policy.s), _fs(fs), ctypes.byref(c.s)), "new context")
        return c

    def serialize(self):
        o, n = L.out(40), ctypes.c_size_t()
        _check(L.context_serialize(ctypes.byref(self.s), L.cast(o), 40, ctypes.byref(n)), "context")
        return bytes(o)[: n.value]

    def policy(self):
        p = Policy()
        _check(L.context_to_policy(ctypes.byref(self.s), ctypes.byref(p.s)), "context")
        return p

    def validate(self, fs=None, casefolded=False):
        _check(L.context_validate_dir(ctypes.byref(self.s), _fs(fs), _dir_flags(fs, casefolded)), "context")

    def inherit(self, fs=None):
        """The context of a new inode in this directory: same policy, fresh nonce."""
        c = Context()
        _check(L.context_inherit(ctypes.byref(self.s), _fs(fs), ctypes.byref(c.s)), "inherit context")
        return c

    def __getattr__(self, name):
        s = self.__dict__["s"]
        v = getattr(s, name)
        return bytes(v) if isinstance(v, ctypes.Array) else v


class Inode(_Handle):
    """An inode's prepared key: contents for regular files, names for directories and symlinks."""

    def __init__(self, context, master_key, inode_type, ino, fs=None, check_v1_descriptor=True, casefolded=False):
        """check_v1_descriptor=False opens v1 contexts whose descriptor is not the conventional
        SHA-512 one (the kernel itself never checks descriptors). casefolded: a casefolded directory."""
        if isinstance(context, (bytes, bytearray)):
            context = Context.parse(context)
        self._mk = master_key  # keep the key alive as long as the inode
        self._h = ctypes.c_void_p()
        flags = 0 if check_v1_descriptor else OPEN_V1_UNCHECKED
        if inode_type == 2 and _dir_flags(fs, casefolded):
            flags |= OPEN_CASEFOLDED
        _check(L.inode_open_ex(ctypes.byref(context.s), master_key.handle, inode_type, ino, _fs(fs), flags,
                               ctypes.byref(self._h)), "inode")

    _free = staticmethod(lambda h: L.inode_free(h))

    @property
    def data_unit_size(self):
        return L.inode_data_unit_size(self._h)

    def _units(self, fn, offset, data, what):
        b = L.buf(data)
        _check(fn(self._h, offset, L.cast(b), L.cast(b), len(data)), what)
        return bytes(b)[: len(data)]

    def encrypt_data(self, offset, data):
        return self._units(L.encrypt_data_units, offset, data, "encrypt data units")

    def decrypt_data(self, offset, data):
        return self._units(L.decrypt_data_units, offset, data, "decrypt data units")

    def encrypt_name(self, name):
        name = name.encode() if isinstance(name, str) else bytes(name)
        b, o, n = L.buf(name), L.out(256), ctypes.c_size_t()
        _check(L.fname_encrypt(self._h, L.cast(b), len(name), L.cast(o), 256, ctypes.byref(n)), "encrypt name")
        return bytes(o)[: n.value]

    def decrypt_name(self, ct):
        b, o, n = L.buf(ct), L.out(max(len(ct), 1)), ctypes.c_size_t()
        _check(L.fname_decrypt(self._h, L.cast(b), len(ct), L.cast(o), len(ct), ctypes.byref(n)), "decrypt name")
        return bytes(o)[: n.value]

    def encrypt_symlink(self, target, max_disk_len=4096):
        target = target.encode() if isinstance(target, str) else bytes(target)
        b, o, n = L.buf(target), L.out(max_disk_len), ctypes.c_size_t()
        _check(L.symlink_encrypt(self._h, L.cast(b), len(target), max_disk_len, L.cast(o), max_disk_len,
                                 ctypes.byref(n)), "encrypt symlink")
        return bytes(o)[: n.value]

    def decrypt_symlink(self, disk):
        b, o, n = L.buf(disk), L.out(max(len(disk), 1)), ctypes.c_size_t()
        _check(L.symlink_decrypt(self._h, L.cast(b), len(disk), L.cast(o), len(disk), ctypes.byref(n)),
               "decrypt symlink")
        return bytes(o)[: n.value]

    def dirhash(self, name):
        name = name.encode() if isinstance(name, str) else bytes(name)
        b, h = L.buf(name), ctypes.c_uint64()
        _check(L.dirhash(self._h, L.cast(b), len(name), ctypes.byref(h)), "dirhash")
        return h.value

    def ext4_dirhash(self, name):
        """(hash, minor_hash) exactly as ext4 stores them in a casefolded encrypted directory."""
        name = name.encode() if isinstance(name, str) else bytes(name)
        b, h, m = L.buf(name), ctypes.c_uint32(), ctypes.c_uint32()
        _check(L.ext4_dirhash(self._h, L.cast(b), len(name), ctypes.byref(h), ctypes.byref(m)), "ext4 dirhash")
        return h.value, m.value

    def decrypt_name_strict(self, ct):
        """Decrypts a stored name; CORRUPT unless it is exactly what the kernel would have written."""
        b, o, n = L.buf(ct), L.out(max(len(ct), 1)), ctypes.c_size_t()
        _check(L.fname_decrypt_strict(self._h, L.cast(b), len(ct), L.cast(o), len(ct), ctypes.byref(n)),
               "strict decrypt name")
        return bytes(o)[: n.value]

    def decrypt_symlink_strict(self, disk, max_disk_len=4096):
        b, o, n = L.buf(disk), L.out(max(len(disk), 1)), ctypes.c_size_t()
        _check(L.symlink_decrypt_strict(self._h, L.cast(b), len(disk), max_disk_len, L.cast(o), len(disk),
                                        ctypes.byref(n)), "strict decrypt symlink")
        return bytes(o)[: n.value]


def name_check(name):
    """Raises FscryptExtError (CORRUPT, NAME_TOO_LONG) for a name the VFS would never store."""
    name = name.encode() if isinstance(name, str) else bytes(name)
    b = L.buf(name)
    _check(L.name_check(L.cast(b), len(name)), "name")


def fname_disk_to_usr(ct, directory=None, hash=0, minor_hash=0):
    """What a user sees for a stored name: decrypted with an open directory Inode, else its no-key name."""
    b, o, n = L.buf(ct), L.out(256), ctypes.c_size_t()
    _check(L.fname_disk_to_usr(directory._h if directory is not None else None, L.cast(b), len(ct), hash,
                               minor_hash, L.cast(o), 256, ctypes.byref(n)), "disk to user name")
    return bytes(o)[: n.value]


def symlink_disk_to_usr(disk, link=None):
    """What readlink shows: decrypted with an open symlink Inode, else the no-key form (hashes 0/0)."""
    cap = max(len(disk), 256)
    b, o, n = L.buf(disk), L.out(cap), ctypes.c_size_t()
    _check(L.symlink_disk_to_usr(link._h if link is not None else None, L.cast(b), len(disk), L.cast(o), cap,
                                 ctypes.byref(n)), "disk to user symlink")
    return bytes(o)[: n.value]


def ext4_dirhash_from_siphash(siphash):
    """ext4's adjustment of a 64-bit SipHash value: (hash with bit 0 clear and EOF remapped, minor_hash)."""
    h, m = ctypes.c_uint32(), ctypes.c_uint32()
    L.ext4_dirhash_from_siphash(siphash, ctypes.byref(h), ctypes.byref(m))
    return h.value, m.value


def context_permitted(parent, child, kind=KIND_REG):
    """fscrypt_has_permitted_context: None means unencrypted."""
    return bool(L.context_permitted(ctypes.byref(parent.s) if parent is not None else None,
                                    ctypes.byref(child.s) if child is not None else None, kind))


def dirhash_from_context(context, master_key, name):
    """The casefold dirhash from a v2 directory context and its key, without preparing the directory."""
    if isinstance(context, (bytes, bytearray)):
        context = Context.parse(context)
    name = name.encode() if isinstance(name, str) else bytes(name)
    b, h = L.buf(name), ctypes.c_uint64()
    _check(L.dirhash_from_context(ctypes.byref(context.s), master_key.handle, L.cast(b), len(name), ctypes.byref(h)),
           "dirhash")
    return h.value


class NokeyName:
    """A decoded no-key name."""

    def __init__(self, s):
        self.hash, self.minor_hash = s.hash, s.minor_hash
        self.bytes = bytes(s.bytes)[: s.bytes_len]
        self.sha256 = bytes(s.sha256) if s.has_sha256 else None
        self._s = s

    def matches(self, ct):
        b = L.buf(ct)
        return bool(L.nokey_matches(ctypes.byref(self._s), L.cast(b), len(ct)))


def nokey_encode(ct, hash=0, minor_hash=0):
    b, o, n = L.buf(ct), ctypes.create_string_buffer(260), ctypes.c_size_t()
    _check(L.nokey_encode(L.cast(b), len(ct), hash, minor_hash, o, 260, ctypes.byref(n)), "no-key name")
    return o.value.decode()


def nokey_decode(name):
    s, e = L.NokeyStruct(), name.encode()
    _check(L.nokey_decode(e, len(e), ctypes.byref(s)), "no-key name")
    return NokeyName(s)


def hkdf_sha512(ikm, salt, info, length):
    o = L.out(length)
    bi, bs, bn = L.buf(ikm), L.buf(salt), L.buf(info)
    _check(L.hkdf_sha512(L.cast(bi), len(ikm), L.cast(bs), len(salt), L.cast(bn), len(info), L.cast(o), length),
           "hkdf")
    return bytes(o)[:length]


def siphash24(key, msg):
    bk, bm, h = L.buf(key), L.buf(msg), ctypes.c_uint64()
    _check(L.siphash24(L.cast(bk), L.cast(bm), len(msg), ctypes.byref(h)), "siphash")
    return h.value


def _crypt(fn, what, key, iv, data):
    if fn is None:
        raise FscryptExtError(ERRORS["NOT_SUPPORTED"], what)
    bk, bi, b = L.buf(key), L.buf(iv), L.buf(data)
    _check(fn(L.cast(bk), len(key), L.cast(bi), L.cast(b), L.cast(b), len(data)), what)
    return bytes(b)[: len(data)]


def _wide(fn, what, key, tweak, data):
    if fn is None:
        raise FscryptExtError(ERRORS["NOT_SUPPORTED"], what)
    bk, bt, b = L.buf(key), L.buf(tweak), L.buf(data)
    _check(fn(L.cast(bk), L.cast(bt), len(tweak), L.cast(b), L.cast(b), len(data)), what)
    return bytes(b)[: len(data)]


def adiantum(key, tweak, data, decrypt=False):
    """Adiantum (XChaCha12, AES-256) wide-block encryption of data (>= 16 bytes) under a tweak."""
    return _wide(L.adiantum_decrypt if decrypt else L.adiantum_encrypt, "adiantum", key, tweak, data)


def hctr2(key, tweak, data, decrypt=False):
    """HCTR2 (AES) wide-block encryption of data (>= 16 bytes) under a tweak."""
    fn = L.hctr2_decrypt if decrypt else L.hctr2_encrypt
    if fn is None:
        raise FscryptExtError(ERRORS["NOT_SUPPORTED"], "hctr2")
    bk, bt, b = L.buf(key), L.buf(tweak), L.buf(data)
    _check(fn(L.cast(bk), len(key), L.cast(bt), len(tweak), L.cast(b), L.cast(b), len(data)), "hctr2")
    return bytes(b)[: len(data)]


def aes_cbc_essiv(key, iv, data, decrypt=False):
    """AES-128-CBC-ESSIV(SHA-256) of whole blocks."""
    fn = L.aes_cbc_essiv_decrypt if decrypt else L.aes_cbc_essiv_encrypt
    if fn is None:
        raise FscryptExtError(ERRORS["NOT_SUPPORTED"], "essiv")
    bk, bi, b = L.buf(key), L.buf(iv), L.buf(data)
    _check(fn(L.cast(bk), L.cast(bi), L.cast(b), L.cast(b), len(data)), "aes-cbc-essiv")
    return bytes(b)[: len(data)]


def sm4_xts(key, tweak, data, decrypt=False):
    return _crypt(L.sm4_xts_decrypt if decrypt else L.sm4_xts_encrypt, "sm4-xts", key, tweak, data)


def sm4_cbc_cts(key, iv, data, decrypt=False):
    return _crypt(L.sm4_cbc_cts_decrypt if decrypt else L.sm4_cbc_cts_encrypt, "sm4-cbc-cts", key, iv, data)


def aes_ecb(key, data, decrypt=False):
    fn = L.aes_ecb_decrypt if decrypt else L.aes_ecb_encrypt
    bk, b = L.buf(key), L.buf(data)
    _check(fn(L.cast(bk), len(key), L.cast(b), L.cast(b), len(data)), "aes-ecb")
    return bytes(b)[: len(data)]


def aes_xts(key, tweak, data, decrypt=False):
    return _crypt(L.aes_xts_decrypt if decrypt else L.aes_xts_encrypt, "aes-xts", key, tweak, data)


def aes_cbc_cts(key, iv, data, decrypt=False):
    return _crypt(L.aes_cbc_cts_decrypt if decrypt else L.aes_cbc_cts_encrypt, "aes-cbc-cts", key, iv, data)
