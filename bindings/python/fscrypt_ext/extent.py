"""Per-extent keys (the btrfs design, posted series v6, not upstream) and the keyring."""
import ctypes

from . import _lib as L
from . import Context, FscryptExtError, _check, _fs, _Handle

ALLOW_REKEYED = 0x1
KEY_STATUS = {1: "absent", 2: "present", 3: "incompletely-removed"}


def _ctx(c):
    return Context.parse(c) if isinstance(c, (bytes, bytearray)) else c


class ExtentContext:
    """A 34-byte extent context: version, contents mode, key identifier, nonce."""

    def __init__(self, struct=None):
        self.s = struct if struct is not None else L.ExtentContextStruct()

    @classmethod
    def parse(cls, data):
        e, b = cls(), L.buf(data)
        _check(L.extent_context_parse(L.cast(b), len(data), ctypes.byref(e.s)), "extent context")
        return e

    @classmethod
    def new(cls, inode_context):
        e = cls()
        _check(L.extent_context_new(ctypes.byref(_ctx(inode_context).s), ctypes.byref(e.s)), "new extent context")
        return e

    def serialize(self):
        o, n = L.out(34), ctypes.c_size_t()
        _check(L.extent_context_serialize(ctypes.byref(self.s), L.cast(o), 34, ctypes.byref(n)), "extent context")
        return bytes(o)[: n.value]

    def validate(self, inode_context, flags=0):
        _check(L.extent_context_validate(ctypes.byref(self.s), ctypes.byref(_ctx(inode_context).s), flags),
               "extent context")

    @property
    def nonce(self):
        return bytes(self.s.nonce)

    @property
    def key_identifier(self):
        return bytes(self.s.key_identifier)


def extent_policy_check(inode_context):
    """Raises FscryptExtError (EXTENT_POLICY...) unless the inode's policy can carry extents."""
    _check(L.extent_policy_check(ctypes.byref(_ctx(inode_context).s)), "extent policy")


class ExtentInfo(_Handle):
    """A prepared per-extent key (reference counted in C; this object holds one reference)."""

    def __init__(self, handle, keep=None):
        self._h = handle
        self._keep = keep

    @classmethod
    def load(cls, inode_context, extent_context, master_key, fs=None, flags=0):
        h = ctypes.c_void_p()
        ec = extent_context if isinstance(extent_context, ExtentContext) else ExtentContext.parse(extent_context)
        _check(L.extent_info_load(ctypes.byref(_ctx(inode_context).s), _fs(fs), ctypes.byref(ec.s),
                                  master_key.handle, flags, ctypes.byref(h)), "extent info")
        return cls(h)

    @classmethod
    def new(cls, inode_context, master_key, fs=None):
        """A new extent: returns (ExtentContext to store, ExtentInfo)."""
        h, ec = ctypes.c_void_p(), ExtentContext()
        _check(L.extent_info_new(ctypes.byref(_ctx(inode_context).s), _fs(fs), master_key.handle,
                                 ctypes.byref(ec.s), ctypes.byref(h)), "new extent")
        return ec, cls(h)

    _free = staticmethod(lambda h: L.extent_info_put(h))

    @property
    def data_unit_size(self):
        return L.extent_info_data_unit_size(self._h)

    def context(self):
        e = ExtentContext()
        _check(L.extent_info_context(self._h, ctypes.byref(e.s)), "extent context")
        return e

    def _run(self, fn, offset, data, what):
        b = L.buf(data)
        _check(fn(self._h, offset, L.cast(b), L.cast(b), len(data)), what)
        return bytes(b)[: len(data)]

    def encrypt(self, extent_offset, data):
        return self._run(L.extent_encrypt, extent_offset, data, "extent encrypt")

    def decrypt(self, extent_offset, data):
        return self._run(L.extent_decrypt, extent_offset, data, "extent decrypt")


