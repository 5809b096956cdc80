#!/usr/bin/env python3
# Writes the GGUF reference fixtures for GGUF*Tests.swift with the `gguf` Python package
# (pip install gguf numpy; made with gguf 0.19.0):
#   reference.gguf            metadata of every GGUF value type (arrays, nested arrays) and small
#                             tensors in F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 (quantized by
#                             gguf.quants) and Q2_K…Q6_K (random blocks with sane scales; gguf
#                             cannot quantize K-quants), general.alignment = 64
#   reference_gguf.json       every tensor's type, dims and values as gguf.quants.dequantize gives
#                             them, plus Q8_0/Q4_0 quantization cases (input, bytes, dequantized)
#   smollm2_stats.json        (--smollm2 PATH) first 16 values, sum and sum of squares of a few
#                             tensors of SmolLM2-135M-Instruct.Q4_1.gguf, dequantized by gguf
# Run from this folder: python3 make_gguf_fixtures.py [--smollm2 /path/to/SmolLM2-135M-Instruct.Q4_1.gguf]
import json
import os
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from gguf.quants import quantize, dequantize

HERE = os.path.dirname(os.path.abspath(__file__))


def floats(a):
    # float32 values written as the shortest decimal that reads back as the same float32 via Double
    return [float(x) for x in np.asarray(a, dtype=np.float32).ravel()]


def k_quant_blocks(rng, qtype, n_blocks):
    """Random K-quant blocks whose f16 scale fields hold small finite values."""
    block_bytes = gguf.GGML_QUANT_SIZES[qtype][1]
    raw = rng.integers(0, 256, size=(n_blocks, block_bytes), dtype=np.uint8)
    # byte offsets of the f16 super-block scales (d, dmin) in each layout
    fields = {T.Q2_K: [80, 82], T.Q3_K: [108], T.Q4_K: [0, 2], T.Q5_K: [0, 2], T.Q6_K: [208]}[qtype]
    for b in range(n_blocks):
        for off in fields:
            raw[b, off:off + 2] = np.array([rng.uniform(-0.05, 0.05)], dtype=np.float16).view(np.uint8)
    return raw


def make_reference():
    rng = np.random.default_rng(20240607)
    path = os.path.join(HERE, "reference.gguf")
    w = gguf.GGUFWriter(path, "llama")
    w.add_custom_alignment(64)
    w.add_uint8("test.uint8", 200)
    w.add_int8("test.int8", -100)
    w.add_uint16("test.uint16", 60000)
    w.add_int16("test.int16", -30000)
    w.add_uint32("test.uint32", 4000000000)
    w.add_int32("test.int32", -2000000000)
    w.add_uint64("test.uint64", 2**63 + 5)
    w.add_int64("test.int64", -(2**40))
    w.add_float32("test.float32", 0.15625)
    w.add_float64("test.float64", 3.141592653589793)
    w.add_bool("test.bool", True)
    w.add_string("test.string", "héllo ☃ GGUF")
    w.add_array("test.array.int32", [1, -2, 3])
    w.add_array("test.array.string", ["a", "bc", "ünï"])
    w.add_array("test.array.float32", [0.25, -1.5, 1e-3])
    w.add_array("test.array.bool", [True, False, True])
    w.add_key_value("test.array.uint8", [1, 2, 255], gguf.GGUFValueType.ARRAY, gguf.GGUFValueType.UINT8)
    w.add_key_value("test.array.int64", [-(2**40), 7], gguf.GGUFValueType.ARRAY, gguf.GGUFValueType.INT64)
    w.add_key_value("test.array.float64", [0.5, -2.25], gguf.GGUFValueType.ARRAY, gguf.GGUFValueType.FLOAT64)
    w.add_key_value("test.array.uint16", [65535, 0], gguf.GGUFValueType.ARRAY, gguf.GGUFValueType.UINT16)
    w.add_array("test.array.nested", [[1, 2], ["x", "yz"], [[3]]])

    expected = {"tensors": {}, "quantization_cases": []}

    def add(name, qtype, data_f32=None, raw=None, dims=None):
        if raw is None:
            if qtype == T.F32:
                raw = data_f32.astype(np.float32)
            elif qtype == T.F16:
                raw = data_f32.astype(np.float16)
            else:
                raw = quantize(data_f32, qtype)
        if qtype in (T.F32, T.F16):
            w.add_tensor(name, raw)
            values = raw.astype(np.float32)
        else:
            w.add_tensor(name, raw, raw_shape=raw.shape, raw_dtype=qtype)
            values = dequantize(raw, qtype)
        expected["tensors"][name] = {"type": qtype.name, "dims": list(reversed(values.shape)), "values": floats(values)}

    base = rng.standard_normal((2, 64)).astype(np.float32)
    for qtype in (T.F32, T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1):
        add(f"t.{qtype.name.lower()}", qtype, data_f32=base)
    for qtype in (T.Q2_K, T.Q3_K, T.Q4_K, T.Q5_K, T.Q6_K):
        add(f"t.{qtype.name.lower()}", qtype, raw=k_quant_blocks(rng, qtype, 2))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()

    # Inputs for the Swift writer's Q8_0/Q4_0: gguf's quantized bytes and their dequantized values.
    cases = [
        ("normal", rng.standard_normal(96).astype(np.float32) * 3),
        ("ties", (np.arange(-48, 48, dtype=np.float32) / 4)),
        ("zeros_and_spikes", np.concatenate([np.zeros(32), np.full(31, 1e-4), [-7.0]]).astype(np.float32)),
    ]
    for label, values in cases:
        for qtype in (T.Q8_0, T.Q4_0):
            q = quantize(values.reshape(1, -1), qtype)
            expected["quantization_cases"].append({
                "label": label, "type": qtype.name, "input": floats(values),
                "bytes_hex": q.tobytes().hex(), "dequantized": floats(dequantize(q, qtype)),
            })
    with open(os.path.join(HERE, "reference_gguf.json"), "w") as f:
        json.dump(expected, f, separators=(",", ":"))


def make_smollm2_stats(model_path):
    reader = gguf.GGUFReader(model_path)
    wanted = ["token_embd.weight", "blk.0.attn_q.weight", "blk.29.ffn_down.weight",
              "blk.0.attn_norm.weight", "output_norm.weight"]
    stats = {"file": os.path.basename(model_path), "tolerance": {"first16_abs": 1e-6, "sum_rel": 1e-4}, "tensors": {}}
    for t in reader.tensors:
        if t.name not in wanted:
            continue
        values = dequantize(t.data, t.tensor_type).astype(np.float64).ravel()
        stats["tensors"][t.name] = {
            "type": t.tensor_type.name, "dims": [int(d) for d in t.shape],
            "count": int(values.size), "first16": [float(v) for v in values[:16]],
            "sum": float(values.sum()), "sum_of_squares": float((values * values).sum()),
        }
    with open(os.path.join(HERE, "smollm2_stats.json"), "w") as f:
        json.dump(stats, f, indent=1)


if __name__ == "__main__":
    make_reference()
    if "--smollm2" in sys.argv:
        make_smollm2_stats(sys.argv[sys.argv.index("--smollm2") + 1])
