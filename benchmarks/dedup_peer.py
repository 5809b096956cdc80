"""Python peer for Retort's novelty benchmark (NearDuplicateBenchmark): the original Self-Instruct
loop (Wang et al., 2023; self_instruct/bootstrap_instructions.py), run on the same instructions.

For each new instruction, ROUGE-L F (rouge_score, no stemmer) against every instruction kept so far,
computed in a multiprocessing Pool; the instruction is kept when the maximum is below the
threshold. The paper's rule is "kept if < 0.7", which Retort follows (reject at >= 0.7); the
original script's comparison is `> 0.7`, which differs only for pairs at exactly 0.7.
Differences from the original script, to be fair to Python: one Pool for the whole run (the script
opens a new Pool(4) per instruction), with as many workers as CPUs.

Input: the JSONL that NearDuplicateBenchmark.writeJSONL writes — a header line (Retort's settings
and times) then {"instruction", "kept"} per instruction. Pairwise scoring is quadratic, so this
runs on a prefix (the first --prefix instructions, default the header's prefix_count) and compares:
  * the kept flags on the prefix (must agree within 1%),
  * its time with Retort's time on the same prefix (measured ratio),
  * an extrapolated time for all instructions, stated as such: a least-squares fit
    t = a·instructions + b·pairs on checkpoints of this run, evaluated at the full run's pair count
    (Σ of the pool size at each instruction, from Retort's kept flags).
Without rouge_score it says so and exits 0 (pip install rouge-score in a virtualenv to compare).

Usage: python3 benchmarks/dedup_peer.py novelty.jsonl [--prefix N] [--workers W] [--original-pool]
"""
import argparse
import json
import os
import sys
import time
from functools import partial


def read_benchmark(path):
    with open(path, encoding="utf-8") as f:
        header = json.loads(f.readline())
        rows = [json.loads(line) for line in f if line.strip()]
    if header.get("benchmark") != "novelty":
        sys.exit(f"dedup_peer.py: {path} is not a novelty benchmark file (header {header})")
    if len(rows) != header["count"]:
        sys.exit(f"dedup_peer.py: {path} has {len(rows)} instructions, its header says {header['count']}")
    return header, [r["instruction"] for r in rows], [bool(r["kept"]) for r in rows]


def pool_sizes(kept_flags):
    """Pairs the pairwise rule scores: the pool size at each instruction."""
    size, pairs = 0, []
    for kept in kept_flags:
        pairs.append(size)
        size += kept
    return pairs


def fmeasure(scorer, instruction, other):
    return scorer.score(instruction, other)["rougeL"].fmeasure


def run_self_instruct(instructions, threshold, workers, original_pool):
    from multiprocessing import Pool

    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)
    kept_texts, kept_flags, checkpoints = [], [], []
    pairs = 0
    pool = None if original_pool else Pool(workers)
    start = time.perf_counter()
    try:
        for i, instruction in enumerate(instructions):
            if kept_texts:
                if original_pool:
                    with Pool(4) as p:
                        scores = p.map(partial(fmeasure, scorer, instruction), kept_texts)
                else:
                    scores = pool.map(partial(fmeasure, scorer, instruction), kept_texts)
                novel = max(scores) < threshold
            else:
                novel = True
            pairs += len(kept_texts)
            kept_flags.append(novel)
            if novel:
                kept_texts.append(instruction)
            if (i + 1) % 250 == 0 or i + 1 == len(instructions):
                checkpoints.append((i + 1, pairs, time.perf_counter() - start))
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return kept_flags, time.perf_counter() - start, checkpoints


def fit_time(checkpoints):
    """Least squares t = a·n + b·pairs through the origin, on cumulative checkpoints."""
    snn = sum(n * n for n, _, _ in checkpoints)
    snp = sum(n * p for n, p, _ in checkpoints)
    spp = sum(p * p for _, p, _ in checkpoints)
    snt = sum(n * t for n, _, t in checkpoints)
    spt = sum(p * t for _, p, t in checkpoints)
    det = snn * spp - snp * snp
    if det <= 0:
        return 0.0, (checkpoints[-1][2] / max(1, checkpoints[-1][1]))
    a = (snt * spp - spt * snp) / det
    b = (spt * snn - snt * snp) / det
    if a < 0 or b < 0:  # noise: fall back to the per-pair cost alone
        return 0.0, checkpoints[-1][2] / max(1, checkpoints[-1][1])
    return a, b


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jsonl", help="file written by NearDuplicateBenchmark.writeJSONL")
    parser.add_argument("--prefix", type=int, help="instructions to run (default: the header's prefix_count)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--original-pool", action="store_true",
                        help="open a new Pool(4) per instruction, as the original script does")
    args = parser.parse_args()

    header, instructions, retort_kept = read_benchmark(args.jsonl)
    prefix = min(args.prefix or header["prefix_count"], len(instructions))
    total = len(instructions)
    print(f"retort:  {total} instructions in {header['seconds']:.3f} s, kept {header['kept']} "
          f"({header['kept'] / total:.1%}); first {header['prefix_count']} in {header['prefix_seconds']:.3f} s")
    try:
        import rouge_score  # noqa: F401
    except ImportError:
        print("python:  skipped (rouge-score is not installed; pip install rouge-score in a virtualenv)")
        return

    python_kept, seconds, checkpoints = run_self_instruct(
        instructions[:prefix], header["threshold"], args.workers, args.original_pool)
    differing = [i for i in range(prefix) if python_kept[i] != retort_kept[i]]
    print(f"python:  first {prefix} in {seconds:.1f} s (rouge_score, Pool of "
          f"{4 if args.original_pool else args.workers} workers), kept {sum(python_kept)}")
    print(f"kept-set difference on the first {prefix}: {len(differing)} instructions "
          f"({len(differing) / prefix:.3%}){' — identical' if not differing else ''}")
    for i in differing[:10]:
        print(f"  #{i} retort={'kept' if retort_kept[i] else 'rejected'} "
              f"python={'kept' if python_kept[i] else 'rejected'}: {instructions[i]}")

    if header["prefix_count"] == prefix and header["prefix_seconds"] > 0:
        print(f"ratio python/retort on the first {prefix} (measured): {seconds / header['prefix_seconds']:.0f}x")
    a, b = fit_time(checkpoints)
    full_pairs = sum(pool_sizes(retort_kept))
    extrapolated = a * total + b * full_pairs
    print(f"python on all {total} (EXTRAPOLATED from this run: {a * 1e3:.3f} ms per instruction + "
          f"{b * 1e6:.2f} us per pair x {full_pairs} pairs): {extrapolated:.0f} s = {extrapolated / 3600:.1f} h")
    print(f"ratio python/retort on all {total} (extrapolated python, measured retort): "
          f"{extrapolated / header['seconds']:.0f}x")
    if len(differing) > 0.01 * prefix:
        sys.exit("dedup_peer.py: kept sets differ by more than 1%")


if __name__ == "__main__":
    main()
