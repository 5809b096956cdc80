"""PyTorch peer for `retort bench train`: the same LLaMA shape (transformers' LlamaForCausalLM),
random tokens, AdamW, float32 on the CPU; prints tokens/s. Reads Retort's JSON result on stdin
(from `retort bench train --json`) and prints both and their ratio. Without torch+transformers
it says so and exits 0 (install them in a virtualenv to compare: pip install torch transformers)."""
import json
import sys
import time

text = sys.stdin.read()
if not text.strip():
    sys.exit("train_peer.py: no result from `retort bench train --json` on stdin (did it fail above?)")
retort = json.loads(text)
print(f"retort:  {retort['tokens_per_second']:.0f} tokens/s "
      f"({retort['fraction_of_sgemm_peak']:.2f} x sgemm peak, {retort['gemm_backend']})")
try:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM
except ImportError as error:
    print(f"pytorch: skipped ({error.name} is not installed; pip install torch transformers in a virtualenv)")
    sys.exit(0)

layers, hidden, batch, seq = retort["layers"], retort["hidden"], retort["batch"], retort["sequence"]
config = LlamaConfig(hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=9, num_key_value_heads=3,
                     intermediate_size=1536, vocab_size=49152, tie_word_embeddings=True)
torch.manual_seed(0)
model = LlamaForCausalLM(config)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
tokens = torch.randint(0, config.vocab_size, (batch, seq))


def step():
    optimizer.zero_grad()
    loss = model(input_ids=tokens, labels=tokens).loss
    loss.backward()
    optimizer.step()


step()  # warm-up
steps = 3
start = time.perf_counter()
for _ in range(steps):
    step()
peer = batch * seq * steps / (time.perf_counter() - start)
print(f"pytorch: {peer:.0f} tokens/s (torch {torch.__version__}, float32, {torch.get_num_threads()} threads)")
print(f"ratio retort/pytorch: {retort['tokens_per_second'] / peer:.2f}")
