#!/usr/bin/env python3
# Builds the reference fixtures for the SentencePiece-style BPE tokenizer tests
# (TokenizerSentencePiece*.swift).
#
# 1. Trains a small SentencePiece BPE model (byte_fallback, Llama's settings: identity
#    normalization, whitespace kept as is, dummy "▁" prefix, digits split) on a corpus written
#    below: English, code, numbers, a few other scripts. Emoji and most CJK characters stay rare,
#    so they fall back to <0xXX> byte tokens.
# 2. Writes that vocabulary as llama.cpp stores it: sentencepiece_vocab.gguf (metadata only, no
#    tensors; tokenizer.ggml.model = "llama", tokens, scores, token types, special ids, add_bos,
#    add_space_prefix), following llama.cpp's SentencePiece conversion.
# 3. Writes two Hugging Face tokenizer.json files as transformers' LlamaConverter builds them
#    (BPE with byte_fallback; merges from generate_merges, ordered by the merged piece's score):
#    sentencepiece_tokenizer.json, the "legacy" form (normalizer Sequence[Prepend("▁"),
#    Replace(" ", "▁")]) of Llama 2 and Mistral, and sentencepiece_tokenizer_metaspace.json, the
#    newer form (pre_tokenizer Metaspace(prepend_scheme "first")). Both have the decoder
#    Sequence[Replace("▁", " "), ByteFallback, Fuse, Strip(1 left)] and "<s> $A" as post-processor.
# 4. Encodes a test corpus and writes sentencepiece_expected.jsonl, one object per string:
#      text            the string
#      spm             sentencepiece's ids (no BOS): the GGUF path with parseSpecial off
#      spm_special     llama.cpp's ids with parse_special on: the text split around the control
#                      and unknown tokens (<unk>, <s>, </s>; leftmost-longest), every text fragment
#                      encoded by sentencepiece (which gives each its "▁" prefix, as llama.cpp
#                      does for the first fragment and every fragment after a special token)
#      spm_decoded     sentencepiece's decoding of spm
#      spm_special_decoded   sentencepiece's decoding of spm_special (control tokens dropped,
#                      <unk> rendered " ⁇ ")
#      hf, hf_metaspace    tokenizers' ids for the two tokenizer.json files (no BOS)
#      hf_decoded, hf_decoded_skip    tokenizers' decoding of hf, keeping / skipping specials
#    Where sentencepiece (spm_special) and tokenizers (hf) disagree, both are kept and the script
#    prints the strings and the reason it found (see explain()). The Swift GGUF path must match
#    sentencepiece/llama.cpp, the tokenizer.json path tokenizers.
#
# Usage: python3 -m venv /tmp/spm-venv; /tmp/spm-venv/bin/pip install sentencepiece gguf tokenizers
#        transformers protobuf numpy; /tmp/spm-venv/bin/python make_sentencepiece_fixtures.py
import io
import json
import os
import random
import re

import sentencepiece as spm
from gguf import GGUFWriter
from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
from transformers.tokenization_utils_base import generate_merges

HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB_SIZE = 1200

