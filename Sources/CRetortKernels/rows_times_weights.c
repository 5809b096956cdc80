/* Rows times a transposed weight matrix for inference (decode steps and prompts). A BLAS sgemm packs
 * the weight matrix on every call, which for a few rows costs more than the product, and switches to
 * other kernels for small shapes, which sum in another order. Here each output is a dot product
 * accumulated in 16 lanes over k (fused multiply-add), the lanes then reduced in a fixed tree: the
 * order depends on k only. Blocks of 4 columns x 4 rows share their loads, and a column block is
 * reused from L1 across all rows. */
#include "retort_kernels.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { LANES = 16 };

/* The fixed reduction tree of 16 lanes, shared by both paths so they agree on shape. */
static inline float reduce16(const float *v) {
    float a[8], b[4], c[2];
    for (int i = 0; i < 8; i++) a[i] = v[i] + v[i + 8];
    for (int i = 0; i < 4; i++) b[i] = a[i] + a[i + 4];
    for (int i = 0; i < 2; i++) c[i] = b[i] + b[i + 2];
    return c[0] + c[1];
}

static void portable(const float *inp, int64_t ldi, const float *w, int64_t ldw, float *out, int64_t ldo,
                     int64_t rows, int64_t k, int64_t o_begin, int64_t o_end, int accumulate) {
    for (int64_t o = o_begin; o < o_end; o++) {
        const float *wo = w + o * ldw;
        for (int64_t r = 0; r < rows; r++) {
            const float *x = inp + r * ldi;
            float lanes[LANES] = {0};
            for (int64_t p = 0; p < k; p += LANES) {
                int64_t n = k - p < LANES ? k - p : LANES;
                for (int64_t l = 0; l < n; l++) lanes[l] = __builtin_fmaf(x[p + l], wo[p + l], lanes[l]);
            }
            float sum = reduce16(lanes);
            out[r * ldo + o] = accumulate ? out[r * ldo + o] + sum : sum;
        }
    }
}

