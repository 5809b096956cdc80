#!/usr/bin/env python3
"""Reference ROUGE-L values for Retort's Quality filters, from Google's rouge-score package.

Writes rouge_fixtures.json next to this file: for each (target, prediction) pair, the tokens of
both sides and the ROUGE-L precision, recall and F-measure exactly as Self-Instruct computes them:
rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False).score(target, prediction).
Run:  pip install rouge-score==0.1.2 && python3 make_rouge_fixtures.py
"""
import json
import os
import random

import rouge_score
from rouge_score import rouge_scorer

HANDWRITTEN = [
    ("Write a poem about the ocean.", "Write a poem about the sea."),
    ("Write a poem about the ocean.", "write a POEM about the ocean!!!"),
    ("Give three tips for staying healthy.", "What are three tips for staying healthy?"),
    ("Classify the sentiment of the review.", "Translate the sentence into French."),
    ("", "Write a story."),
    ("Write a story.", ""),
    ("", ""),
    ("   \t\n  ", "Write a story."),
    ("!!! ??? ...", "--- ***"),
    ("the the the the", "the"),
    ("a b c d e f g", "g f e d c b a"),
    ("a b a b a b", "b a b a b a"),
    ("It's a well-known fact: e-mail isn't dead.", "its a well known fact e mail isnt dead"),
    ("Version 2.0 costs $3,500 (in 2024).", "version 2 0 costs 3 500 in 2024"),
    ("Café crème brûlée naïve résumé", "Cafe creme brulee naive resume"),
    ("e\u0301cole and e\u0301te\u0301", "ecole and ete"),
    ("İstanbul is in TÜRKİYE", "istanbul is in turkiye"),
    ("The \u212aelvin scale starts at 0 \u212a", "the kelvin scale starts at 0 k"),
    ("Ｗｒｉｔｅ ａ ｐｏｅｍ", "Write a poem"),
    ("写一首关于大海的诗", "写一首关于天空的诗"),
    ("Explain 量子力学 to a child", "Explain quantum mechanics to a child"),
    ("Tell me a joke 😂🤣 about cats 🐈", "tell me a joke about cats"),
    ("👨‍👩‍👧‍👦 family emoji test", "family emoji test 👍🏽"),
    ("Invalid \ufffd bytes \ufffd\ufffd here", "invalid bytes here"),
    ("ΣΊΣΥΦΟΣ and Ωmega", "and mega"),
    ("ﬁnd the ﬂow", "find the flow"),
    ("½ cup of sugar and 3² apples", "cup of sugar and 3 apples"),
    ("snake_case and camelCase and kebab-case", "snake case and camel case and kebab case"),
    ("line one\nline two\r\nline three", "line one line two line three"),
    ("Write a program that sorts a list of numbers in ascending order using merge sort.",
     "Write a program to sort a list of integers in ascending order with quicksort."),
    ("Generate a list of 10 questions about the history of Rome.",
     "Come up with ten questions on the history of ancient Rome."),
    ("Summarize the following article in two sentences.", "Summarize the article below in 2 sentences."),
]


def generated_pairs():
    """Seeded random pairs over a small vocabulary, so the LCS is non-trivial; some longer than 64
    and 128 tokens to cover the multi-word bit-parallel LCS."""
    rng = random.Random(20240607)
    vocab = ["alpha", "beta", "gamma", "delta", "the", "a", "of", "write", "poem", "list", "7", "x9"]
    pairs = []
    for length_a, length_b in [(5, 7), (12, 12), (20, 9), (1, 30), (33, 31), (63, 64), (64, 65), (65, 64),
                               (100, 90), (128, 129), (130, 70), (200, 210), (8, 300), (3, 3),
                               (40, 40), (64, 64), (127, 1), (75, 150)]:
        a = [rng.choice(vocab) for _ in range(length_a)]
        if rng.random() < 0.5:
            # A perturbed copy: high overlap and long common subsequences.
            b = [w if rng.random() < 0.8 else rng.choice(vocab) for w in a]
            b = (b + [rng.choice(vocab) for _ in range(max(0, length_b - len(b)))])[:length_b]
        else:
            b = [rng.choice(vocab) for _ in range(length_b)]
        sep = lambda: rng.choice([" ", "  ", ", ", "-", "\n", "! "])
        text_a = "".join(w + sep() for w in a).strip()
        text_b = "".join(w.upper() if rng.random() < 0.2 else w + sep() for w in b).strip()
        pairs.append((text_a, text_b))
    return pairs


def main():
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)
    cases = []
    for target, prediction in HANDWRITTEN + generated_pairs():
        score = scorer.score(target, prediction)["rougeL"]
        cases.append({
            "target": target,
            "prediction": prediction,
            "target_tokens": scorer._tokenizer.tokenize(target),
            "prediction_tokens": scorer._tokenizer.tokenize(prediction),
            "precision": score.precision,
            "recall": score.recall,
            "fmeasure": score.fmeasure,
        })
    out = {
        "generator": "rouge-score " + getattr(rouge_score, "__version__", "0.1.2") + ", RougeScorer(['rougeL'], use_stemmer=False)",
        "cases": cases,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rouge_fixtures.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
