/* Attention of one new token's query heads that share a key/value head over a cache (decode steps and
 * prompts). Each key and value row is read once for the whole group of query heads, and the weighted
 * sum of values stays in registers. The order of every sum depends on the head width and the length
 * only, so a row's output does not depend on what else the step holds; the portable path does the
 * same operations in the same order, so both paths give the same bits. */
#include "retort_kernels.h"

#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { LANES = 16, GROUP_CHUNK = 4, WIDTH_CHUNK = 64 };

/* Lane i + 8, then + 4, + 2, + 1: the tree of retort_rows_times_weights. */
static inline float reduce16(const float *v) {
    float a[8], b[4], c[2];
    for (int i = 0; i < 8; i++) a[i] = v[i] + v[i + 8];
    for (int i = 0; i < 4; i++) b[i] = a[i] + a[i + 4];
    for (int i = 0; i < 2; i++) c[i] = b[i] + b[i + 2];
    return c[0] + c[1];
}

/* scores[j] = exp(s_j - max) for s_j = scale · q·k_j, returns their sum. */
static float softmax_numerators(float *scores, int64_t length) {
    float top = -INFINITY, sum = 0;
    for (int64_t j = 0; j < length; j++) top = scores[j] > top ? scores[j] : top;
    for (int64_t j = 0; j < length; j++) {
        scores[j] = expf(scores[j] - top);
        sum += scores[j];
    }
    return sum;
}

static void portable(const float *q, const float *keys, const float *values, int64_t stride, int64_t length, int64_t group,
                     int64_t d, float scale, float *out, float *scores) {
    for (int64_t g = 0; g < group; g++) {
        const float *query = q + g * d;
        float *s = scores + g * length;
        for (int64_t j = 0; j < length; j++) {
            const float *key = keys + j * stride;
            float lanes[LANES] = {0};
            for (int64_t p = 0; p < d; p += LANES) {
                int64_t n = d - p < LANES ? d - p : LANES;
                for (int64_t l = 0; l < n; l++) lanes[l] = __builtin_fmaf(query[p + l], key[p + l], lanes[l]);
            }
            s[j] = reduce16(lanes) * scale;
        }
        float inverse = 1 / softmax_numerators(s, length);
        float *o = out + g * d;
        for (int64_t i = 0; i < d; i++) o[i] = 0;
        for (int64_t j = 0; j < length; j++) {
            const float *value = values + j * stride;
            float weight = s[j] * inverse;
            for (int64_t i = 0; i < d; i++) o[i] = __builtin_fmaf(weight, value[i], o[i]);
        }
    }
}

#if defined(__x86_64__)
__attribute__((target("avx512f"))) static inline float reduce512(__m512 v) {
    __m256 a = _mm256_add_ps(_mm512_castps512_ps256(v), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    __m128 b = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    __m128 c = _mm_add_ps(b, _mm_movehl_ps(b, b));
    return _mm_cvtss_f32(_mm_add_ss(c, _mm_shuffle_ps(c, c, 1)));
}

__attribute__((target("avx512f"))) static void avx512(const float *q, const float *keys, const float *values, int64_t stride,
                                                      int64_t length, int64_t group, int64_t d, float scale, float *out,
                                                      float *scores) {
    int64_t full = d / LANES * LANES;
    __mmask16 tail = (__mmask16)((1u << (d - full)) - 1u);
    /* Scores, a group chunk at a time: each key row is loaded once for the chunk's heads. */
    for (int64_t g0 = 0; g0 < group; g0 += GROUP_CHUNK) {
        int64_t gn = group - g0 < GROUP_CHUNK ? group - g0 : GROUP_CHUNK;
        for (int64_t j = 0; j < length; j++) {
            const float *key = keys + j * stride;
            __m512 acc[GROUP_CHUNK] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
            for (int64_t p = 0; p < d; p += LANES) {
                __mmask16 m = p < full ? (__mmask16)0xFFFF : tail;
                __m512 k = _mm512_maskz_loadu_ps(m, key + p);
                for (int64_t g = 0; g < gn; g++) acc[g] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, q + (g0 + g) * d + p), k, acc[g]);
            }
            for (int64_t g = 0; g < gn; g++) scores[(g0 + g) * length + j] = reduce512(acc[g]) * scale;
        }
    }
    float *inverse = scores + group * length;
    for (int64_t g = 0; g < group; g++) inverse[g] = 1 / softmax_numerators(scores + g * length, length);
    /* Weighted values, a (group chunk, width chunk) tile of sums at a time held in registers. */
    for (int64_t g0 = 0; g0 < group; g0 += GROUP_CHUNK) {
        int64_t gn = group - g0 < GROUP_CHUNK ? group - g0 : GROUP_CHUNK;
        for (int64_t c0 = 0; c0 < d; c0 += WIDTH_CHUNK) {
            int64_t cn = d - c0 < WIDTH_CHUNK ? d - c0 : WIDTH_CHUNK, vectors = (cn + LANES - 1) / LANES;
            __mmask16 masks[WIDTH_CHUNK / LANES];
            for (int64_t v = 0; v < vectors; v++) {
                int64_t n = cn - v * LANES < LANES ? cn - v * LANES : LANES;
                masks[v] = (__mmask16)((1u << n) - 1u);
            }
            __m512 acc[GROUP_CHUNK][WIDTH_CHUNK / LANES];
            for (int64_t g = 0; g < GROUP_CHUNK; g++)
                for (int64_t v = 0; v < WIDTH_CHUNK / LANES; v++) acc[g][v] = _mm512_setzero_ps();
            for (int64_t j = 0; j < length; j++) {
                const float *value = values + j * stride + c0;
                for (int64_t v = 0; v < vectors; v++) {
                    __m512 x = _mm512_maskz_loadu_ps(masks[v], value + v * LANES);
                    for (int64_t g = 0; g < gn; g++) {
                        __m512 weight = _mm512_set1_ps(scores[(g0 + g) * length + j] * inverse[g0 + g]);
                        acc[g][v] = _mm512_fmadd_ps(weight, x, acc[g][v]);
                    }
                }
            }
            for (int64_t g = 0; g < gn; g++)
                for (int64_t v = 0; v < vectors; v++) _mm512_mask_storeu_ps(out + (g0 + g) * d + c0 + v * LANES, masks[v], acc[g][v]);
        }
    }
}
#endif

int retort_cached_attention(const float *q, const float *keys, const float *values, int64_t stride, int64_t length,
                            int64_t group, int64_t d, float scale, float *out, float *scores) {
    if (length <= 0 || group <= 0 || d <= 0) return -1;
#if defined(__x86_64__)
    if (retort_kernels_use_avx512()) {
        avx512(q, keys, values, stride, length, group, d, scale, out, scores);
        return 0;
    }
#endif
    portable(q, keys, values, stride, length, group, d, scale, out, scores);
    return 0;
}