#if defined(__x86_64__)
/* reduce16's tree in registers: halves added lane by lane, the same additions in the same order. */
__attribute__((target("avx512f"))) static inline float reduce512(__m512 v) {
    __m256 a = _mm256_add_ps(_mm512_castps512_ps256(v), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    __m128 b = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    __m128 c = _mm_add_ps(b, _mm_movehl_ps(b, b));
    return _mm_cvtss_f32(_mm_add_ss(c, _mm_shuffle_ps(c, c, 1)));
}

__attribute__((target("avx512f"))) static void avx512(const float *inp, int64_t ldi, const float *w, int64_t ldw, float *out,
                                                      int64_t ldo, int64_t rows, int64_t k, int64_t o_begin, int64_t o_end,
                                                      int accumulate) {
    int64_t full = k / LANES * LANES;
    __mmask16 tail = (__mmask16)((1u << (k - full)) - 1u);
    int64_t o = o_begin;
    for (; o + 4 <= o_end; o += 4) {
        const float *w0 = w + o * ldw, *w1 = w0 + ldw, *w2 = w1 + ldw, *w3 = w2 + ldw;
        int64_t r = 0;
        for (; r + 4 <= rows; r += 4) {
            const float *x0 = inp + r * ldi, *x1 = x0 + ldi, *x2 = x1 + ldi, *x3 = x2 + ldi;
            __m512 acc[4][4];
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++) acc[i][j] = _mm512_setzero_ps();
            for (int64_t p = 0; p < k; p += LANES) {
                __mmask16 m = p < full ? (__mmask16)0xFFFF : tail;
                __m512 c0 = _mm512_maskz_loadu_ps(m, w0 + p), c1 = _mm512_maskz_loadu_ps(m, w1 + p);
                __m512 c2 = _mm512_maskz_loadu_ps(m, w2 + p), c3 = _mm512_maskz_loadu_ps(m, w3 + p);
                __m512 v[4] = {_mm512_maskz_loadu_ps(m, x0 + p), _mm512_maskz_loadu_ps(m, x1 + p),
                               _mm512_maskz_loadu_ps(m, x2 + p), _mm512_maskz_loadu_ps(m, x3 + p)};
                for (int i = 0; i < 4; i++) {
                    acc[i][0] = _mm512_fmadd_ps(v[i], c0, acc[i][0]);
                    acc[i][1] = _mm512_fmadd_ps(v[i], c1, acc[i][1]);
                    acc[i][2] = _mm512_fmadd_ps(v[i], c2, acc[i][2]);
                    acc[i][3] = _mm512_fmadd_ps(v[i], c3, acc[i][3]);
                }
            }
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++) {
                    float s = reduce512(acc[i][j]), *y = out + (r + i) * ldo + o + j;
                    *y = accumulate ? *y + s : s;
                }
        }
        for (; r < rows; r++) {
            const float *x0 = inp + r * ldi;
            __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
            for (int64_t p = 0; p < k; p += LANES) {
                __mmask16 m = p < full ? (__mmask16)0xFFFF : tail;
                __m512 v0 = _mm512_maskz_loadu_ps(m, x0 + p);
                a0 = _mm512_fmadd_ps(v0, _mm512_maskz_loadu_ps(m, w0 + p), a0);
                a1 = _mm512_fmadd_ps(v0, _mm512_maskz_loadu_ps(m, w1 + p), a1);
                a2 = _mm512_fmadd_ps(v0, _mm512_maskz_loadu_ps(m, w2 + p), a2);
                a3 = _mm512_fmadd_ps(v0, _mm512_maskz_loadu_ps(m, w3 + p), a3);
            }
            float s[4] = {reduce512(a0), reduce512(a1), reduce512(a2), reduce512(a3)};
            for (int j = 0; j < 4; j++) {
                float *y = out + r * ldo + o + j;
                *y = accumulate ? *y + s[j] : s[j];
            }
        }
    }
    for (; o < o_end; o++) {
        const float *w0 = w + o * ldw;
        for (int64_t r = 0; r < rows; r++) {
            const float *x0 = inp + r * ldi;
            __m512 a0 = _mm512_setzero_ps();
            for (int64_t p = 0; p < k; p += LANES) {
                __mmask16 m = p < full ? (__mmask16)0xFFFF : tail;
                a0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, x0 + p), _mm512_maskz_loadu_ps(m, w0 + p), a0);
            }
            float s = reduce512(a0);
            float *y = out + r * ldo + o;
            *y = accumulate ? *y + s : s;
        }
    }
}
#endif

static int forced_portable = 0;

void retort_kernels_force_portable(int on) { __atomic_store_n(&forced_portable, on ? 1 : 0, __ATOMIC_RELAXED); }

int retort_kernels_use_avx512(void) {
#if defined(__x86_64__)
    if (__atomic_load_n(&forced_portable, __ATOMIC_RELAXED)) return 0;
    /* Workers call this concurrently: atomic loads and stores of one int (all compute the same value). */
    static int cached = -1;
    int value = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (value < 0) {
        __builtin_cpu_init();
        value = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("f16c") ? 1 : 0;
        __atomic_store_n(&cached, value, __ATOMIC_RELAXED);
    }
    return value;
#else
    return 0;
#endif
}

void retort_rows_times_weights(const float *inp, int64_t ldi, const float *w, int64_t ldw, float *out, int64_t ldo,
                               int64_t rows, int64_t k, int64_t o_begin, int64_t o_end, int accumulate) {
    if (rows <= 0 || o_end <= o_begin) return;
#if defined(__x86_64__)
    if (retort_kernels_use_avx512()) {
        avx512(inp, ldi, w, ldw, out, ldo, rows, k, o_begin, o_end, accumulate);
        return;
    }
#endif
    portable(inp, ldi, w, ldw, out, ldo, rows, k, o_begin, o_end, accumulate);
}