PROSE = [
    "The quick brown fox jumps over the lazy dog.",
    "A small language model can be distilled from a much larger teacher model.",
    "She said, \"It's not what you think,\" and walked away into the rain.",
    "We'll meet at the station at half past nine; don't be late!",
    "Tokenization splits text into pieces that a model reads as integers.",
    "In 1969, humans first walked on the Moon; it took about 76 hours to get there.",
    "The price rose from $3.50 to $4.25 (an increase of 21.4%).",
    "Rivers carve valleys over thousands of years, slowly and patiently.",
    "Please send the report to alice@example.com before Friday, 5 p.m.",
    "Learning rates, batch sizes and warm-up steps all matter for training.",
    "My grandmother's recipe needs 2 cups of flour, 3 eggs and a pinch of salt.",
    "Why do cats sleep so much? Nobody really knows, but they seem to enjoy it.",
    "The committee approved the proposal with seven votes in favour and two against.",
    "Open the door, turn on the light, and check whether the window is closed.",
    "Data centers consume large amounts of electricity and water for cooling.",
    "He counted: one, two, three, four, five, six, seven, eight, nine, ten.",
]
CODE = [
    "def add(a, b):\n    return a + b\n",
    "for i in range(10):\n    print(i * i)\n",
    "if (x > 0 && y < 10) { return x + y; }",
    "let numbers = [1, 2, 3].map { $0 * 2 }",
    "func greet(_ name: String) -> String {\n    \"Hello, \\(name)!\"\n}",
    "SELECT id, name FROM users WHERE age >= 18 ORDER BY name;",
    "import numpy as np\nx = np.zeros((3, 4), dtype=np.float32)",
    "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 42); return 0; }",
    "const sum = (xs) => xs.reduce((a, b) => a + b, 0);",
    "git commit -m \"fix: handle empty input\" && git push origin main",
    "    indented = True\n\tif indented:\n\t\tpass",
    "{\"key\": \"value\", \"list\": [1, 2.5, null, true]}",
]
OTHER_SCRIPTS = [
    "Äpfel und Birnen sind gesund, sagt die Großmutter.",
    "Le café est très chaud ; attention à ne pas vous brûler.",
    "Él está leyendo un libro en la biblioteca, ¿verdad?",
    "Привет, как дела? Сегодня хорошая погода.",
    "Καλημέρα, τι κάνεις σήμερα;",
    "Dziękuję bardzo za pomoc, to było świetne.",
    "日本語のテキストも少し含めます。",
    "我们今天去公园散步。",
    "한국어 문장도 하나 있습니다.",
    "مرحبا بالعالم",
]
RARE = ["🦙", "😀", "🚀", "👍🏽", "🇩🇪", "∑", "√2", "→", "✓", "€", "©", "½", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\u200b"]


def training_corpus():
    """Deterministic training sentences: the lists above, recombined, plus numbers and code."""
    rng = random.Random(20240501)
    words = " ".join(PROSE + OTHER_SCRIPTS).replace(".", " ").replace(",", " ").split()
    lines = PROSE * 20 + CODE * 15 + OTHER_SCRIPTS * 4
    for _ in range(3000):
        lines.append(" ".join(rng.choice(words) for _ in range(rng.randint(3, 14))))
    for _ in range(400):
        lines.append(f"{rng.randint(0, 99999)} + {rng.randint(0, 999)} = {rng.random() * 1000:.3f}")
    for _ in range(150):
        lines.append(rng.choice(CODE).replace("x", rng.choice(["value", "count", "idx", "total"])))
    lines += [" ".join(RARE)] * 2  # rare enough to stay outside the vocabulary
    rng.shuffle(lines)
    return lines


def train():
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(training_corpus()), model_writer=model, model_type="bpe",
        vocab_size=VOCAB_SIZE, byte_fallback=True, character_coverage=0.995,
        normalization_rule_name="identity", remove_extra_whitespaces=False, add_dummy_prefix=True,
        split_digits=True, allow_whitespace_only_pieces=True, max_sentencepiece_length=16,
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1, num_threads=1, minloglevel=2)
    return model.getvalue()


def token_type(sp, i):
    """llama.cpp's token types: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte."""
    if sp.is_unknown(i):
        return 2
    if sp.is_control(i):
        return 3
    if sp.is_byte(i):
        return 6
    if sp.is_unused(i):
        return 5
    return 1


def write_gguf(sp, path):
    n = sp.get_piece_size()
    w = GGUFWriter(path, "llama")
    w.add_context_length(64)
    w.add_embedding_length(8)
    w.add_block_count(1)
    w.add_feed_forward_length(16)
    w.add_head_count(2)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_tokenizer_model("llama")
    w.add_token_list([sp.id_to_piece(i) for i in range(n)])
    w.add_token_scores([sp.get_score(i) for i in range(n)])
    w.add_token_types([token_type(sp, i) for i in range(n)])
    w.add_bos_token_id(sp.bos_id())
    w.add_eos_token_id(sp.eos_id())
    w.add_unk_token_id(sp.unk_id())
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)
    w.add_add_space_prefix(True)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def hf_tokenizer(sp, metaspace):
    """What transformers' LlamaConverter builds from a SentencePiece BPE model."""
    n = sp.get_piece_size()
    vocab = {sp.id_to_piece(i): i for i in range(n)}
    scores = {sp.id_to_piece(i): (0.0 if i < 3 else sp.get_score(i)) for i in range(n)}
    merges = generate_merges(vocab, scores)
    tok = Tokenizer(models.BPE(vocab, merges, unk_token="<unk>", fuse_unk=True, byte_fallback=True))
    tok.add_special_tokens([AddedToken(sp.id_to_piece(i), normalized=False, special=True) for i in range(3)])
    if metaspace:
        tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False)
    else:
        tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    tok.decoder = decoders.Sequence(
        [decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)])
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A", pair="<s> $A <s> $B", special_tokens=[("<s>", sp.bos_id())])
    return tok


