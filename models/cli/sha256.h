/*
 * sha256 — the FIPS 180-4 hash, used to fingerprint the scenario file in the
 * run record so a published figure can be traced to the exact input.
 * Pure, reentrant, no allocation.
 */
#ifndef CASEFLOW_SHA256_H
#define CASEFLOW_SHA256_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct sha256_ctx {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char buf[64];
    size_t fill;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
/* Writes 64 lowercase hex digits and a NUL into hex (65 bytes). */
void sha256_final_hex(sha256_ctx *c, char hex[65]);
/* Hashes a whole file; returns 0 or -1 if it cannot be read. */
int sha256_file(const char *path, char hex[65]);

#endif
