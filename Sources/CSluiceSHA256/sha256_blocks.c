// SHA-256 block compression with the x86 SHA extensions (SHA-NI), and the CPUID
// check that says whether they are there. Sluice's own code, written after the
// instruction sequence in Intel's "New Instructions Supporting the Secure Hash
// Algorithm on Intel Architecture Processors" (2013). The portable path is in
// Swift (SluicePipeline/SHA256.swift); this file only does whole blocks.
//
// Only the kernel function is compiled for the SHA/SSE4.1/SSSE3 targets (a
// function attribute, no global -m flags), so the package builds for any
// x86-64 CPU and picks this path at run time.

#include "CSluiceSHA256.h"

#include <stdlib.h>

#if defined(__x86_64__)

#include <cpuid.h>
#include <immintrin.h>

int sluice_sha256_has_hardware(void) {
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
    // Leaf 1: ECX bit 9 = SSSE3 (pshufb, palignr), bit 19 = SSE4.1 (pblendw).
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        return 0;
    }
    const int hasSSSE3 = (ecx & bit_SSSE3) != 0;
    const int hasSSE41 = (ecx & bit_SSE4_1) != 0;
    // Leaf 7 sub-leaf 0: EBX bit 29 = SHA. `__get_cpuid_count` returns 0 when
    // the CPU's highest leaf is below 7.
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
        return 0;
    }
    const int hasSHA = (ebx & bit_SHA) != 0;
    return hasSSSE3 && hasSSE41 && hasSHA;
}

// The 64 round constants K[0..63] (FIPS 180-4, 4.2.2), four per 128-bit load.
static const uint32_t roundConstants[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

// Four rounds (4q … 4q+3) with the schedule words W[4q … 4q+3] in `words`
// (lane 0 = W[4q]). `sha256rnds2` does two rounds: it takes the state as
// (ABEF, CDGH) and W+K for its two rounds in the low 64 bits of its third
// operand, and returns the new ABEF; the old ABEF is the new CDGH. So the two
// state registers swap roles after each call, and the second call gets lanes
// 2 and 3 of W+K moved down by the 0x0E shuffle.
#define SLUICE_FOUR_ROUNDS(words, q)                                                        \
    do {                                                                                    \
        __m128i wk = _mm_add_epi32((words), _mm_load_si128((const __m128i *)&roundConstants[4 * (q)])); \
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);                                       \
        wk = _mm_shuffle_epi32(wk, 0x0E);                                                   \
        abef = _mm_sha256rnds2_epu32(abef, cdgh, wk);                                       \
    } while (0)

// The next four schedule words W[t … t+3] (t ≥ 16) from the previous sixteen,
// held as w0 = W[t-16 … t-13], w1 = W[t-12 … t-9], w2 = W[t-8 … t-5],
// w3 = W[t-4 … t-1]:
//   sha256msg1(w0, w1)          = W[t-16+i] + σ0(W[t-15+i])        (i = 0…3)
//   + alignr(w3, w2, 4)         + W[t-7+i]   (W[t-7 … t-4]: the top three of
//                                 w2 and the bottom one of w3)
//   sha256msg2(…, w3)           + σ1(W[t-2+i]), which for i = 2, 3 uses the
//                                 words just made for i = 0, 1 (done inside).
#define SLUICE_NEXT_WORDS(w0, w1, w2, w3) \
    _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32((w0), (w1)), _mm_alignr_epi8((w3), (w2), 4)), (w3))

__attribute__((target("sha,sse4.1,ssse3")))
void sluice_sha256_compress_blocks(uint32_t *state, const uint8_t *data, size_t blockCount) {
    // Reverses the bytes of each 32-bit lane: the message words are big-endian.
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);

    // The state as the instructions want it. Lanes are written high to low.
    // Load A B C D (lane 0 = A) and E F G H (lane 0 = E).
    __m128i abcd = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i efgh = _mm_loadu_si128((const __m128i *)&state[4]);
    abcd = _mm_shuffle_epi32(abcd, 0xB1);              // high→low: C D A B
    efgh = _mm_shuffle_epi32(efgh, 0x1B);              // high→low: E F G H
    __m128i abef = _mm_alignr_epi8(abcd, efgh, 8);     // high→low: A B E F
    __m128i cdgh = _mm_blend_epi16(efgh, abcd, 0xF0);  // high→low: C D G H

    for (size_t block = 0; block < blockCount; block++, data += 64) {
        const __m128i abefBefore = abef;
        const __m128i cdghBefore = cdgh;

        // W[0 … 15]: the block's sixteen big-endian words, four per register.
        __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 0)), byteSwap);
        __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16)), byteSwap);
        __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 32)), byteSwap);
        __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 48)), byteSwap);

        // Rounds 0-15 use the message words as they are.
        SLUICE_FOUR_ROUNDS(w0, 0);
        SLUICE_FOUR_ROUNDS(w1, 1);
        SLUICE_FOUR_ROUNDS(w2, 2);
        SLUICE_FOUR_ROUNDS(w3, 3);

        // Rounds 16-63: each register, oldest first, is replaced by the next
        // four schedule words (see SLUICE_NEXT_WORDS), which then feed four rounds.
        for (int q = 4; q < 16; q += 4) {
            w0 = SLUICE_NEXT_WORDS(w0, w1, w2, w3);
            SLUICE_FOUR_ROUNDS(w0, q);
            w1 = SLUICE_NEXT_WORDS(w1, w2, w3, w0);
            SLUICE_FOUR_ROUNDS(w1, q + 1);
            w2 = SLUICE_NEXT_WORDS(w2, w3, w0, w1);
            SLUICE_FOUR_ROUNDS(w2, q + 2);
            w3 = SLUICE_NEXT_WORDS(w3, w0, w1, w2);
            SLUICE_FOUR_ROUNDS(w3, q + 3);
        }

        // Add the block's result to the state it started from (FIPS 180-4, 6.2.2 step 4).
        abef = _mm_add_epi32(abef, abefBefore);
        cdgh = _mm_add_epi32(cdgh, cdghBefore);
    }

    // Back to A…H order: undo the arrangement above.
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);      // high→low: F E B A
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);      // high→low: D C H G
    abcd = _mm_blend_epi16(feba, dchg, 0xF0);          // high→low: D C B A
    efgh = _mm_alignr_epi8(dchg, feba, 8);             // high→low: H G F E
    _mm_storeu_si128((__m128i *)&state[0], abcd);
    _mm_storeu_si128((__m128i *)&state[4], efgh);
}

#else

int sluice_sha256_has_hardware(void) { return 0; }

void sluice_sha256_compress_blocks(uint32_t *state, const uint8_t *data, size_t blockCount) {
    // Never called: `sluice_sha256_has_hardware` is 0 on this architecture.
    (void)state;
    (void)data;
    (void)blockCount;
    abort();
}

#endif
