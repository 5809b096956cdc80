/* Brings oneDNN's C API (Debian: libdnnl-dev) into Swift: its float32 sgemm and its bfloat16
 * matmul (AVX512-BF16 or AMX kernels) are GEMM backends of RetortTensor on Linux. */
#include <oneapi/dnnl/dnnl.h>
