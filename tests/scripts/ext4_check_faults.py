"""Planted-fault suite for `fscrypt-ext-ext4 check` (run by test-ext4-check.sh).

Each case copies the kernel-written image, plants exactly one fault with the
plant-fault helper (libext2fs: checksums recomputed) and asserts the exit
status and the exact set of (inode, kind) problems, with the keys and, where
no key is needed, without them. Faults only the key can reveal must leave the
keyless check clean (exit 0): neither it nor e2fsck can see them.
"""
import json
import os
import subprocess
import sys

BUILD, SRC, WORK = sys.argv[1:4]
TOOL = os.path.join(BUILD, "tools/ext4/fscrypt-ext-ext4")
CLI = os.path.join(BUILD, "tools/fscrypt-ext")
PLANT = os.path.join(BUILD, "tests/check/plant-fault")
SEED = os.path.join(WORK, "seed.img")
KEYS = os.path.join(SRC, "tests/data/ext4-linux-6.18-seed1.keys.json")
KEYINFO = json.load(open(KEYS))
FAILS = []


def run(*args, check=True):
    r = subprocess.run(list(args), capture_output=True)
    if check and r.returncode:
        raise SystemExit(f"FAIL: {' '.join(args)}: exit {r.returncode}: {r.stderr.decode(errors='replace')}")
    return r


def plant(img, *args):
    return run(PLANT, img, *[str(a) for a in args]).stdout.decode().strip()


def listing(img, ino):
    """[(ino, mode, stored name length)] of a directory's entries (debugfs shows "<encrypted (N)>")."""
    out = run("debugfs", "-R", f"ls -l <{ino}>", img).stdout.decode()
    res = []
    for line in out.splitlines():
        f = line.split()
        if len(f) > 2 and f[0].isdigit() and f[-1] not in (".", ".."):
            n = int(line.rsplit("(", 1)[1].split(")")[0]) if "<encrypted (" in line else len(f[-1])
            res.append((int(f[0]), int(f[1], 8), n))
    return res


def root_dir(img, name):
    out = run("debugfs", "-R", f"stat /{name}", img).stdout.decode()
    return int(out.split("Inode: ")[1].split()[0])


def check(img, keys):
    args = [TOOL, img] + (["--keys", KEYS] if keys else []) + ["check", "--json"]
    r = run(*args, check=False)
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        doc = None
    return r.returncode, doc, r


def expect(case, img, want, needs_key, keep=False):
    """want: set of (ino, kind). needs_key: without keys the check must be clean."""
    for keys in (True, False):
        rc, doc, r = check(img, keys)
        got = {(p["ino"], p["kind"]) for p in doc["problems"]} if doc else None
        w = want if (keys or not needs_key) else set()
        wrc = 1 if w else 0
        if rc != wrc or got != w:
            FAILS.append(f"{case} (keys={keys}): exit {rc} (want {wrc}), problems {sorted(got or [])} "
                         f"(want {sorted(w)}); stderr: {r.stderr.decode(errors='replace')[:300]}")
        else:
            print(f"ok   {case:28s} keys={'yes' if keys else 'no ':3s} exit {rc} {sorted(w)}")
    if not keep:
        os.unlink(img)


def fresh(case):
    img = os.path.join(WORK, case + ".img")
    run("cp", "--sparse=always", SEED, img)
    return img


def key_for(directory):
    for k in KEYINFO["keys"]:
        if k["directory"] == directory:
            return bytes.fromhex(k["master_key"])
    raise SystemExit(f"no key for {directory}")


def encrypt_name(ctx_hex, key_file, name, symlink=False):
    """The stored form the library writes (the CLI, so that sanitizer builds need no Python binding)."""
    args = [CLI, "encrypt-name", "--key-file", key_file, "--key-hex", "--context", ctx_hex, "--hex"]
    return bytes.fromhex(run(*(args + (["--symlink"] if symlink else []) + [name.hex()])).stdout.decode().split()[0])