def test_corpus():
    """A few hundred strings: edge cases written out, then random mixtures of the pieces above."""
    fixed = [
        "", " ", "  ", "   ", "\t", "\n", "\n\n", " \n ", "a", " a", "a ", "  a  ", "Hello world",
        " Hello world", "Hello  world", "Hello   world ", "hello\nworld", "hello\n\nworld\n", "\r\n",
        "12345", "3.14159", "1,000,000", "2024-05-01T12:30:00Z", "0x1F 0b1010 1e-9", "v1.2.3",
        "<s>", "</s>", "<unk>", "<s>Hello</s>", "Hello<s>world", "<s> Hello", "a</s>b</s>",
        "<s><s>", "< s>", "<s", "s>", "</s >", "x<unk>y", "<0x41>", "<0x0A>", "▁", "▁▁x", "a▁b",
        "🦙", "this is 🦙.cpp", "👍🏽👍🏽", "🇩🇪 flag", "emoji 😀😀 twice", "∑ √2 → ✓ € © ½",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "zero\u200bwidth", "e\u0301 (combining)", "ﬁ ligature", "Ａ full-width",
        "  leading", "trailing  ", "multiple   spaces   inside", "tabs\tand\ttabs", "\t\tx",
        "mixed \t\n whitespace", "ünïcödé", "Ελληνικά", "Русский текст", "日本語", "中文字符",
        "한국어", "עברית", "العربية", "हिन्दी", "ไทย",
    ] + PROSE + CODE + OTHER_SCRIPTS + RARE
    rng = random.Random(7)
    pieces = [p for text in PROSE + CODE + OTHER_SCRIPTS for p in re.split(r"(\s+)", text) if p] + RARE
    pieces += ["<s>", "</s>", "  ", "\n", "42", "007"]
    mixed = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 9))) for _ in range(220)]
    seen, out = set(), []
    for text in fixed + mixed:
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


SPECIAL = re.compile(r"<unk>|</s>|<s>")


def llama_cpp_ids(sp, text):
    """llama.cpp with parse_special: control/unknown tokens matched, each fragment prefixed."""
    ids, pos = [], 0
    for m in SPECIAL.finditer(text):
        if m.start() > pos:
            ids += sp.encode(text[pos:m.start()])
        ids.append(sp.piece_to_id(m.group()))
        pos = m.end()
    if pos < len(text):
        ids += sp.encode(text[pos:])
    return ids


def explain(sp, text, spm_ids, hf_ids):
    """Why tokenizers differs from sentencepiece on a string (printed, not stored)."""
    a = [sp.id_to_piece(i) for i in spm_ids]
    b = [sp.id_to_piece(i) for i in hf_ids]
    if "".join(a) == "".join(b):
        return f"same text, different merges: sentencepiece {a} vs tokenizers {b} (rank order of merges " \
               "producing equal-score or identical pieces differs from the score order)"
    return f"different text: {a} vs {b}"


def main():
    model = train()
    sp = spm.SentencePieceProcessor(model_proto=model)
    assert sp.get_piece_size() == VOCAB_SIZE
    assert sp.piece_to_id("<0x41>") != sp.unk_id(), "byte tokens missing"
    write_gguf(sp, os.path.join(HERE, "sentencepiece_vocab.gguf"))
    legacy, meta = hf_tokenizer(sp, False), hf_tokenizer(sp, True)
    legacy.save(os.path.join(HERE, "sentencepiece_tokenizer.json"))
    meta.save(os.path.join(HERE, "sentencepiece_tokenizer_metaspace.json"))
    with open("/tmp/sentencepiece_fixture.model", "wb") as f:  # for inspection; not committed
        f.write(model)

    rows, disagreements, byte_fallbacks = [], 0, 0
    for text in test_corpus():
        spm_ids = sp.encode(text)
        special = llama_cpp_ids(sp, text)
        hf = legacy.encode(text, add_special_tokens=False).ids
        row = {
            "text": text, "spm": spm_ids, "spm_special": special, "spm_decoded": sp.decode(spm_ids),
            "spm_special_decoded": sp.decode(special),
            "hf": hf, "hf_metaspace": meta.encode(text, add_special_tokens=False).ids,
            "hf_decoded": legacy.decode(hf, skip_special_tokens=False),
            "hf_decoded_skip": legacy.decode(hf, skip_special_tokens=True),
        }
        assert legacy.encode(text).ids == [sp.bos_id()] + hf
        byte_fallbacks += any(sp.is_byte(i) for i in spm_ids)
        if special != hf:
            disagreements += 1
            print(f"disagree on {text!r}: {explain(sp, text, special, hf)}")
        rows.append(row)
    with open(os.path.join(HERE, "sentencepiece_expected.jsonl"), "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} strings, {byte_fallbacks} with byte fallback, {disagreements} where tokenizers "
          "differs from sentencepiece/llama.cpp")


if __name__ == "__main__":
    main()
