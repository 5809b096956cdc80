"""PyTorch peer for `retort bench train`: the same LLaMA shape (transformers' LlamaForCausalLM),
random tokens, AdamW on the CPU, in float32 and with bfloat16 autocast; prints tokens/s of both
next to Retort's and their ratios. Arguments: the JSON files of `retort bench train --json` (float32)
and, optionally, of `retort bench train --precision bf16 --json`. Without torch+transformers it says
so and exits 0 (`make bench` installs them into a throwaway virtualenv, .build/peer-venv)."""
import json
import sys
import time


def load(path):
    try:
        with open(path) as f:
            text = f.read()
    except OSError as error:
        sys.exit(f"train_peer.py: cannot read {path}: {error.strerror}")
    if not text.strip():
        return None
    return json.loads(text)


if len(sys.argv) < 2:
    sys.exit("usage: train_peer.py <retort float32 JSON> [<retort bf16 JSON>]")
float32 = load(sys.argv[1])
if float32 is None:
    sys.exit(f"train_peer.py: {sys.argv[1]} is empty (did `retort bench train --json` fail above?)")
bf16 = load(sys.argv[2]) if len(sys.argv) > 2 else None
for name, result in (("float32", float32), ("bf16", bf16)):
    if result:
        print(f"retort {name}:  {result['tokens_per_second']:.0f} tokens/s ({result['gemm_backend']})")
if bf16 is None:
    print("retort bf16:  not measured (this machine has no bfloat16 products, see above)")
try:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM
except ImportError as error:
    print(f"pytorch: skipped ({error.name} is not installed; pip install torch transformers in a virtualenv)")
    sys.exit(0)

layers, hidden, batch, seq = float32["layers"], float32["hidden"], float32["batch"], float32["sequence"]
config = LlamaConfig(hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=9, num_key_value_heads=3,
                     intermediate_size=1536, vocab_size=49152, tie_word_embeddings=True)


def measure(autocast):
    torch.manual_seed(0)
    model = LlamaForCausalLM(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    tokens = torch.randint(0, config.vocab_size, (batch, seq))

    def step():
        optimizer.zero_grad()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
            loss = model(input_ids=tokens, labels=tokens).loss
        loss.backward()
        optimizer.step()

    step()  # warm-up
    steps = 3
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return batch * seq * steps / (time.perf_counter() - start)


threads = torch.get_num_threads()
for name, autocast, result in (("float32", False, float32), ("bf16 autocast", True, bf16)):
    peer = measure(autocast)
    print(f"pytorch {name}: {peer:.0f} tokens/s (torch {torch.__version__}, {threads} threads)")
    if result:
        print(f"ratio retort/pytorch, {name}: {result['tokens_per_second'] / peer:.2f}")
