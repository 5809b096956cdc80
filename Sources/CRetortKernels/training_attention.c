/* Training attention, one query row of one key/value group at a time: the forward saves each head's
 * log-sum-exp, and the backward recomputes the probabilities from it (FlashAttention's trade) and
 * adds the row's gradients to dq, dk and dv. Each key and value row is read once per group of query
 * heads, per-head sums stay in registers, and the portable path does the same operations in the same
 * order as the AVX-512 one, so both give the same bits. */
#include "retort_kernels.h"

#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { LANES = 16 };

/* Lane i + 8, then + 4, + 2, + 1 (the tree every kernel of this target uses). */
static inline float tree16(const float *v) {
    float a[8], b[4], c[2];
    for (int i = 0; i < 8; i++) a[i] = v[i] + v[i + 8];
    for (int i = 0; i < 4; i++) b[i] = a[i] + a[i + 4];
    for (int i = 0; i < 2; i++) c[i] = b[i] + b[i + 2];
    return c[0] + c[1];
}

/* x · y over d floats: 16 lanes of fused multiply-adds, then the tree. */
static inline float dot_portable(const float *x, const float *y, int64_t d) {
    float lanes[LANES] = {0};
    for (int64_t p = 0; p < d; p += LANES) {
        int64_t n = d - p < LANES ? d - p : LANES;
        for (int64_t l = 0; l < n; l++) lanes[l] = __builtin_fmaf(x[p + l], y[p + l], lanes[l]);
    }
    return tree16(lanes);
}

/* y += a · x over d floats. */
static inline void axpy_portable(float *y, float a, const float *x, int64_t d) {
    for (int64_t i = 0; i < d; i++) y[i] = __builtin_fmaf(a, x[i], y[i]);
}

#if defined(__x86_64__)
__attribute__((target("avx512f"))) static inline float tree512(__m512 v) {
    __m256 a = _mm256_add_ps(_mm512_castps512_ps256(v), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    __m128 b = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    __m128 c = _mm_add_ps(b, _mm_movehl_ps(b, b));
    return _mm_cvtss_f32(_mm_add_ss(c, _mm_shuffle_ps(c, c, 1)));
}

__attribute__((target("avx512f"))) static inline __mmask16 lane_mask(int64_t d, int64_t p) {
    return d - p >= LANES ? (__mmask16)0xFFFF : (__mmask16)((1u << (d - p)) - 1u);
}

__attribute__((target("avx512f"))) static inline float dot_avx512(const float *x, const float *y, int64_t d) {
    __m512 acc = _mm512_setzero_ps();
    for (int64_t p = 0; p < d; p += LANES) {
        __mmask16 m = lane_mask(d, p);
        acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, x + p), _mm512_maskz_loadu_ps(m, y + p), acc);
    }
    return tree512(acc);
}

__attribute__((target("avx512f"))) static inline void axpy_avx512(float *y, float a, const float *x, int64_t d) {
    __m512 w = _mm512_set1_ps(a);
    for (int64_t p = 0; p < d; p += LANES) {
        __mmask16 m = lane_mask(d, p);
        _mm512_mask_storeu_ps(y + p, m, _mm512_fmadd_ps(w, _mm512_maskz_loadu_ps(m, x + p), _mm512_maskz_loadu_ps(m, y + p)));
    }
}
#endif

/* Both row kernels, written once over DOT and AXPY and instantiated for each path (so the primitives
 * inline into the loops instead of being called through pointers). */
