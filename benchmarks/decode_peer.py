"""llama.cpp peer for `retort bench decode`: the same GGUF file and shapes through the PyPI package
llama-cpp-python (its low-level API, so a batch of sequences shares each llama_decode as in
llama.cpp's own parallel example). Reads Retort's JSON result on stdin
(`retort bench decode --json | python3 benchmarks/decode_peer.py`), measures load time, prompt
tokens/s (one decode of the whole prompt), decode tokens/s for one sequence, and for a batch of
sequences after a shared prompt, and prints both and their ratios. Token ids are drawn at random:
speed does not depend on them. Without llama-cpp-python it says so and exits 0 (PyPI has only its
source: `pip install llama-cpp-python` builds llama.cpp, 10+ minutes on 2 cores)."""
import json
import os
import random
import sys
import time

text = sys.stdin.read()
if not text.strip():
    sys.exit("decode_peer.py: no result from `retort bench decode --json` on stdin (did it fail above?)")
retort = json.loads(text)
P, D, B = int(retort["prompt_tokens"]), int(retort["decode_tokens"]), int(retort["batch"])
print(f"retort:    load {retort['load_seconds']:.2f} s, prompt {retort['prompt_tokens_per_second']:.0f} tokens/s, "
      f"decode batch 1 {retort['decode_tokens_per_second']:.1f} tokens/s, "
      f"batch {B} {retort['batched_decode_tokens_per_second']:.1f} tokens/s "
      f"({retort['gemm_backend']}, {retort['threads']:.0f} threads)")
try:
    import llama_cpp as L
except ImportError as error:
    print(f"llama.cpp: skipped ({error.name} is not importable; `pip install llama-cpp-python` builds llama.cpp "
          "from source, 10+ minutes on 2 cores)")
    sys.exit(0)

threads = os.cpu_count() or 1
quiet = L.llama_log_callback(lambda level, message, data: None)  # kept alive: llama.cpp holds the pointer
L.llama_log_set(quiet, None)
L.llama_backend_init()


def context(sequences, n_ctx):
    """A context for `sequences` sequences; one sequence gets a context of its own size, as in
    llama.cpp's single-sequence use (a large unified cache would slow its attention)."""
    params = L.llama_context_default_params()
    params.n_ctx = n_ctx
    params.n_batch = params.n_ubatch = max(P, B)
    params.n_seq_max = sequences
    params.n_threads = params.n_threads_batch = threads
    params.kv_unified = sequences > 1
    made = L.llama_init_from_model(model, params)
    if not made:
        sys.exit("decode_peer.py: llama.cpp could not create a context")
    return made


start = time.perf_counter()
model = L.llama_model_load_from_file(retort["model"].encode(), L.llama_model_default_params())
if not model:
    sys.exit(f"decode_peer.py: llama.cpp could not load {retort['model']}")
single_ctx = context(1, P + D + 64)
load_seconds = time.perf_counter() - start

vocabulary = L.llama_vocab_n_tokens(L.llama_model_get_vocab(model))
rng = random.Random(2024)
prompt = [rng.randrange(vocabulary) for _ in range(P)]
continuation = [rng.randrange(vocabulary) for _ in range(D)]
batch = L.llama_batch_init(max(P, B), 0, B)
# The batch's context: the shared prompt once, then every sequence's own tokens.
batch_ctx = context(B, P + B * D + 64)


def decode(ctx, entries):
    """entries: (token, position, sequence ids, wants logits) per row of one llama_decode."""
    batch.n_tokens = len(entries)
    for i, (token, position, sequences, logits) in enumerate(entries):
        batch.token[i] = token
        batch.pos[i] = position
        batch.n_seq_id[i] = len(sequences)
        for j, sequence in enumerate(sequences):
            batch.seq_id[i][j] = sequence
        batch.logits[i] = 1 if logits else 0
    status = L.llama_decode(ctx, batch)
    if status != 0:
        sys.exit(f"decode_peer.py: llama_decode failed with status {status}")


def prefill(ctx, sequences):
    L.llama_memory_clear(L.llama_get_memory(ctx), True)
    decode(ctx, [(token, i, sequences, i == P - 1) for i, token in enumerate(prompt)])


def timed(body):
    started = time.perf_counter()
    body()
    return time.perf_counter() - started


repeats = 2
prompt_seconds = min(timed(lambda: prefill(single_ctx, [0])) for _ in range(repeats))


def single():
    prefill(single_ctx, [0])
    return timed(lambda: [decode(single_ctx, [(token, P + i, [0], True)]) for i, token in enumerate(continuation)])


def batched():
    prefill(batch_ctx, list(range(B)))
    return timed(lambda: [decode(batch_ctx, [((token + b * 7 + i) % vocabulary, P + i, [b], True) for b in range(B)])
                          for i, token in enumerate(continuation)])


single_seconds = min(single() for _ in range(repeats))
batch_seconds = min(batched() for _ in range(repeats))
L.llama_batch_free(batch)
L.llama_free(single_ctx)
L.llama_free(batch_ctx)
L.llama_model_free(model)

peer = {"load": load_seconds, "prompt": P / prompt_seconds, "single": D / single_seconds, "batch": B * D / batch_seconds}
print(f"llama.cpp: load {peer['load']:.2f} s, prompt {peer['prompt']:.0f} tokens/s, decode batch 1 {peer['single']:.1f} tokens/s, "
      f"batch {B} {peer['batch']:.1f} tokens/s (llama-cpp-python {L.__version__}, {threads} threads)")
print(f"ratio retort/llama.cpp: prompt {retort['prompt_tokens_per_second'] / peer['prompt']:.2f}, "
      f"decode batch 1 {retort['decode_tokens_per_second'] / peer['single']:.2f}, "
      f"batch {B} {retort['batched_decode_tokens_per_second'] / peer['batch']:.2f}, "
      f"load time {retort['load_seconds'] / peer['load']:.2f} (lower is faster)")
