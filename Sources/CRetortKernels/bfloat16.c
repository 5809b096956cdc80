/* float32 → bfloat16 rounding for the mixed-precision matrix products: a bit manipulation the
 * compiler turns into vector code, so no CPU-specific intrinsics are needed. */
#include "retort_kernels.h"
#include <string.h>

void retort_float_to_bfloat16(const float *x, uint16_t *out, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        uint32_t bits;
        memcpy(&bits, &x[i], sizeof bits);
        /* adding 0x7fff plus the lowest kept bit rounds to nearest, ties to even */
        uint32_t rounded = (bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16;
        /* NaN: keep the sign and exponent, force a quiet mantissa bit (rounding could carry into
         * the exponent and turn a NaN into infinity) */
        int is_nan = (bits & 0x7fffffffu) > 0x7f800000u;
        out[i] = is_nan ? (uint16_t)((bits >> 16) | 0x0040u) : (uint16_t)rounded;
    }
}
