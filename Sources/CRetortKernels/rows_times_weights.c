/* Rows times a transposed weight matrix for inference (decode steps and prompts). A BLAS sgemm packs
 * the weight matrix on every call, which for a few rows costs more than the product, and switches to
 * other kernels for small shapes, which sum in another order. Here each output is a dot product
 * accumulated in 16 lanes over k (fused multiply-add), the lanes then reduced in a fixed tree: the
 * order depends on k only. Blocks of 4 columns x 2 rows share their loads, and a column block is
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
__attribute__((target("avx512f"))) static inline float reduce512(__m512 v) {
    float lanes[LANES];
    _mm512_storeu_ps(lanes, v);
    return reduce16(lanes);
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
        for (; r + 2 <= rows; r += 2) {
            const float *x0 = inp + r * ldi, *x1 = x0 + ldi;
            __m512 a00 = _mm512_setzero_ps(), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
            for (int64_t p = 0; p < k; p += LANES) {
                __mmask16 m = p < full ? (__mmask16)0xFFFF : tail;
                __m512 v0 = _mm512_maskz_loadu_ps(m, x0 + p), v1 = _mm512_maskz_loadu_ps(m, x1 + p);
                __m512 c0 = _mm512_maskz_loadu_ps(m, w0 + p), c1 = _mm512_maskz_loadu_ps(m, w1 + p);
                __m512 c2 = _mm512_maskz_loadu_ps(m, w2 + p), c3 = _mm512_maskz_loadu_ps(m, w3 + p);
                a00 = _mm512_fmadd_ps(v0, c0, a00); a01 = _mm512_fmadd_ps(v0, c1, a01);
                a02 = _mm512_fmadd_ps(v0, c2, a02); a03 = _mm512_fmadd_ps(v0, c3, a03);
                a10 = _mm512_fmadd_ps(v1, c0, a10); a11 = _mm512_fmadd_ps(v1, c1, a11);
                a12 = _mm512_fmadd_ps(v1, c2, a12); a13 = _mm512_fmadd_ps(v1, c3, a13);
            }
            float s[8] = {reduce512(a00), reduce512(a01), reduce512(a02), reduce512(a03),
                          reduce512(a10), reduce512(a11), reduce512(a12), reduce512(a13)};
            for (int j = 0; j < 4; j++) {
                float *y0 = out + r * ldo + o + j, *y1 = y0 + ldo;
                *y0 = accumulate ? *y0 + s[j] : s[j];
                *y1 = accumulate ? *y1 + s[4 + j] : s[4 + j];
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

int retort_kernels_use_avx512(void) {
#if defined(__x86_64__)
    /* Workers call this concurrently: atomic loads and stores of one int (all compute the same value). */
    static int cached = -1;
    int value = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (value < 0) {
        __builtin_cpu_init();
        value = __builtin_cpu_supports("avx512f") ? 1 : 0;
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
