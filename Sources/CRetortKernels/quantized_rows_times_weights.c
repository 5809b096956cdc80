/* Rows times a transposed weight matrix kept in ggml's Q4_0, Q4_1 or Q8_0 blocks. Decoding one token reads
 * every weight once, so at batch 1 the step is bound by memory: these blocks are 4.5 to 8.5 bits a
 * weight instead of 32. A panel of 4 columns is decoded to float32 in a small buffer and multiplied
 * by retort_rows_times_weights. Decoding is exact (d·q needs at most 19 bits of a float's 24, then
 * one rounding of d·q + m), so the values, and with them every output bit, are those of the float32
 * matrix the GGUF loader dequantizes. */
#include "retort_kernels.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { BLOCK = 32, PANEL = 4, PANEL_ROWS = 3 };

/* IEEE binary16 to float32, exact (as Float(halfBits:) in Swift). */
static inline float half_to_float(const uint8_t *p) {
    uint16_t h = (uint16_t)(p[0] | (p[1] << 8));
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF, bits;
    if (exponent == 0) {
        float magnitude = (float)mantissa * 0x1p-24f;
        return sign ? -magnitude : magnitude;
    }
    bits = exponent == 0x1F ? (sign | 0x7F800000u | (mantissa << 13)) : (sign | ((exponent + 112) << 23) | (mantissa << 13));
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

int64_t retort_quantized_row_bytes(int format, int64_t k) {
    if (k <= 0 || k % BLOCK != 0) return -1;
    switch (format) {
    case RETORT_WEIGHTS_Q4_0: return k / BLOCK * 18;
    case RETORT_WEIGHTS_Q4_1: return k / BLOCK * 20;
    case RETORT_WEIGHTS_Q8_0: return k / BLOCK * 34;
    default: return -1;
    }
}

/* Q4_0 {f16 d; u8 qs[16]}: y[j] = ((qs[j] & 15) - 8)·d, y[j + 16] = ((qs[j] >> 4) - 8)·d. */
static void decode_q4_0(const uint8_t *row, int64_t blocks, float *y) {
    for (int64_t b = 0; b < blocks; b++, row += 18, y += BLOCK) {
        float d = half_to_float(row);
        for (int j = 0; j < 16; j++) {
            y[j] = (float)((row[2 + j] & 0x0F) - 8) * d;
            y[j + 16] = (float)((row[2 + j] >> 4) - 8) * d;
        }
    }
}

/* Q4_1 {f16 d, m; u8 qs[16]}: y[j] = (qs[j] & 15)·d + m, y[j + 16] = (qs[j] >> 4)·d + m. */
static void decode_q4_1(const uint8_t *row, int64_t blocks, float *y) {
    for (int64_t b = 0; b < blocks; b++, row += 20, y += BLOCK) {
        float d = half_to_float(row), m = half_to_float(row + 2);
        for (int j = 0; j < 16; j++) {
            y[j] = (float)(row[4 + j] & 0x0F) * d + m; /* d·q is exact: fused or not, one rounding */
            y[j + 16] = (float)(row[4 + j] >> 4) * d + m;
        }
    }
}

/* Q8_0 {f16 d; i8 qs[32]}: y[j] = qs[j]·d. */
static void decode_q8_0(const uint8_t *row, int64_t blocks, float *y) {
    for (int64_t b = 0; b < blocks; b++, row += 34, y += BLOCK) {
        float d = half_to_float(row);
        for (int j = 0; j < BLOCK; j++) y[j] = (float)(int8_t)row[2 + j] * d;
    }
}

#if defined(__x86_64__)
/* The reduction tree of retort_rows_times_weights (lane i + 8, then + 4, + 2, + 1). */
__attribute__((target("avx512f"))) static inline float reduce512_q(__m512 v) {
    __m256 a = _mm256_add_ps(_mm512_castps512_ps256(v), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    __m128 b = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    __m128 c = _mm_add_ps(b, _mm_movehl_ps(b, b));
    return _mm_cvtss_f32(_mm_add_ss(c, _mm_shuffle_ps(c, c, 1)));
}

__attribute__((target("avx512f,f16c"))) static inline __m512 broadcast_half(const uint8_t *p) {
    return _mm512_broadcastss_ps(_mm_cvtph_ps(_mm_cvtsi32_si128(p[0] | (p[1] << 8))));
}

__attribute__((target("avx512f,f16c"))) static void decode_q4_0_avx512(const uint8_t *row, int64_t blocks, float *y) {
    const __m512i low = _mm512_set1_epi32(0x0F), eight = _mm512_set1_epi32(8);
    for (int64_t b = 0; b < blocks; b++, row += 18, y += BLOCK) {
        __m512 d = broadcast_half(row);
        __m512i v = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(row + 2)));
        _mm512_storeu_ps(y, _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_and_si512(v, low), eight)), d));
        _mm512_storeu_ps(y + 16, _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_srli_epi32(v, 4), eight)), d));
    }
}

