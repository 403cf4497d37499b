#!/usr/bin/env python3
# Builds tests/vectors/primitives/siphash-2-4.json from the published SipHash-2-4 table
# (veorq/SipHash vectors.h, vectors_sip64: key 00..0f, message 00 01 .. i-1 for i = 0..63)
# and cross-checks every entry with an independent Python SipHash-2-4.
# Usage: convert-siphash-2-4.py SIPHASH/vectors.h OUT.json
import json, re, sys

text = open(sys.argv[1]).read()
m = re.search(r"vectors_sip64\[64\]\[8\]\s*=\s*\{(.*?)\};", text, re.S)
rows = re.findall(r"\{([^{}]*)\}", m.group(1))
assert len(rows) == 64
table = [bytes(int(x, 16) for x in re.findall(r"0x([0-9a-fA-F]{2})", r)) for r in rows]
assert all(len(t) == 8 for t in table)

M = (1 << 64) - 1
def rotl(x, b):
    return ((x << b) | (x >> (64 - b))) & M

def siphash24(key, msg):
    k0 = int.from_bytes(key[:8], "little"); k1 = int.from_bytes(key[8:], "little")
    v = [k0 ^ 0x736f6d6570736575, k1 ^ 0x646f72616e646f6d, k0 ^ 0x6c7967656e657261, k1 ^ 0x7465646279746573]
    def rnd():
        v[0] = (v[0] + v[1]) & M; v[1] = rotl(v[1], 13); v[1] ^= v[0]; v[0] = rotl(v[0], 32)
        v[2] = (v[2] + v[3]) & M; v[3] = rotl(v[3], 16); v[3] ^= v[2]
        v[0] = (v[0] + v[3]) & M; v[3] = rotl(v[3], 21); v[3] ^= v[0]
        v[2] = (v[2] + v[1]) & M; v[1] = rotl(v[1], 17); v[1] ^= v[2]; v[2] = rotl(v[2], 32)
    n = len(msg)
    full = n - n % 8
    blocks = [msg[i:i + 8] for i in range(0, full, 8)]
    last = bytearray(msg[full:]) + bytes(7 - n % 8) + bytes([n & 0xff])
    blocks.append(bytes(last))
    for b in blocks:
        mi = int.from_bytes(b, "little")
        v[3] ^= mi; rnd(); rnd(); v[0] ^= mi
    v[2] ^= 0xff
    for _ in range(4):
        rnd()
    return v[0] ^ v[1] ^ v[2] ^ v[3]

key = bytes(range(16))
vecs = []
for i in range(64):
    msg = bytes(range(i))
    want = int.from_bytes(table[i], "little")
    assert siphash24(key, msg) == want, i
    vecs.append({"type": "siphash-2-4", "comment": "vectors_sip64[%d]" % i,
                 "key": key.hex(), "message": msg.hex(), "hash": want})
assert vecs[0]["hash"] == 0x726fdb47dd0e0e31

doc = {
    "description": "SipHash-2-4 reference vectors: key 00..0f, message 00 01 .. (i-1) for i = 0..63; hash is the 8-byte output read as a little-endian u64",
    "source": "veorq/SipHash vectors.h, table vectors_sip64 (the SipHash paper's reference implementation; commit f26d35e964c6290ffe23d9043475ad3129f409e0); "
              "each entry cross-checked with an independent Python SipHash-2-4 when converted",
    "vectors": vecs,
}
with open(sys.argv[2], "w") as fh:
    json.dump(doc, fh, indent=1)
    fh.write("\n")
print(len(vecs), "vectors ok")
