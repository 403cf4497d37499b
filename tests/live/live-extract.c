/*
 * extract: reads back from the unmounted image what the kernel wrote (contexts with
 * debugfs ea_get, extents with debugfs ex, raw blocks and directory entries straight
 * from the image) and writes FORMAT.md vectors pairing it with the plan's plaintext.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonout.h"
#include "live.h"

struct plan_key {
	char name[32];
	bool v1;
	uint8_t raw[64];
	size_t len;
	uint8_t spec[16];
};

struct plan_inode {
	unsigned long ino, parent;
	char type;
	int key;
	uint8_t *name, *data;
	size_t name_len, data_len;
	uint8_t ctx[40];
	size_t ctx_len;
	uint8_t nonce[16];
	bool has_nonce;
	bool found; /* its directory entry was seen in the parent */
};

struct plan_nokey {
	unsigned long parent, ino;
	char *encoded;
	bool used;
};

struct extent {
	uint64_t lblk, pblk, len;
};

static struct plan_key pkeys[16];
static size_t n_keys;
static struct plan_inode *inodes;
static size_t n_inodes;
static struct plan_nokey *nokeys;
static size_t n_nokeys;

static const char *image;
static int image_fd;
static uint32_t block_size;
static uint8_t fs_uuid[16];

static FILE *out;
static unsigned long n_vectors, n_nonces_checked;
static unsigned long counts[8];
enum { C_KEYID, C_KEYDESC, C_CONTEXT, C_CONTENTS, C_FILENAME, C_SYMLINK, C_NOKEY };
static const char *const count_names[] = { "key-identifier", "key-descriptor", "context", "contents",
					   "filename", "symlink", "nokey-name" };

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		live_die("out of memory");
	return p;
}

static uint8_t *hex_field(const char *tok, size_t *len)
{
	size_t n = strlen(tok);
	uint8_t *buf = xrealloc(NULL, n / 2 + 1);
	long r;

	if (!strcmp(tok, "-")) {
		*len = 0;
		return buf;
	}
	r = live_fromhex(tok, buf, n / 2);
	if (r < 0)
		live_die("plan: bad hex field");
	*len = (size_t)r;
	return buf;
}

static int key_index(const char *name)
{
	for (size_t i = 0; i < n_keys; i++)
		if (!strcmp(pkeys[i].name, name))
			return (int)i;
	live_die("plan: unknown key %s", name);
}

static void parse_plan_line(char *line)
{
	char *tok[8];
	int n = 0;

	for (char *save = NULL, *t = strtok_r(line, " \n", &save); t && n < 8; t = strtok_r(NULL, " \n", &save))
		tok[n++] = t;
	if (n == 0 || !strcmp(tok[0], "seed"))
		return;
	if (!strcmp(tok[0], "key") && n == 5 && n_keys < 16) {
		struct plan_key *k = &pkeys[n_keys++];
		uint8_t *b;
		size_t len;

		snprintf(k->name, sizeof(k->name), "%s", tok[1]);
		b = hex_field(tok[2], &k->len);
		memcpy(k->raw, b, k->len > 64 ? 64 : k->len);
		free(b);
		k->v1 = !strcmp(tok[3], "v1");
		b = hex_field(tok[4], &len);
		memcpy(k->spec, b, len > 16 ? 16 : len);
		free(b);
	} else if (!strcmp(tok[0], "inode") && n == 7) {
		struct plan_inode *in;

		inodes = xrealloc(inodes, (n_inodes + 1) * sizeof(*inodes));
		in = &inodes[n_inodes++];
		memset(in, 0, sizeof(*in));
		in->ino = strtoul(tok[1], NULL, 10);
		in->type = tok[2][0];
		in->key = key_index(tok[3]);
		in->parent = strtoul(tok[4], NULL, 10);
		in->name = hex_field(tok[5], &in->name_len);
		in->data = hex_field(tok[6], &in->data_len);
	} else if (!strcmp(tok[0], "nonce") && n == 3 && n_inodes &&
		   inodes[n_inodes - 1].ino == strtoul(tok[1], NULL, 10)) {
		struct plan_inode *in = &inodes[n_inodes - 1];

		if (live_fromhex(tok[2], in->nonce, sizeof(in->nonce)) != 16)
			live_die("plan: bad nonce");
		in->has_nonce = true;
	} else if (!strcmp(tok[0], "nokey") && n == 4) {
		nokeys = xrealloc(nokeys, (n_nokeys + 1) * sizeof(*nokeys));
		nokeys[n_nokeys].parent = strtoul(tok[1], NULL, 10);
		nokeys[n_nokeys].ino = strtoul(tok[2], NULL, 10);
		nokeys[n_nokeys].encoded = strdup(tok[3]);
		nokeys[n_nokeys].used = false;
		n_nokeys++;
	} else {
		live_die("plan: bad line starting with %s", tok[0]);
	}
}

