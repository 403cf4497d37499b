"""Minimal PEP 517 build backend for the pure-Python fscrypt_ext package (offline installs)."""
import base64
import hashlib
import os
import zipfile

NAME = "fscrypt_ext"
DIST = "fscrypt_ext"
VERSION = "0.1.0"
HERE = os.path.dirname(os.path.abspath(__file__))
TAG = "py3-none-any"

METADATA = f"""Metadata-Version: 2.1
Name: fscrypt-ext
Version: {VERSION}
Summary: Python binding (ctypes) for libfscrypt-ext
License: MIT
Requires-Python: >=3.9
"""


def _files():
    pkg = os.path.join(HERE, NAME)
    for root, _dirs, names in os.walk(pkg):
        for n in sorted(names):
            if n.endswith(".py"):
                full = os.path.join(root, n)
                yield full, os.path.relpath(full, HERE)


def _record_line(arc, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arc},sha256={digest},{len(data)}"


def _write_wheel(directory, editable=False):
    distinfo = f"{DIST}-{VERSION}.dist-info"
    wheel_name = f"{DIST}-{VERSION}-{TAG}.whl"
    path = os.path.join(directory, wheel_name)
    records = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        if editable:
            data = (HERE + "\n").encode()
            zf.writestr(f"{DIST}.pth", data)
            records.append(_record_line(f"{DIST}.pth", data))
        else:
            for full, arc in _files():
                with open(full, "rb") as f:
                    data = f.read()
                zf.writestr(arc, data)
                records.append(_record_line(arc, data))
        meta = {
            "METADATA": METADATA.encode(),
            "WHEEL": f"Wheel-Version: 1.0\nGenerator: fscrypt-ext build_backend\nRoot-Is-Purelib: true\nTag: {TAG}\n".encode(),
            "top_level.txt": f"{NAME}\n".encode(),
        }
        for n, data in meta.items():
            zf.writestr(f"{distinfo}/{n}", data)
            records.append(_record_line(f"{distinfo}/{n}", data))
        records.append(f"{distinfo}/RECORD,,")
        zf.writestr(f"{distinfo}/RECORD", "\n".join(records) + "\n")
    return wheel_name


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, editable=True)


def build_sdist(sdist_directory, config_settings=None):
    import tarfile
    name = f"{DIST}-{VERSION}"
    path = os.path.join(sdist_directory, name + ".tar.gz")
    with tarfile.open(path, "w:gz") as tf:
        for rel in ["pyproject.toml", "build_backend.py"]:
            tf.add(os.path.join(HERE, rel), f"{name}/{rel}")
        for full, arc in _files():
            tf.add(full, f"{name}/{arc}")
    return name + ".tar.gz"