__attribute__((target("avx512f,f16c"))) static void decode_q4_1_avx512(const uint8_t *row, int64_t blocks, float *y) {
    const __m128i low = _mm_set1_epi8(0x0F);
    for (int64_t b = 0; b < blocks; b++, row += 20, y += BLOCK) {
        __m512 d = broadcast_half(row), m = broadcast_half(row + 2);
        __m128i q = _mm_loadu_si128((const __m128i *)(row + 4));
        __m512 lo = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_and_si128(q, low)));
        __m512 hi = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_and_si128(_mm_srli_epi16(q, 4), low)));
        _mm512_storeu_ps(y, _mm512_fmadd_ps(lo, d, m));
        _mm512_storeu_ps(y + 16, _mm512_fmadd_ps(hi, d, m));
    }
}

__attribute__((target("avx512f,f16c"))) static void decode_q8_0_avx512(const uint8_t *row, int64_t blocks, float *y) {
    for (int64_t b = 0; b < blocks; b++, row += 34, y += BLOCK) {
        __m512 d = broadcast_half(row);
        __m512 lo = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(row + 2))));
        __m512 hi = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(row + 18))));
        _mm512_storeu_ps(y, _mm512_mul_ps(lo, d));
        _mm512_storeu_ps(y + 16, _mm512_mul_ps(hi, d));
    }
}

/* One row (rows < PANEL_ROWS) against 4 columns: the blocks are decoded in registers and multiplied at
 * once, in the lanes and order of retort_rows_times_weights (block b feeds k positions 32b..32b+15,
 * then 32b+16..32b+31), so the sums are the same bits without the round trip through memory. The
 * scales come as floats (converted once), and the format is a constant in each specialization. */
__attribute__((target("avx512f"), always_inline)) static inline void fused_avx512(const float *x, const uint8_t *w,
                                                                              const float *scales, const int format,
                                                                              int64_t row_bytes, int64_t k, int64_t columns,
                                                                              float *y, int accumulate) {
    int64_t blocks = k / BLOCK;
    const __m512i low = _mm512_set1_epi32(0x0F), eight = _mm512_set1_epi32(8);
    for (int64_t o = 0; o < columns; o += 4) {
        int n = columns - o < 4 ? (int)(columns - o) : 4;
        __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
        const uint8_t *rowp[4];
        const float *scalep[4];
        for (int j = 0; j < 4; j++) {
            int64_t column = o + (j < n ? j : 0);
            rowp[j] = w + column * row_bytes;
            scalep[j] = scales + column * blocks * 2;
        }
        for (int64_t b = 0; b < blocks; b++) {
            __m512 x0 = _mm512_loadu_ps(x + b * BLOCK), x1 = _mm512_loadu_ps(x + b * BLOCK + 16);
            for (int j = 0; j < 4; j++) {
                __m512 lo, hi, d = _mm512_set1_ps(scalep[j][2 * b]);
                if (format == RETORT_WEIGHTS_Q4_0) {
                    __m512i v = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(rowp[j] + b * 18 + 2)));
                    lo = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_and_si512(v, low), eight)), d);
                    hi = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_srli_epi32(v, 4), eight)), d);
                } else if (format == RETORT_WEIGHTS_Q4_1) {
                    __m512 m = _mm512_set1_ps(scalep[j][2 * b + 1]);
                    __m512i v = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(rowp[j] + b * 20 + 4)));
                    lo = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_and_si512(v, low)), d, m);
                    hi = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_srli_epi32(v, 4)), d, m);
                } else {
                    const uint8_t *q = rowp[j] + b * 34;
                    lo = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(q + 2)))), d);
                    hi = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(q + 18)))), d);
                }
                acc[j] = _mm512_fmadd_ps(x1, hi, _mm512_fmadd_ps(x0, lo, acc[j]));
            }
        }
        for (int j = 0; j < n; j++) {
            float s = reduce512_q(acc[j]);
            y[o + j] = accumulate ? y[o + j] + s : s;
        }
    }
}

