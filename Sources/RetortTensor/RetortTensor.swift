// RetortTensor: float32 tensors, the GEMM backend, ops with explicit backward, optimizers.
