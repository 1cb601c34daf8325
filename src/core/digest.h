/* SPDX-License-Identifier: MIT */
/*
 * Content digests, by libcrypto: SHA-256 (what an export's manifest
 * records) and MD5 (what the API reports for an account export). Both are
 * computed in one pass while the bytes are written, so that what is
 * recorded is what went to disk, as restic records a blob's hash when it
 * writes it; verifying re-reads the file (digest_file).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define DIGEST_SHA256_HEX 65 /* 64 hex digits and NUL */
#define DIGEST_MD5_HEX 33

struct digest {
	void *sha256; /* EVP_MD_CTX */
	void *md5;
	long long bytes;
};

struct digest_hex {
	char sha256[DIGEST_SHA256_HEX];
	char md5[DIGEST_MD5_HEX];
	long long bytes;
};

void digest_init(struct digest *d);
/* SHA-256 alone (the md5 of the result is ""): the hashing of a file that
 * no announced md5 is checked against costs half as much CPU. */
void digest_init_sha256(struct digest *d);
void digest_update(struct digest *d, const void *data, size_t len);
/* The digests of everything added so far, in lowercase hex; frees d. */
void digest_final(struct digest *d, struct digest_hex *out);
/* Frees d without a result (a write that failed). */
void digest_release(struct digest *d);

/* A stream that writes to fd and adds every byte written to d (neither is
 * owned: fclose flushes, and neither closes fd nor ends d). NULL on error. */
FILE *digest_fdopen(int fd, struct digest *d);

/* The SHA-256 of a file's contents as it is on disk now (its md5 is ""). 0 or -errno. */
int digest_file(const char *path, struct digest_hex *out);