def main():
    d = root_dir(SEED, "v2_xts_cts_pad32")
    other = root_dir(SEED, "v2_xts_cts_pad4")
    v1 = root_dir(SEED, "v1_xts_cts_pad32")
    ents = listing(SEED, d)
    files = [i for i, m, _ in ents if m >> 12 == 0o10]
    links = [i for i, m, _ in ents if m >> 12 == 0o12]
    subdir = [i for i, m, _ in ents if m >> 12 == 0o4][0]
    long_entry = max((n, i) for i, m, n in ents if m >> 12 == 0o10)[1]  # room for a 64-byte name
    a, b = files[1], files[-1]
    v1file = [i for i, m, _ in listing(SEED, v1) if m >> 12 == 0o10][0]
    ctx = bytes.fromhex(plant(SEED, "ctx-get", a))
    assert len(ctx) == 40 and ctx[0] == 2, ctx.hex()

    # Untouched image: clean with and without keys.
    expect("untouched", fresh("untouched"), set(), False)

    def ctx_case(case, new, kind, ino=a):
        img = fresh(case)
        plant(img, "ctx-set", ino, new.hex())
        expect(case, img, {(ino, kind)}, False)

    ctx_case("context-version-0", bytes([0]) + ctx[1:], "context-corrupt")
    ctx_case("context-truncated", ctx[:39], "context-corrupt")
    ctx_case("context-oversized", ctx + b"\0", "context-corrupt")
    ctx_case("context-reserved", ctx[:5] + b"\1" + ctx[6:], "context-corrupt")
    ctx_case("context-bad-mode", ctx[:1] + b"\3" + ctx[2:], "context-corrupt")
    ctx_case("context-bad-mode-pair", ctx[:2] + b"\x09" + ctx[3:], "context-corrupt")  # XTS + Adiantum
    ctx_case("context-bad-flags", ctx[:3] + bytes([ctx[3] | 0x80]) + ctx[4:], "context-corrupt")
    ctx_case("context-data-unit-256", ctx[:4] + b"\x08" + ctx[5:], "context-corrupt")
    ctx_case("context-future-version", bytes([3]) + ctx[1:], "context-unrecognized")
    other_id = bytes.fromhex(plant(SEED, "ctx-get", other))[8:24]
    ctx_case("policy-other-key", ctx[:8] + other_id + ctx[24:], "policy-mismatch")
    ctx_case("policy-other-padding", ctx[:3] + b"\0" + ctx[4:], "policy-mismatch")

    img = fresh("context-missing")
    plant(img, "ctx-rm", a)
    expect("context-missing", img, {(a, "context-missing")}, False)
    img = fresh("context-missing-v1")
    plant(img, "ctx-rm", v1file)
    expect("context-missing-v1", img, {(v1file, "context-missing")}, False)
    img = fresh("context-missing-dir")
    plant(img, "ctx-rm", subdir)
    expect("context-missing-dir", img, {(subdir, "context-missing")}, False)

    img = fresh("policy-unencrypted-child")
    plant(img, "ctx-rm", a)
    plant(img, "flags", a, "0", "800")  # EXT4_ENCRYPT_FL
    expect("policy-unencrypted-child", img, {(a, "policy-mismatch")}, False)

    img = fresh("nonce-reused")
    lo, hi = min(a, b), max(a, b)
    plant(img, "ctx-set", hi, plant(SEED, "ctx-get", lo))
    expect("nonce-reused", img, {(hi, "nonce-reused")}, False)

    img = fresh("name-short")
    plant(img, "name-set", d, a, os.urandom(8).hex())
    expect("name-short", img, {(a, "name-corrupt")}, False)

    # Names only the key can judge: encrypted with the directory's own key.
    key_file = os.path.join(WORK, "dir.key")
    with open(os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
        f.write(key_for("/v2_xts_cts_pad32").hex())
    dctx = plant(SEED, "ctx-get", d)
    for case, name, ino in [("name-nul-inside", b"abc\0XYZ", a), ("name-slash", b"a/b", a),
                            ("name-dotdot", b"..", a), ("name-empty", b"\0", a),
                            ("name-overpadded", b"abc" + bytes(61), long_entry),
                            ("name-control-bytes", b"x\x1b[2J\n\0y", a)]:
        img = fresh(case)
        ct = encrypt_name(dctx, key_file, name)
        plant(img, "name-set", d, ino, ct.hex())
        expect(case, img, {(ino, "name-corrupt")}, True, keep=case == "name-control-bytes")
    # Text output escapes the control bytes of the decrypted path.
    r = run(TOOL, os.path.join(WORK, "name-control-bytes.img"), "--keys", KEYS, "check", check=False)
    lines = r.stdout.split(b"\n")
    bad = [l for l in lines if b"\x1b" in l or b"\r" in l]
    want_line = b"inode %d: /v2_xts_cts_pad32/x\\033[2J\\n: name-corrupt: " % a
    if r.returncode != 1 or bad or not any(l.startswith(want_line) for l in lines):
        FAILS.append(f"text output: exit {r.returncode}, lines {lines[:3]!r}")
    else:
        print("ok   text output names inode, path and kind on one escaped line")

    # Symlinks: framing (no key needed), then a target only the key can judge.
    fast = [i for i in links if plant(SEED, "symlink-get", i).startswith("fast")][0]
    slow = [i for i in links if plant(SEED, "symlink-get", i).startswith("slow")][0]
    for case, ino, mangle in [("symlink-length-past-data", fast, lambda s: (len(s) - 1).to_bytes(2, "little") + s[2:]),
                              ("symlink-length-under-16", fast, lambda s: (8).to_bytes(2, "little") + s[2:]),
                              ("symlink-slow-past-data", slow, lambda s: (len(s)).to_bytes(2, "little") + s[2:])]:
        img = fresh(case)
        stored = bytes.fromhex(plant(SEED, "symlink-get", ino).split()[1])
        plant(img, "symlink-set", ino, mangle(stored).hex(), len(stored))
        expect(case, img, {(ino, "symlink-corrupt")}, False)
    disk = encrypt_name(plant(SEED, "ctx-get", fast), key_file, b"/tmp\0/etc", symlink=True)
    img = fresh("symlink-nul-inside")
    plant(img, "symlink-set", fast, disk.hex(), len(disk))
    expect("symlink-nul-inside", img, {(fast, "symlink-corrupt")}, True)

    if FAILS:
        print("\n".join("FAIL: " + f for f in FAILS))
        sys.exit(1)
    print("all planted faults found")


main()
