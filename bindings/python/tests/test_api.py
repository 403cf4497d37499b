"""API behaviour of the binding: errors carry the library's codes, objects round-trip."""
import os

import pytest

import fscrypt_ext as fx

KEY64 = bytes(range(64))


def test_version_and_backends():
    assert fx.version().count(".") == 2
    names = [n for n, _ in fx.backends()]
    assert "portable" in names
    assert fx.backend() in names


def test_identifier_matches_spec_value():
    with fx.MasterKey(KEY64) as mk:
        assert mk.identifier.hex() == "8699c2c53707405da5aba5ae4d8583c0"
        assert mk.descriptor.hex() == "04334e23057a6e2d"
        assert mk.size == 64


@pytest.mark.parametrize("n", [0, 15, 65])
def test_bad_key_sizes(n):
    with pytest.raises(fx.FscryptExtError) as e:
        fx.MasterKey(bytes(n))
    assert e.value.code == fx.ERRORS["KEY_SIZE"]


def test_policy_errors_carry_codes():
    with pytest.raises(fx.FscryptExtError) as e:
        fx.Policy.parse(bytes([2]) + bytes(10))
    assert e.value.code == fx.ERRORS["TRUNCATED"]
    with pytest.raises(fx.FscryptExtError) as e:
        fx.Policy.parse(bytes([7]) + bytes(11))
    assert e.value.code == fx.ERRORS["UNKNOWN_VERSION"]
    with pytest.raises(fx.FscryptExtError) as e:
        fx.Policy.parse(bytes([1]) + bytes(11))
    assert e.value.code == fx.ERRORS["BAD_VERSION"]
    p = fx.Policy.parse(bytes([2, 1, 4, 0x03, 0, 1, 0, 0]) + bytes(16))
    with pytest.raises(fx.FscryptExtError) as e:
        p.validate()
    assert e.value.code == fx.ERRORS["RESERVED_BITS"]


def test_policy_text_round_trip():
    with fx.MasterKey(KEY64) as mk:
        raw = bytes([2, 1, 4, 0x0b, 0, 0, 0, 0]) + mk.identifier
    p = fx.Policy.parse(raw)
    p.validate()
    again = fx.Policy.from_text(str(p))
    assert again.serialize() == raw


def test_context_new_and_contents_round_trip():
    with fx.MasterKey(KEY64) as mk:
        p = fx.Policy.parse(bytes([2, 1, 4, 0x02, 0, 0, 0, 0]) + mk.identifier)
        ctx = fx.Context.new(p)
        raw = ctx.serialize()
        assert len(raw) == 40 and raw[:8] == bytes([2, 1, 4, 2, 0, 0, 0, 0])
        data = os.urandom(8192)
        with fx.Inode(raw, mk, fx.INODE_REG, 12) as ino:
            ct = ino.encrypt_data(4096, data)
            assert ct != data
            assert ino.decrypt_data(4096, ct) == data
            with pytest.raises(fx.FscryptExtError) as e:
                ino.encrypt_data(100, data)
            assert e.value.code == fx.ERRORS["ALIGNMENT"]
        with fx.Inode(raw, mk, fx.INODE_DIR, 12) as d:
            ct = d.encrypt_name("hello")
            assert len(ct) == 16 and d.decrypt_name(ct) == b"hello"
            with pytest.raises(fx.FscryptExtError) as e:
                d.decrypt_name(ct[:15])
            assert e.value.code == fx.ERRORS["CORRUPT"]


def test_wrong_key_is_refused():
    with fx.MasterKey(KEY64) as mk, fx.MasterKey(bytes(64)) as other:
        p = fx.Policy.parse(bytes([2, 1, 4, 0, 0, 0, 0, 0]) + mk.identifier)
        raw = fx.Context.new(p).serialize()
        with pytest.raises(fx.FscryptExtError) as e:
            fx.Inode(raw, other, fx.INODE_REG, 12)
        assert e.value.code == fx.ERRORS["WRONG_KEY"]


def test_nokey_name_errors():
    with pytest.raises(fx.FscryptExtError) as e:
        fx.nokey_decode("not base64!")
    assert e.value.code == fx.ERRORS["NO_KEY_NAME"]
