#ifndef CSLUICE_SHA256_H
#define CSLUICE_SHA256_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has the SHA extensions (with SSSE3 and SSE4.1) that
/// `sluice_sha256_compress_blocks` needs, else 0 (always 0 off x86-64).
int sluice_sha256_has_hardware(void);

/// Runs the SHA-256 compression function over `blockCount` consecutive 64-byte
/// blocks at `data`, updating the eight state words `state[0..7]` (a…h, native
/// integers) in place. Padding is the caller's job. Call only when
/// `sluice_sha256_has_hardware()` returns 1 (elsewhere it aborts).
void sluice_sha256_compress_blocks(uint32_t *state, const uint8_t *data, size_t blockCount);

#endif
