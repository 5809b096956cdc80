/* Hand-written kernels of RetortTensor that BLAS does not offer in the form inference needs. */
#ifndef RETORT_KERNELS_H
#define RETORT_KERNELS_H

#include <stdint.h>

/* out[r * ldo + o] (+)= sum_k inp[r * ldi + k] * w[o * ldw + k] for rows r in [0, rows) and output
 * columns o in [o_begin, o_end): rows times the transpose of a (columns, k) weight matrix.
 * Every output is summed in one fixed order that depends on k alone, never on rows or on the column
 * range, so a row's result is the same bit for bit whatever other rows or threads share the call.
 * accumulate = 0 overwrites out, 1 adds to it. Uses AVX-512 when the CPU has it. */
void retort_rows_times_weights(const float *inp, int64_t ldi, const float *w, int64_t ldw, float *out, int64_t ldo,
                               int64_t rows, int64_t k, int64_t o_begin, int64_t o_end, int accumulate);

/* ggml block formats retort_rows_times_quantized_weights reads (32 weights a block). */
enum { RETORT_WEIGHTS_Q4_0 = 1, RETORT_WEIGHTS_Q4_1 = 2, RETORT_WEIGHTS_Q8_0 = 3 };

/* Bytes of one weight row of k elements in `format`, or -1 when k is not a positive multiple of 32
 * or the format is unknown. */
int64_t retort_quantized_row_bytes(int format, int64_t k);

/* The scales of a (rows, k) matrix in ggml blocks as floats, two per block (d, then m or 0), block
 * after block: scales holds rows * (k / 32) * 2 floats. k must be a valid width for the format. */
void retort_quantized_scales(int format, const uint8_t *w, int64_t rows, int64_t k, float *scales);

/* retort_rows_times_weights with w a (columns, k) matrix in ggml blocks, row o at
 * w + o * retort_quantized_row_bytes(format, k), and its scales from retort_quantized_scales. The
 * outputs are the same bits as the product with the float32 matrix those blocks dequantize to.
 * Returns 0, -1 for a bad format or k, -2 when out of memory (out untouched in both cases). */
int retort_rows_times_quantized_weights(const float *inp, int64_t ldi, const uint8_t *w, const float *scales, int format,
                                        float *out, int64_t ldo, int64_t rows, int64_t k, int64_t o_begin, int64_t o_end,
                                        int accumulate);

/* Attention of `group` query heads (q: group x d, contiguous) that share one key/value head, over
 * `length` cached positions: keys and values hold row j at keys + j * stride. out (group x d) gets
 * softmax(scale · q k^T) v for each head. scores is scratch of group * (length + 1) floats. The order
 * of every sum depends on d and length alone. Returns 0, or -1 when a size is not positive. */
int retort_cached_attention(const float *q, const float *keys, const float *values, int64_t stride, int64_t length,
                            int64_t group, int64_t d, float scale, float *out, float *scores);

/* A parallel region's body: handles items [begin, end). */
typedef void (*retort_range_fn)(void *context, int64_t begin, int64_t end);

/* Runs fn over [0, count) split into contiguous parts, one per thread of a pool of `threads` (the
 * caller included; the first call sizes the pool), and returns 1 when all are done. Returns 0 without
 * calling fn when it cannot: fewer than 2 threads or items, a call from inside a region, or another
 * thread's region running; the caller then splits the work its own way. */
int retort_pool_run(int threads, int64_t count, retort_range_fn fn, void *context);

/* Sends the pool's spinning workers to sleep until the next region: call before handing the cores
 * to another library's threads (a BLAS call), which spinning workers would slow. */
void retort_pool_hush(void);

/* 1 when the AVX-512 path is in use, 0 for the portable one. */
int retort_kernels_use_avx512(void);

/* With 1, every kernel takes its portable path even where AVX-512 exists (both give the same bits;
 * tests compare them). 0 restores the choice by CPU. */
void retort_kernels_force_portable(int on);

/* out[i] = x[i] rounded to bfloat16 (the upper 16 bits of a float32), nearest with ties to even, for
 * i in [0, n). NaN stays NaN (quiet); infinities stay infinite; values past the largest bfloat16
 * round to infinity, as in every bfloat16 conversion. */
void retort_float_to_bfloat16(const float *x, uint16_t *out, int64_t n);

/* Training attention for query row t of one key/value group: q (group x d, contiguous) attends to the
 * `length` visible keys and values at keys + j * stride (j = 0 is the first visible one). out (group x d)
 * gets softmax(scale · q k^T) v and lse[g * lse_stride] each head's log-sum-exp of its scores. scores
 * is scratch of `length` floats. Returns 0, or -1 when a size is not positive. */
int retort_attention_forward_row(const float *q, const float *keys, const float *values, int64_t stride, int64_t length,
                                 int64_t group, int64_t d, float scale, float *out, float *lse, int64_t lse_stride,
                                 float *scores);

/* Backward of retort_attention_forward_row for the same row: dy and y are the gradient and the output
 * (group x d), lse the forward's. Adds to dq (group x d) and to the rows of dkeys and dvalues (laid out
 * like keys and values). scratch holds 2 * group * length floats. Returns 0, or -1 as above. */
int retort_attention_backward_row(const float *q, const float *dy, const float *y, const float *lse, int64_t lse_stride,
                                  const float *keys, const float *values, int64_t stride, int64_t length, int64_t group,
                                  int64_t d, float scale, float *dq, float *dkeys, float *dvalues, float *scratch);

#endif
