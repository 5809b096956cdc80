"""Writes reference.safetensors with the Hugging Face `safetensors` library (pip install
safetensors numpy), so Retort's reader is checked against an independent writer.
Run from this folder: python3 make_safetensors_fixture.py"""
import numpy as np
from safetensors.numpy import save_file

tensors = {
    "weight.f32": (np.arange(6, dtype=np.float32).reshape(2, 3) * 0.5 - 1.0),
    "weight.f16": np.array([1.0, -2.5, 65504.0, 6.103515625e-05, 5.960464477539063e-08, 0.1], dtype=np.float16),
    "weight.f64": np.array([[3.25], [-0.125]], dtype=np.float64),
    "ids.i64": np.array([-1, 2**40, 7], dtype=np.int64),
    "ids.i32": np.array([[1, -2], [3, 2**31 - 1]], dtype=np.int32),
    "empty": np.zeros((0, 4), dtype=np.float32),
}
save_file(tensors, "reference.safetensors", metadata={"format": "np", "made_by": "make_safetensors_fixture.py"})
