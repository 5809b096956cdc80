"""Reference logits of SmolLM2-135M-Instruct for a short prompt, computed independently of Retort:
numpy over the tensors the `gguf` package dequantizes, with GGML's own RoPE layout (adjacent
pairs, on the GGUF's permuted q/k rows), so Retort's HF-layout loading is checked too.
Usage: python3 make_smollm2_logits.py <SmolLM2-135M-Instruct.Q4_1.gguf> <ids...>"""
import json
import sys

import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize

path, ids = sys.argv[1], [int(x) for x in sys.argv[2:]]
reader = GGUFReader(path)
tensors = {t.name: t for t in reader.tensors}


def weight(name):
    t = tensors[name]
    shape = [int(d) for d in reversed(t.shape)]
    return dequantize(t.data, t.tensor_type).reshape(shape).astype(np.float64)


def field(key):
    f = reader.fields[key]
    return f.parts[f.data[0]][0]


layers = int(field("llama.block_count"))
heads = int(field("llama.attention.head_count"))
kv_heads = int(field("llama.attention.head_count_kv"))
eps = float(field("llama.attention.layer_norm_rms_epsilon"))
theta = float(field("llama.rope.freq_base"))

x = weight("token_embd.weight")[ids]
T, C = x.shape
hd = C // heads


def rms(v, w):
    return v / np.sqrt((v * v).mean(-1, keepdims=True) + eps) * w


def rope_ggml(v, n):  # v: (T, n, hd); rotate adjacent pairs (2i, 2i+1) as GGML's normal RoPE does
    inv = theta ** (-np.arange(0, hd, 2) / hd)
    ang = np.arange(T)[:, None] * inv[None, :]
    cos, sin = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]
    a, b = v[..., 0::2], v[..., 1::2]
    out = np.empty_like(v)
    out[..., 0::2] = a * cos - b * sin
    out[..., 1::2] = a * sin + b * cos
    return out


for l in range(layers):
    h = rms(x, weight(f"blk.{l}.attn_norm.weight"))
    q = rope_ggml((h @ weight(f"blk.{l}.attn_q.weight").T).reshape(T, heads, hd), heads)
    k = rope_ggml((h @ weight(f"blk.{l}.attn_k.weight").T).reshape(T, kv_heads, hd), kv_heads)
    v = (h @ weight(f"blk.{l}.attn_v.weight").T).reshape(T, kv_heads, hd)
    rep = heads // kv_heads
    k, v = np.repeat(k, rep, axis=1), np.repeat(v, rep, axis=1)
    scores = np.einsum("thd,shd->hts", q, k) / np.sqrt(hd)
    scores += np.triu(np.full((T, T), -np.inf), 1)[None]
    p = np.exp(scores - scores.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    attn = np.einsum("hts,shd->thd", p, v).reshape(T, C)
    x = x + attn @ weight(f"blk.{l}.attn_output.weight").T
    h = rms(x, weight(f"blk.{l}.ffn_norm.weight"))
    g, u = h @ weight(f"blk.{l}.ffn_gate.weight").T, h @ weight(f"blk.{l}.ffn_up.weight").T
    x = x + (g / (1 + np.exp(-g)) * u) @ weight(f"blk.{l}.ffn_down.weight").T

x = rms(x, weight("output_norm.weight"))
head = weight("output.weight") if "output.weight" in tensors else weight("token_embd.weight")
logits = x @ head.T
last = logits[-1]
top = np.argsort(-last)[:20]
print(json.dumps({
    "ids": ids,
    "argmax_per_position": [int(i) for i in logits.argmax(-1)],
    "top20_ids": [int(i) for i in top],
    "top20_logits": [float(last[i]) for i in top],
}))