#define TRAINING_ATTENTION_ROWS(SUFFIX, ATTRIBUTES, DOT, AXPY)                                                          \
    ATTRIBUTES static void forward_##SUFFIX(const float *q, const float *keys, const float *values, int64_t stride,    \
                                            int64_t length, int64_t group, int64_t d, float scale, float *out,        \
                                            float *lse, int64_t lse_stride, float *scores) {                          \
        for (int64_t g = 0; g < group; g++) {                                                                         \
            const float *query = q + g * d;                                                                           \
            float top = -INFINITY;                                                                                    \
            for (int64_t j = 0; j < length; j++) {                                                                    \
                scores[j] = DOT(query, keys + j * stride, d) * scale;                                                 \
                top = scores[j] > top ? scores[j] : top;                                                              \
            }                                                                                                         \
            float sum = 0;                                                                                            \
            for (int64_t j = 0; j < length; j++) {                                                                    \
                scores[j] = expf(scores[j] - top);                                                                    \
                sum += scores[j];                                                                                     \
            }                                                                                                         \
            float inverse = 1 / sum, *o = out + g * d;                                                                \
            for (int64_t i = 0; i < d; i++) o[i] = 0;                                                                 \
            for (int64_t j = 0; j < length; j++) AXPY(o, scores[j] * inverse, values + j * stride, d);                \
            lse[g * lse_stride] = top + logf(sum);                                                                    \
        }                                                                                                             \
    }                                                                                                                 \
                                                                                                                      \
    ATTRIBUTES static void backward_##SUFFIX(const float *q, const float *dy, const float *y, const float *lse,        \
                                             int64_t lse_stride, const float *keys, const float *values,              \
                                             int64_t stride, int64_t length, int64_t group, int64_t d, float scale,   \
                                             float *dq, float *dkeys, float *dvalues, float *scratch) {               \
        float *p = scratch, *ds = scratch + group * length;                                                           \
        for (int64_t g = 0; g < group; g++) {                                                                         \
            const float *query = q + g * d, *dout = dy + g * d;                                                       \
            float l = lse[g * lse_stride];                                                                            \
            /* softmax backward needs Σ_j p_j dp_j = Σ_j p_j (dy · v_j) = dy · out */                                 \
            float dyDotOut = DOT(dout, y + g * d, d);                                                                 \
            for (int64_t j = 0; j < length; j++) {                                                                    \
                /* p_j = exp(q · k_j · scale − lse); dp_j = dy · v_j; dscore_j = p_j (dp_j − dy · out) */             \
                /* two statements: one expression would let the compiler fuse it into an FMA on one path only */   \
                float score = DOT(query, keys + j * stride, d) * scale;                                               \
                float pj = expf(score - l);                                                                           \
                float dp = DOT(dout, values + j * stride, d);                                                         \
                p[g * length + j] = pj;                                                                               \
                ds[g * length + j] = pj * (dp - dyDotOut) * scale;                                                    \
            }                                                                                                         \
            /* score_j = q · k_j · scale: dq += Σ_j dscore_j · scale · k_j */                                         \
            for (int64_t j = 0; j < length; j++) AXPY(dq + g * d, ds[g * length + j], keys + j * stride, d);          \
        }                                                                                                             \
        /* out = Σ_j p_j v_j: dv_j += p_j dy; and dk_j += dscore_j · scale · q, head after head */                    \
        for (int64_t j = 0; j < length; j++) {                                                                        \
            float *dk = dkeys + j * stride, *dv = dvalues + j * stride;                                               \
            for (int64_t g = 0; g < group; g++) {                                                                     \
                AXPY(dv, p[g * length + j], dy + g * d, d);                                                           \
                AXPY(dk, ds[g * length + j], q + g * d, d);                                                           \
            }                                                                                                         \
        }                                                                                                             \
    }

TRAINING_ATTENTION_ROWS(portable, , dot_portable, axpy_portable)
#if defined(__x86_64__)
TRAINING_ATTENTION_ROWS(avx512, __attribute__((target("avx512f"))), dot_avx512, axpy_avx512)
#endif

int retort_attention_forward_row(const float *q, const float *keys, const float *values, int64_t stride, int64_t length,
                                 int64_t group, int64_t d, float scale, float *out, float *lse, int64_t lse_stride,
                                 float *scores) {
    if (length <= 0 || group <= 0 || d <= 0) return -1;
#if defined(__x86_64__)
    if (retort_kernels_use_avx512()) {
        forward_avx512(q, keys, values, stride, length, group, d, scale, out, lse, lse_stride, scores);
        return 0;
    }
#endif
    forward_portable(q, keys, values, stride, length, group, d, scale, out, lse, lse_stride, scores);
    return 0;
}

int retort_attention_backward_row(const float *q, const float *dy, const float *y, const float *lse, int64_t lse_stride,
                                  const float *keys, const float *values, int64_t stride, int64_t length, int64_t group,
                                  int64_t d, float scale, float *dq, float *dkeys, float *dvalues, float *scratch) {
    if (length <= 0 || group <= 0 || d <= 0) return -1;
#if defined(__x86_64__)
    if (retort_kernels_use_avx512()) {
        backward_avx512(q, dy, y, lse, lse_stride, keys, values, stride, length, group, d, scale, dq, dkeys, dvalues, scratch);
        return 0;
    }
#endif
    backward_portable(q, dy, y, lse, lse_stride, keys, values, stride, length, group, d, scale, dq, dkeys, dvalues, scratch);
    return 0;
}
