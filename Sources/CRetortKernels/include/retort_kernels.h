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

/* 1 when the AVX-512 path is in use, 0 for the portable one. */
int retort_kernels_use_avx512(void);

#endif
