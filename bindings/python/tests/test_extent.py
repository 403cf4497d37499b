"""Per-extent keys and the keyring through the binding: reflinks, re-keyed snapshots, removal."""
import os

import pytest

import fscrypt_ext as fx
from fscrypt_ext.extent import ALLOW_REKEYED, ExtentContext, ExtentInfo, Keyring, extent_policy_check


def v2_context(identifier, flags=0x02):
    return fx.Context.new(fx.Policy.parse(bytes([2, 1, 4, flags, 0, 0, 0, 0]) + identifier))


def test_extent_round_trip_and_sharing():
    with fx.MasterKey(os.urandom(64)) as mk:
        ctx = v2_context(mk.identifier)
        ectx, ei = ExtentInfo.new(ctx, mk)
        data = os.urandom(3 * 4096)
        ct = ei.encrypt(0, data)
        raw = ectx.serialize()
        assert len(raw) == 34 and raw[0] == 1 and raw[1] == 1 and raw[2:18] == mk.identifier
        # A second file (reflink) with its own inode context reads the same extent.
        other = v2_context(mk.identifier)
        with ExtentInfo.load(other, raw, mk) as shared:
            assert shared.decrypt(0, ct) == data
            assert shared.decrypt(4096, ct[4096:8192]) == data[4096:8192]
        ei.close()


def test_policies_that_cannot_carry_extents():
    ident = bytes(16)
    for flags in (0x04 | 0, 0x08, 0x10):
        p = fx.Policy.parse(bytes([2, 9 if flags == 4 else 1, 9 if flags == 4 else 4, flags, 0, 0, 0, 0]) + ident)
        with pytest.raises(fx.FscryptExtError) as e:
            extent_policy_check(fx.Context.new(p))
        assert e.value.code == fx.ERRORS["EXTENT_POLICY"]


def test_bad_extent_contexts():
    with pytest.raises(fx.FscryptExtError) as e:
        ExtentContext.parse(bytes(33))
    assert e.value.code == fx.ERRORS["TRUNCATED"]
    with pytest.raises(fx.FscryptExtError) as e:
        ExtentContext.parse(bytes([2]) + bytes(33))
    assert e.value.code == fx.ERRORS["BAD_VERSION"]


def test_keyring_removal_and_rekeyed_extents():
    with Keyring() as kr:
        old_id = kr.add(os.urandom(64))
        new_id = kr.add(os.urandom(64))
        old_ctx = v2_context(old_id)
        with kr.open_file(old_ctx) as f:
            ectx, ei = f.new_extent()
            ct = ei.encrypt(0, b"A" * 4096)
            ei.close()
            # Removing the key while the file is open: incompletely removed, still usable.
            assert kr.remove(old_id) is True
            assert kr.status(old_id)[0] == "incompletely-removed"
            with f.load_extent(ectx) as again:
                assert again.decrypt(0, ct) == b"A" * 4096
            with pytest.raises(fx.FscryptExtError) as e:
                kr.open_file(old_ctx)
            assert e.value.code == fx.ERRORS["KEY_REMOVED"]
        assert kr.status(old_id) == ("absent", 0)
        # A snapshot re-keyed to the new key cannot read old extents once the old key is gone...
        new_ctx = v2_context(new_id)
        with kr.open_file(new_ctx) as g:
            with pytest.raises(fx.FscryptExtError) as e:
                g.load_extent(ectx, ALLOW_REKEYED)
            assert e.value.code == fx.ERRORS["KEY_NOT_FOUND"]
            # ...and without the opt-in flag the mismatch is refused outright.
            with pytest.raises(fx.FscryptExtError) as e:
                g.load_extent(ectx)
            assert e.value.code == fx.ERRORS["EXTENT_MISMATCH"]
