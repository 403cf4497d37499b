# Shared by the google/fscrypt scripts (sourced): a loop-mounted ext4 image with encryption,
# /etc/fscrypt.conf saved and restored, and the root filesystem's /.fscrypt removed if we made it.
# Callers set GF_WORK (a mktemp -d) and call gf_cleanup from their EXIT trap.

gf_need_root() {
	if [ "$(id -u)" != 0 ]; then echo "SKIP: google/fscrypt interop needs root (loop mounts)"; exit 77; fi
	if ! command -v fscrypt >/dev/null; then echo "SKIP: the fscrypt tool (Debian package fscrypt) is not installed"; exit 77; fi
	if ! command -v losetup >/dev/null || ! command -v mkfs.ext4 >/dev/null; then echo "SKIP: losetup/mkfs.ext4 missing"; exit 77; fi
}

GF_LOOP= GF_MNT= GF_CONF_SAVED= GF_ROOT_META= GF_LOCK_FD=
# /etc/fscrypt.conf is global: one google/fscrypt script at a time on this machine.
gf_lock() {
	exec {GF_LOCK_FD}>/tmp/fscrypt-ext-google-fscrypt.lock
	flock -w 600 "$GF_LOCK_FD" || { echo "cannot lock /tmp/fscrypt-ext-google-fscrypt.lock"; exit 1; }
	if [ -e /etc/fscrypt.conf ]; then cp -p /etc/fscrypt.conf "$GF_WORK/fscrypt.conf.saved"; GF_CONF_SAVED=1; fi
	[ -e /.fscrypt ] || GF_ROOT_META=1
}

gf_cleanup() {
	if [ -n "$GF_MNT" ] && mountpoint -q "$GF_MNT"; then umount "$GF_MNT" || umount -l "$GF_MNT"; fi
	[ -n "$GF_LOOP" ] && losetup -d "$GF_LOOP" 2>/dev/null
	if [ -n "$GF_CONF_SAVED" ]; then cp -p "$GF_WORK/fscrypt.conf.saved" /etc/fscrypt.conf; else rm -f /etc/fscrypt.conf; fi
	# `fscrypt setup` makes /.fscrypt on the root filesystem: remove it only if it was not there before.
	[ -n "$GF_ROOT_META" ] && rm -rf /.fscrypt
	[ -n "$GF_WORK" ] && rm -rf "$GF_WORK"
}

# gf_mount SIZE_MB: a fresh ext4 image with the encrypt feature, mounted at $GF_MNT.
gf_mount() {
	GF_IMG=$GF_WORK/fs.img
	truncate -s "${1}M" "$GF_IMG"
	mkfs.ext4 -q -F -O encrypt -b 4096 "$GF_IMG"
	GF_LOOP=$(losetup -f --show "$GF_IMG") || { echo "SKIP: no loop device"; exit 77; }
	GF_MNT=$(mktemp -d "$GF_WORK/mnt.XXXXXX")
	mount "$GF_LOOP" "$GF_MNT" || { echo "SKIP: cannot mount a loop device here"; exit 77; }
}

gf_umount() {
	umount "$GF_MNT"
	losetup -d "$GF_LOOP"
	GF_LOOP=
}

# gf_conf TIME MEMORY_KIB PARALLELISM POLICY_VERSION: the costs and policy version new metadata gets.
gf_conf() {
	cat >/etc/fscrypt.conf <<CONF
{
	"source": "custom_passphrase",
	"hash_costs": { "time": "$1", "memory": "$2", "parallelism": "$3" },
	"options": { "padding": "32", "contents": "AES_256_XTS", "filenames": "AES_256_CTS", "policy_version": "$4" },
	"use_fs_keyring_for_v1_policies": true,
	"allow_cross_user_metadata": false
}
CONF
}

gf_setup() {
	echo n | fscrypt setup --time=1ms --quiet >/dev/null
	gf_conf "$@"
	echo n | fscrypt setup "$GF_MNT" --quiet >/dev/null
}

# gf_populate DIR [BIG]: sizes around block and padding edges (BIG bytes for the largest file),
# long and UTF-8 names, a subdirectory, short and long symlinks.
gf_populate() {
	local d=$1 big=${2:-70000}
	: >"$d/empty"
	head -c 1 /dev/urandom >"$d/one"
	head -c 4095 /dev/urandom >"$d/block-1"
	head -c 4096 /dev/urandom >"$d/block"
	head -c "$big" /dev/urandom >"$d/multi block file with spaces"
	mkdir "$d/sub" "$d/sub/deeper"
	printf 'hello\n' >"$d/sub/deeper/n$(printf 'x%.0s' $(seq 1 200))"
	printf 'utf8\n' >"$d/sub/r\xc3\xa9sum\xc3\xa9 \xe2\x9c\x93"
	ln -s "sub/deeper" "$d/link-short"
	ln -s "$(printf 'L%.0s' $(seq 1 300))" "$d/link-long"
}

# gf_view DIR: what a reader sees - type, path, symlink target, then contents hashes (sorted).
gf_view() {
	(cd "$1" && find . -mindepth 1 -printf '%y %p %l\n' | LC_ALL=C sort &&
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
}
