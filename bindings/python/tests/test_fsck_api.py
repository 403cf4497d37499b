"""The fsck-grade API through the binding: strict names, disk-to-user names, policy order, keyring v1."""
import os

import pytest

import fscrypt_ext as fx

KEY64 = bytes(range(64))


def _dir(mk, flags=0, inode_type=2):
    p = fx.Policy.parse(bytes([2, 1, 4, flags, 0, 0, 0, 0]) + mk.identifier)
    return fx.Inode(fx.Context.new(p), mk, inode_type, 12, fx.FsInfo(uuid=os.urandom(16)))


def test_strict_name_decrypt():
    with fx.MasterKey(KEY64) as mk, _dir(mk) as d:
        ct = d.encrypt_name("hello")
        assert d.decrypt_name_strict(ct) == b"hello"
        bad = d.encrypt_name(b"abc\0XYZ")
        assert d.decrypt_name(bad) == b"abc"
        with pytest.raises(fx.FscryptExtError) as e:
            d.decrypt_name_strict(bad)
        assert e.value.code == fx.ERRORS["CORRUPT"]
        with pytest.raises(fx.FscryptExtError) as e:
            d.decrypt_name_strict(d.encrypt_name(b"a/b"))
        assert e.value.code == fx.ERRORS["CORRUPT"]


@pytest.mark.parametrize("name,code", [(b"", "CORRUPT"), (b".", "CORRUPT"), (b"..", "CORRUPT"),
                                       (b"x/y", "CORRUPT"), (b"x\0", "CORRUPT"), (b"y" * 256, "NAME_TOO_LONG")])
def test_name_check(name, code):
    with pytest.raises(fx.FscryptExtError) as e:
        fx.name_check(name)
    assert e.value.code == fx.ERRORS[code]


def test_disk_to_usr_and_symlinks():
    with fx.MasterKey(KEY64) as mk, _dir(mk) as d, _dir(mk, inode_type=3) as link:
        ct = d.encrypt_name("some-name")
        assert fx.fname_disk_to_usr(ct, d) == b"some-name"
        assert fx.fname_disk_to_usr(ct, None, 6, 7).decode() == fx.nokey_encode(ct, 6, 7)
        assert fx.fname_disk_to_usr(b"..") == b".."
        disk = link.encrypt_symlink("/a/b/c")
        assert fx.symlink_disk_to_usr(disk, link) == b"/a/b/c"
        assert fx.symlink_disk_to_usr(disk).decode() == fx.nokey_encode(disk[2:], 0, 0)
        assert link.decrypt_symlink_strict(disk) == b"/a/b/c"


def test_ext4_dirhash():
    assert fx.ext4_dirhash_from_siphash(0xFFFFFFFF00000005) == (0xFFFFFFFC, 5)
    assert fx.ext4_dirhash_from_siphash(0x1234567987654321) == (0x12345678, 0x87654321)
    with fx.MasterKey(KEY64) as mk, _dir(mk) as d:
        h = d.dirhash("name")
        assert d.ext4_dirhash("name") == fx.ext4_dirhash_from_siphash(h)


def test_policy_order_inherit_permitted():
    with fx.MasterKey(KEY64) as mk:
        a = fx.Policy.parse(bytes([2, 1, 4, 0, 0, 0, 0, 0]) + mk.identifier)
        b = fx.Policy.parse(bytes([2, 1, 4, 3, 0, 0, 0, 0]) + mk.identifier)
        assert a == fx.Policy.parse(a.serialize()) and a != b
        assert sorted([b, a]) == [a, b]
        parent = fx.Context.new(a)
        child = parent.inherit()
        assert child.policy() == a and child.nonce != parent.nonce
        assert fx.context_permitted(parent, child, fx.KIND_DIR)
        assert not fx.context_permitted(parent, None, fx.KIND_REG)
        assert fx.context_permitted(parent, None, fx.KIND_SPECIAL)
        assert not fx.context_permitted(parent, fx.Context.new(b), fx.KIND_REG)


def test_zero_uuid_and_future_version():
    with fx.MasterKey(KEY64) as mk:
        p = fx.Policy.parse(bytes([2, 1, 4, 0x08, 0, 0, 0, 0]) + mk.identifier)
        ctx = fx.Context.new(p)
        with pytest.raises(fx.FscryptExtError) as e:
            fx.Inode(ctx, mk, 1, 12, fx.FsInfo())
        assert e.value.code == fx.ERRORS["NO_FS_UUID"]
        fx.Inode(ctx, mk, 1, 12, fx.FsInfo(uuid=b"\1" * 16)).close()
    with pytest.raises(fx.FscryptExtError) as e:
        fx.Context.parse(bytes([3]) + bytes(39))
    assert e.value.code == fx.ERRORS["UNKNOWN_VERSION"]
    with pytest.raises(fx.FscryptExtError) as e:
        fx.Context.parse(bytes([0]) + bytes(39))
    assert e.value.code == fx.ERRORS["BAD_VERSION"]


def test_casefold_is_per_directory():
    with fx.MasterKey(KEY64) as mk:
        v1 = fx.Policy.parse(bytes([0, 1, 4, 0]) + mk.descriptor)
        v1.validate()
        with pytest.raises(fx.FscryptExtError) as e:
            v1.validate(casefolded=True)
        assert e.value.code == fx.ERRORS["CASEFOLD_V1"]


def test_keyring_v1():
    from fscrypt_ext.extent import Keyring
    raw, desc = os.urandom(64), bytes(range(1, 9))
    ctx = fx.Context.parse(bytes([1, 1, 4, 0]) + desc + os.urandom(16))
    with Keyring() as kr, fx.MasterKey(raw) as mk:
        with pytest.raises(fx.FscryptExtError) as e:
            kr.lookup(ctx)
        assert e.value.code == fx.ERRORS["KEY_NOT_FOUND"]
        kr.add_v1(raw, desc)
        assert kr.lookup(ctx)[0] == "present"
        with kr.open_inode(ctx, 2, 9) as d, fx.Inode(ctx, mk, 2, 9, check_v1_descriptor=False) as ref:
            assert d.encrypt_name("x") == ref.encrypt_name("x")
        kr.remove_v1(desc)
        with pytest.raises(fx.FscryptExtError):
            kr.lookup(ctx)