class Keyring(_Handle):
    """Master keys by identifier, with the removal semantics of the kernel (incomplete removal)."""

    def __init__(self):
        self._h = ctypes.c_void_p()
        _check(L.keyring_new(ctypes.byref(self._h)), "keyring")

    _free = staticmethod(lambda h: L.keyring_free(h))

    def add(self, raw):
        b, o = L.buf(raw), L.out(16)
        try:
            _check(L.keyring_add(self._h, L.cast(b), len(raw), L.cast(o)), "keyring add")
        finally:
            ctypes.memset(b, 0, ctypes.sizeof(b))
        return bytes(o)

    def remove(self, identifier):
        """Removes a key; returns True when open users kept it (incompletely removed)."""
        b, flags = L.buf(identifier), ctypes.c_uint32()
        _check(L.keyring_remove(self._h, L.cast(b), ctypes.byref(flags)), "keyring remove")
        return bool(flags.value & 1)

    def status(self, identifier):
        """(status name, user count)"""
        b, s = L.buf(identifier), L.KeyStatusStruct()
        _check(L.keyring_status(self._h, L.cast(b), ctypes.byref(s)), "keyring status")
        return KEY_STATUS.get(s.status, str(s.status)), s.user_count

    def add_v1(self, raw, descriptor):
        """Adds a v1 key under the (caller-chosen) 8-byte descriptor."""
        b, d = L.buf(raw), L.buf(descriptor)
        try:
            _check(L.keyring_add_v1(self._h, L.cast(b), len(raw), L.cast(d)), "keyring add v1")
        finally:
            ctypes.memset(b, 0, ctypes.sizeof(b))

    def remove_v1(self, descriptor):
        b, flags = L.buf(descriptor), ctypes.c_uint32()
        _check(L.keyring_remove_v1(self._h, L.cast(b), ctypes.byref(flags)), "keyring remove v1")
        return bool(flags.value & 1)

    def lookup(self, context):
        """(status name, user count) of the key a context names (v1 descriptor or v2 identifier);
        raises KEY_NOT_FOUND when absent."""
        s = L.KeyStatusStruct()
        _check(L.keyring_lookup(self._h, ctypes.byref(_ctx(context).s), ctypes.byref(s)), "keyring lookup")
        return KEY_STATUS.get(s.status, str(s.status)), s.user_count

    def open_inode(self, context, inode_type, ino, fs=None, casefolded=False):
        """An ordinary Inode (directory, symlink, file) with its key from the keyring."""
        from . import Inode, _dir_flags
        inode = Inode.__new__(Inode)
        inode._mk = self
        inode._h = ctypes.c_void_p()
        flags = 1 if (inode_type == 2 and _dir_flags(fs, casefolded)) else 0
        _check(L.keyring_inode_open_ex(self._h, ctypes.byref(_ctx(context).s), inode_type, ino, _fs(fs), flags,
                                       ctypes.byref(inode._h)), "keyring inode open")
        return inode

    def open_file(self, inode_context, fs=None):
        """Opens a regular file of an extent-based filesystem (holds an active key reference)."""
        return ExtentFile(self, _ctx(inode_context), fs)


class ExtentFile(_Handle):
    """An open regular file: new extents under its policy, loads of existing extents."""

    def __init__(self, keyring, ctx, fs):
        self._kr = keyring
        self._h = ctypes.c_void_p()
        _check(L.extent_inode_open(keyring._h, ctypes.byref(ctx.s), _fs(fs), ctypes.byref(self._h)), "open file")

    _free = staticmethod(lambda h: L.extent_inode_close(h))

    def new_extent(self):
        h, ec = ctypes.c_void_p(), ExtentContext()
        _check(L.extent_inode_new_extent(self._h, ctypes.byref(ec.s), ctypes.byref(h)), "new extent")
        return ec, ExtentInfo(h, keep=self)

    def load_extent(self, extent_context, flags=0):
        h = ctypes.c_void_p()
        ec = extent_context if isinstance(extent_context, ExtentContext) else ExtentContext.parse(extent_context)
        _check(L.extent_inode_load_extent(self._h, ctypes.byref(ec.s), flags, ctypes.byref(h)), "load extent")
        return ExtentInfo(h, keep=self)


__all__ = ["ExtentContext", "ExtentInfo", "Keyring", "ExtentFile", "extent_policy_check", "ALLOW_REKEYED",
           "FscryptExtError"]
