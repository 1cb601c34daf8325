/* SPDX-License-Identifier: MIT */
#include "core/digest.h"
#include "core/hex.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include "core/util.h"

static void *md_new(const EVP_MD *type)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (!ctx || EVP_DigestInit_ex(ctx, type, NULL) != 1) {
		log_error("out of memory");
		abort();
	}
	return ctx;
}

void digest_init(struct digest *d)
{
	digest_init_sha256(d);
	d->md5 = md_new(EVP_md5());
}

void digest_init_sha256(struct digest *d)
{
	d->sha256 = md_new(EVP_sha256());
	d->md5 = NULL;
	d->bytes = 0;
}

void digest_update(struct digest *d, const void *data, size_t len)
{
	EVP_DigestUpdate(d->sha256, data, len);
	if (d->md5)
		EVP_DigestUpdate(d->md5, data, len);
	d->bytes += (long long)len;
}

static void md_final_hex(void *ctx, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_DigestFinal_ex(ctx, md, &n);
	hex_encode(md, n, out);
}

void digest_final(struct digest *d, struct digest_hex *out)
{
	md_final_hex(d->sha256, out->sha256);
	if (d->md5)
		md_final_hex(d->md5, out->md5);
	else
		out->md5[0] = '\0';
	out->bytes = d->bytes;
	digest_release(d);
}

void digest_release(struct digest *d)
{
	EVP_MD_CTX_free(d->sha256);
	EVP_MD_CTX_free(d->md5);
	d->sha256 = d->md5 = NULL;
}

/* The stream's buffer: a few large writes (and hash updates) rather than
 * one for every 4 KiB that stdio's default would make. */
#define DIGEST_STREAM_BUFFER (64 * 1024)

struct digest_cookie {
	int fd;
	struct digest *d;
	char *buf; /* the stream's; freed when it is closed */
};

static ssize_t cookie_write(void *cookie, const char *buf, size_t size)
{
	struct digest_cookie *c = cookie;
	size_t done = 0;

	while (done < size) {
		ssize_t n = write(c->fd, buf + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return done ? (ssize_t)done : -1;
		digest_update(c->d, buf + done, (size_t)n);
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static int cookie_close(void *cookie)
{
	struct digest_cookie *c = cookie;

	/* fclose has flushed the buffer before it calls this. */
	free(c->buf);
	free(c);
	return 0;
}

FILE *digest_fdopen(int fd, struct digest *d)
{
	struct digest_cookie *c = xmalloc(sizeof(*c));
	cookie_io_functions_t io = { .write = cookie_write, .close = cookie_close };
	FILE *f;

	c->fd = fd;
	c->d = d;
	c->buf = xmalloc(DIGEST_STREAM_BUFFER);
	f = fopencookie(c, "w", io);
	if (!f) {
		free(c->buf);
		free(c);
	} else if (setvbuf(f, c->buf, _IOFBF, DIGEST_STREAM_BUFFER) != 0) {
		fclose(f);
		f = NULL;
	}
	return f;
}

int digest_file(const char *path, struct digest_hex *out)
{
	char buf[65536];
	struct digest d;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	digest_init_sha256(&d);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = -errno;
			digest_release(&d);
			close(fd);
			return e;
		}
		if (n == 0)
			break;
		digest_update(&d, buf, (size_t)n);
	}
	close(fd);
	digest_final(&d, out);
	return 0;
}