static void read_plan(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;

	if (!f)
		live_die("%s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) > 0)
		parse_plan_line(line);
	free(line);
	fclose(f);
}

static void read_image(uint64_t off, void *buf, size_t len)
{
	if (pread(image_fd, buf, len, (off_t)off) != (ssize_t)len)
		live_die("reading %zu bytes at %" PRIu64 " of %s: %s", len, off, image, strerror(errno));
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* ext4 superblock at byte 1024: s_log_block_size at 0x18, s_uuid at 0x68. */
static void read_superblock(void)
{
	uint8_t sb[1024];

	read_image(1024, sb, sizeof(sb));
	if (le16(sb + 0x38) != 0xef53)
		live_die("%s: not an ext4 image", image);
	block_size = 1024u << le32(sb + 0x18);
	memcpy(fs_uuid, sb + 0x68, 16);
}

/* Output of one debugfs request (stdout and stderr), NUL-terminated; the caller frees it. */
static char *debugfs(const char *request)
{
	char cmd[4400], *buf = NULL;
	size_t len = 0, cap = 0, r;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "debugfs -R '%s' '%s' 2>&1", request, image);
	p = popen(cmd, "r");
	if (!p)
		live_die("popen debugfs: %s", strerror(errno));
	do {
		if (cap - len < 4096)
			buf = xrealloc(buf, cap = cap * 2 + 8192);
		r = fread(buf + len, 1, cap - len - 1, p);
		len += r;
	} while (r > 0);
	buf[len] = '\0';
	if (pclose(p) != 0)
		live_die("debugfs -R '%s' failed:\n%s", request, buf);
	return buf;
}

/* The encryption xattr (index 9, name "c"), which debugfs lists without a prefix. */
static void read_context(struct plan_inode *in)
{
	char req[64], *outp, *p;

	snprintf(req, sizeof(req), "ea_get -x <%lu> c", in->ino);
	outp = debugfs(req);
	p = strstr(outp, ") = ");
	if (!p)
		live_die("no encryption context on inode %lu:\n%s", in->ino, outp);
	p += 4;
	in->ctx_len = 0;
	for (;;) {
		unsigned v;
		int used;

		while (*p == ' ')
			p++;
		if (sscanf(p, "%2x%n", &v, &used) != 1 || used != 2)
			break;
		if (in->ctx_len == sizeof(in->ctx))
			live_die("inode %lu: context longer than 40 bytes", in->ino);
		in->ctx[in->ctx_len++] = (uint8_t)v;
		p += 2;
	}
	if (in->ctx_len != 28 && in->ctx_len != 40)
		live_die("inode %lu: context of %zu bytes:\n%s", in->ino, in->ctx_len, outp);
	if (in->has_nonce && memcmp(in->ctx + in->ctx_len - 16, in->nonce, 16) != 0)
		live_die("inode %lu: nonce in the on-disk context differs from FS_IOC_GET_ENCRYPTION_NONCE", in->ino);
	n_nonces_checked += in->has_nonce;
	free(outp);
}

/* Leaf extents of an inode (none for inodes without an extent tree, i.e. fast symlinks). */
static size_t read_extents(unsigned long ino, struct extent **ext)
{
	char req[64], *outp, *line, *save = NULL;
	size_t n = 0;

	snprintf(req, sizeof(req), "ex <%lu>", ino);
	outp = debugfs(req);
	*ext = NULL;
	for (line = strtok_r(outp, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int level, depth, e, emax;
		unsigned long long l0, l1, p0, p1, len;
		char flags[32] = "";

		if (sscanf(line, " %d/ %d %d/ %d %llu - %llu %llu - %llu %llu %31s", &level, &depth, &e, &emax,
			   &l0, &l1, &p0, &p1, &len, flags) < 9 || level != depth)
			continue;
		if (flags[0])
			live_die("inode %lu: unexpected extent flags %s (uninitialized extent?)", ino, flags);
		if (len != l1 - l0 + 1 || len != p1 - p0 + 1)
			live_die("inode %lu: cannot parse extent line: %s", ino, line);
		*ext = xrealloc(*ext, (n + 1) * sizeof(**ext));
		(*ext)[n++] = (struct extent){ l0, p0, len };
	}
	free(outp);
	return n;
}

/* Byte offset of an inode in the image (debugfs imap). */
static uint64_t inode_offset(unsigned long ino)
{
	char req[64], *outp, *p;
	unsigned long long blk;
	unsigned off;

	snprintf(req, sizeof(req), "imap <%lu>", ino);
	outp = debugfs(req);
	p = strstr(outp, "located at block");
	if (!p || sscanf(p, "located at block %llu, offset 0x%x", &blk, &off) != 2)
		live_die("imap <%lu>: cannot parse:\n%s", ino, outp);
	free(outp);
	return blk * block_size + off;
}

static void begin_vector(const char *type)
{
	fprintf(out, "%s{\"type\": \"%s\"", n_vectors++ ? ",\n" : "", type);
}

static void field_hex(const char *name, const uint8_t *p, size_t n)
{
	fprintf(out, ", \"%s\": ", name);
	tc_json_hex(out, p, n);
}

/* Fields every context-carrying vector has: context, master key, ino, fs_uuid. */
static void common_fields(const struct plan_inode *ctx_owner, unsigned long ino)
{
	const struct plan_key *k = &pkeys[ctx_owner->key];

	field_hex("context", ctx_owner->ctx, ctx_owner->ctx_len);
	field_hex("master_key", k->raw, k->len);
	fprintf(out, ", \"ino\": %lu", ino);
	field_hex("fs_uuid", fs_uuid, 16);
}

static void emit_keys(void)
{
	for (size_t i = 0; i < n_keys; i++) {
		begin_vector(pkeys[i].v1 ? "key-descriptor" : "key-identifier");
		field_hex("master_key", pkeys[i].raw, pkeys[i].len);
		field_hex(pkeys[i].v1 ? "descriptor" : "identifier", pkeys[i].spec, pkeys[i].v1 ? 8 : 16);
		fputs("}", out);
		counts[pkeys[i].v1 ? C_KEYDESC : C_KEYID]++;
	}
}

static void emit_file(const struct plan_inode *in)
{
	struct extent *ext;
	size_t n = read_extents(in->ino, &ext);
	uint64_t mapped = 0;

	for (size_t i = 0; i < n; i++) {
		size_t len = (size_t)(ext[i].len * block_size);
		uint64_t off = ext[i].lblk * block_size;
		uint8_t *pt = calloc(1, len), *ct = xrealloc(NULL, len);

		if (!pt)
			live_die("out of memory");
		/* The last unit of a file is encrypted whole, with zeros past EOF. */
		if (off < in->data_len)
			memcpy(pt, in->data + off, in->data_len - off < len ? in->data_len - off : len);
		read_image(ext[i].pblk * block_size, ct, len);
		begin_vector("contents");
		common_fields(in, in->ino);
		fprintf(out, ", \"block_size\": %u, \"file_offset\": %" PRIu64, block_size, off);
		field_hex("plaintext", pt, len);
		field_hex("ciphertext", ct, len);
		fputs("}", out);
		counts[C_CONTENTS]++;
		mapped += len;
		free(pt);
		free(ct);
	}
	if (in->data_len && !mapped)
		live_die("inode %lu: %zu bytes written but no blocks mapped", in->ino, in->data_len);
	free(ext);
}

static void emit_symlink(const struct plan_inode *in)
{
	struct extent *ext;
	size_t n = read_extents(in->ino, &ext), len;
	uint8_t buf[65536];

	if (n) {
		read_image(ext[0].pblk * block_size, buf, block_size); /* slow symlink: one data block */
	} else {
		read_image(inode_offset(in->ino) + 0x28, buf, 60); /* fast symlink: i_block */
	}
	free(ext);
	len = 2u + le16(buf);
	if (len > (n ? block_size : 60u) || len < 2 + 16)
		live_die("symlink inode %lu: implausible on-disk length %zu", in->ino, len);
	begin_vector("symlink");
	common_fields(in, in->ino);
	field_hex("plaintext", in->data, in->data_len);
	field_hex("ciphertext", buf, len);
	fputs("}", out);
	counts[C_SYMLINK]++;
}

static struct plan_inode *find_child(unsigned long parent, unsigned long ino)
{
	for (size_t i = 0; i < n_inodes; i++)
		if (inodes[i].ino == ino && inodes[i].parent == parent)
			return &inodes[i];
	return NULL;
}

static int b64url_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '-' ? 62 : c == '_' ? 63 : -1;
}

/* The kernel's no-key name starts with the two u32 hash words (little-endian); decode those 8 bytes. */
static void nokey_hashes(const char *enc, uint32_t *hash, uint32_t *minor)
{
	uint8_t b[9];
	int v[12];

	for (int i = 0; i < 12; i++)
		if ((v[i] = b64url_value(enc[i])) < 0)
			live_die("no-key name %s: not base64url", enc);
	for (int i = 0; i < 3; i++) {
		uint32_t w = (uint32_t)(v[4 * i] << 18 | v[4 * i + 1] << 12 | v[4 * i + 2] << 6 | v[4 * i + 3]);

		b[3 * i] = (uint8_t)(w >> 16);
		b[3 * i + 1] = (uint8_t)(w >> 8);
		b[3 * i + 2] = (uint8_t)w;
	}
	*hash = le32(b);
	*minor = le32(b + 4);
}

static void emit_nokey(unsigned long parent, unsigned long ino, const uint8_t *ct, size_t len)
{
	for (size_t i = 0; i < n_nokeys; i++) {
		uint32_t hash, minor;

		if (nokeys[i].parent != parent || nokeys[i].ino != ino)
			continue;
		nokey_hashes(nokeys[i].encoded, &hash, &minor);
		begin_vector("nokey-name");
		field_hex("ciphertext", ct, len);
		fprintf(out, ", \"hash\": %" PRIu32 ", \"minor_hash\": %" PRIu32 ", \"encoded\": \"%s\"}", hash, minor,
			nokeys[i].encoded);
		nokeys[i].used = true;
		counts[C_NOKEY]++;
	}
}

/* Walks the ext4 directory entries of one block (linear, htree leaf, or htree index: index blocks hold no names). */
static void parse_dir_block(const struct plan_inode *dir, const uint8_t *blk)
{
	for (uint32_t off = 0; off + 8 <= block_size;) {
		uint32_t ino = le32(blk + off);
		uint16_t rec_len = le16(blk + off + 4);
		uint8_t name_len = blk[off + 6];
		const uint8_t *name = blk + off + 8;
		struct plan_inode *child;

		if (rec_len < 8 || off + rec_len > block_size || 8u + name_len > rec_len)
			live_die("directory %lu: corrupt entry at offset %u", dir->ino, off);
		off += rec_len;
		if (!ino || !name_len || (name_len == 1 && name[0] == '.') ||
		    (name_len == 2 && name[0] == '.' && name[1] == '.'))
			continue;
		child = find_child(dir->ino, ino);
		if (!child)
			live_die("directory %lu: entry for inode %u that the plan does not know", dir->ino, ino);
		child->found = true;
		begin_vector("filename");
		common_fields(dir, dir->ino);
		field_hex("plaintext", child->name, child->name_len);
		field_hex("ciphertext", name, name_len);
		fputs("}", out);
		counts[C_FILENAME]++;
		emit_nokey(dir->ino, ino, name, name_len);
	}
}

static void emit_dir(const struct plan_inode *dir)
{
	struct extent *ext;
	size_t n = read_extents(dir->ino, &ext);
	uint8_t *blk = xrealloc(NULL, block_size);

	if (!n)
		live_die("directory %lu: no blocks", dir->ino);
	for (size_t i = 0; i < n; i++)
		for (uint64_t b = 0; b < ext[i].len; b++) {
			read_image((ext[i].pblk + b) * block_size, blk, block_size);
			parse_dir_block(dir, blk);
		}
	free(blk);
	free(ext);
}

static void emit_context(const struct plan_inode *in)
{
	begin_vector("context");
	field_hex("context", in->ctx, in->ctx_len);
	fputs(", \"valid\": true}", out);
	counts[C_CONTEXT]++;
}

static void check_complete(void)
{
	for (size_t i = 0; i < n_inodes; i++)
		if (inodes[i].parent && !inodes[i].found)
			live_die("inode %lu: no directory entry found in directory %lu", inodes[i].ino, inodes[i].parent);
	for (size_t i = 0; i < n_nokeys; i++)
		if (!nokeys[i].used)
			live_die("no-key name %s (inode %lu): no matching entry on disk", nokeys[i].encoded, nokeys[i].ino);
}

int live_cmd_extract(int argc, char **argv)
{
	if (argc != 5)
		live_die("usage: extract IMAGE PLAN OUT.json");
	image = argv[2];
	image_fd = open(image, O_RDONLY | O_CLOEXEC);
	if (image_fd < 0)
		live_die("%s: %s", image, strerror(errno));
	read_plan(argv[3]);
	if (!n_keys || !n_inodes)
		live_die("plan %s is empty", argv[3]);
	read_superblock();
	out = fopen(argv[4], "w");
	if (!out)
		live_die("%s: %s", argv[4], strerror(errno));
	fprintf(out, "{\"description\": \"ext4 (%u-byte blocks) written by the running kernel; live cross-check\",\n"
		     " \"source\": \"ciphertext written by the Linux kernel's fscrypt (ext4) and read back raw from the "
		     "disk image with debugfs (tests/live/fscrypt-live)\",\n \"vectors\": [\n", block_size);
	emit_keys();
	for (size_t i = 0; i < n_inodes; i++)
		read_context(&inodes[i]);
	for (size_t i = 0; i < n_inodes; i++) {
		emit_context(&inodes[i]);
		if (inodes[i].type == 'f')
			emit_file(&inodes[i]);
		else if (inodes[i].type == 'l')
			emit_symlink(&inodes[i]);
		else
			emit_dir(&inodes[i]);
	}
	check_complete();
	fputs("\n]}\n", out);
	if (fclose(out) != 0)
		live_die("writing %s: %s", argv[4], strerror(errno));
	printf("extract: %lu vectors:", n_vectors);
	for (size_t i = 0; i < sizeof(count_names) / sizeof(count_names[0]); i++)
		printf(" %s=%lu", count_names[i], counts[i]);
	printf("; %lu on-disk nonces equal FS_IOC_GET_ENCRYPTION_NONCE\n", n_nonces_checked);
	return 0;
}