#define FUSED(NAME, FORMAT)                                                                                                \
    __attribute__((target("avx512f"))) static void NAME(const float *x, const uint8_t *w, const float *scales,            \
                                                        int64_t row_bytes, int64_t k, int64_t columns, float *y, int acc) { \
        fused_avx512(x, w, scales, FORMAT, row_bytes, k, columns, y, acc);                                                 \
    }
FUSED(fused_q4_0, RETORT_WEIGHTS_Q4_0)
FUSED(fused_q4_1, RETORT_WEIGHTS_Q4_1)
FUSED(fused_q8_0, RETORT_WEIGHTS_Q8_0)
#endif

void retort_quantized_scales(int format, const uint8_t *w, int64_t rows, int64_t k, float *scales) {
    int64_t row_bytes = retort_quantized_row_bytes(format, k), blocks = k / BLOCK, block_bytes = row_bytes / blocks;
    for (int64_t i = 0; i < rows * blocks; i++) {
        const uint8_t *block = w + i * block_bytes;
        scales[2 * i] = half_to_float(block);
        scales[2 * i + 1] = format == RETORT_WEIGHTS_Q4_1 ? half_to_float(block + 2) : 0;
    }
}

int retort_rows_times_quantized_weights(const float *inp, int64_t ldi, const uint8_t *w, const float *scales, int format,
                                        float *out, int64_t ldo, int64_t rows, int64_t k, int64_t o_begin, int64_t o_end,
                                        int accumulate) {
    int64_t row_bytes = retort_quantized_row_bytes(format, k);
    if (row_bytes < 0) return -1;
    if (rows <= 0 || o_end <= o_begin) return 0;
#if defined(__x86_64__)
    if (rows < PANEL_ROWS && retort_kernels_use_avx512()) {
        void (*fused)(const float *, const uint8_t *, const float *, int64_t, int64_t, int64_t, float *, int) =
            format == RETORT_WEIGHTS_Q4_0 ? fused_q4_0 : format == RETORT_WEIGHTS_Q4_1 ? fused_q4_1 : fused_q8_0;
        for (int64_t r = 0; r < rows; r++)
            fused(inp + r * ldi, w + o_begin * row_bytes, scales + o_begin * (k / BLOCK) * 2, row_bytes, k, o_end - o_begin,
                  out + r * ldo + o_begin, accumulate);
        return 0;
    }
#endif
    void (*decode)(const uint8_t *, int64_t, float *) =
        format == RETORT_WEIGHTS_Q4_0 ? decode_q4_0 : format == RETORT_WEIGHTS_Q4_1 ? decode_q4_1 : decode_q8_0;
#if defined(__x86_64__)
    if (retort_kernels_use_avx512())
        decode = format == RETORT_WEIGHTS_Q4_0 ? decode_q4_0_avx512 : format == RETORT_WEIGHTS_Q4_1 ? decode_q4_1_avx512 : decode_q8_0_avx512;
#endif
    float *panel = malloc((size_t)(PANEL * k) * sizeof(float));
    if (!panel) return -2;
    for (int64_t o = o_begin; o < o_end; o += PANEL) {
        int64_t n = o_end - o < PANEL ? o_end - o : PANEL;
        for (int64_t j = 0; j < n; j++) decode(w + (o + j) * row_bytes, k / BLOCK, panel + j * k);
        retort_rows_times_weights(inp, ldi, panel, k, out + o, ldo, rows, k, 0, n, accumulate);
    }
    free(panel);
    return 0;
}
