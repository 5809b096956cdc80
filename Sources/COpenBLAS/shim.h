/* Brings OpenBLAS's CBLAS interface (Debian: libopenblas-dev) into Swift: the portable GEMM
 * backend of RetortTensor on Linux. macOS uses Accelerate instead. */
#include <cblas.h>
