#!/usr/bin/env python3
"""Reference values for the Retort objective library, computed independently with numpy.

Writes objective_fixtures.json next to this file. Each case holds its inputs (already rounded to
float32, as the Swift side sees them), the mean loss, and the gradient of the mean loss computed
by central differences in float64 on straightforward numpy formulas -- no analytic gradients are
shared with the Swift code. Run:  python3 make_objective_fixtures.py

Conventions mirrored from the Swift documentation (TeacherMatching.swift and each objective file):
  * loss = sum_i m_i l_i / sum_i m_i; divergences at temperature tau are multiplied by tau^2;
    "sft" ignores tau.
  * sparse teacher: the rest mass r = 1 - sum exp(topk) is spread evenly over the other V - k ids
    (a full distribution), tempered like a dense teacher, then teacher and student are both
    coarse-grained to k + 1 outcomes {top-k ids, other}.
  * jsd(beta) = [beta KL(T||M) + (1-beta) KL(S||M)] / (beta (1-beta)), M = beta T + (1-beta) S.
"""
import json
import os

import numpy as np

RNG = np.random.default_rng(20240607)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def log_softmax(x):
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


def central_gradient(fn, x, h=1e-6):
    x = np.array(x, dtype=np.float64)
    g = np.zeros_like(x)
    flat, gflat = x.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + h
        up = fn(x)
        flat[i] = keep - h
        down = fn(x)
        flat[i] = keep
        gflat[i] = (up - down) / (2 * h)
    return g


# ---------------------------------------------------------------- token level

def kl(p, q):
    p = np.asarray(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(p) - np.log(q)), 0.0)
    return terms.sum(axis=-1)


def divergence(name, t, s, params):
    if name == "forward-kl":
        return kl(t, s)
    if name == "reverse-kl":
        return kl(s, t)
    if name == "jsd":
        b = params["beta"]
        if b == 0:
            return kl(t, s)
        if b == 1:
            return kl(s, t)
        m = b * t + (1 - b) * s
        return (b * kl(t, m) + (1 - b) * kl(s, m)) / (b * (1 - b))
    if name == "tvd":
        return 0.5 * np.abs(t - s).sum(axis=-1)
    if name == "skew-forward-kl":
        a = params["alpha"]
        return kl(t, a * t + (1 - a) * s)
    if name == "skew-reverse-kl":
        a = params["alpha"]
        return kl(s, (1 - a) * t + a * s)
    raise ValueError(name)


def token_loss(name, params, logits, case):
    tau = case["temperature"]
    mask = np.array(case["mask"])
    if name == "sft":
        logp = log_softmax(logits)
        per = np.array([-logp[i, y] if mask[i] > 0 else 0.0 for i, y in enumerate(case["targets"])])
        return (mask * per).sum() / mask.sum()
    s_full = np.exp(log_softmax(logits / tau))
    if case["form"] == "dense":
        t = np.exp(log_softmax(np.array(case["teacher_logprobs"]).reshape(logits.shape) / tau))
        per = divergence(name, t, s_full, params)
    else:
        vocab = logits.shape[1]
        per = np.zeros(logits.shape[0])
        for i in range(logits.shape[0]):
            ids = np.array(case["topk_ids"][i])
            lp = np.array(case["topk_logprobs"][i])
            others = np.setdiff1d(np.arange(vocab), ids)
            full = np.zeros(vocab)
            full[ids] = np.exp(lp)
            if len(others):
                full[others] = max(1 - np.exp(lp).sum(), 1e-8) / len(others)
            with np.errstate(divide="ignore"):
                tempered = np.exp(log_softmax(np.log(full) / tau))
            t = np.concatenate([tempered[ids], [tempered[others].sum()]]) if len(others) else tempered[ids]
            s = np.concatenate([s_full[i, ids], [s_full[i, others].sum()]]) if len(others) else s_full[i, ids]
            per[i] = divergence(name, t, s, params)
    return tau * tau * (mask * per).sum() / mask.sum()


def token_cases():
    positions, vocab, k = 5, 11, 4
    logits = f32(RNG.uniform(-4, 4, size=(positions, vocab)))
    teacher = f32(log_softmax(RNG.uniform(-4, 4, size=(positions, vocab))))
    mask = [1.0, 0.5, 0.0, 2.0, 1.0]
    targets = [int(RNG.integers(vocab)) if m > 0 else -1 for m in mask]
    order = np.argsort(-teacher, axis=1)[:, :k]
    topk_ids = order.tolist()
    topk_logprobs = [teacher[i, order[i]].tolist() for i in range(positions)]
    full_ids = np.argsort(-teacher, axis=1).tolist()
    full_logprobs = [teacher[i, full_ids[i]].tolist() for i in range(positions)]
    shared = dict(positions=positions, vocab=vocab, logits=logits.reshape(-1).tolist(),
                  teacher_logprobs=teacher.reshape(-1).tolist(), mask=mask, targets=targets)
    objectives = [("sft", {}), ("forward-kl", {}), ("reverse-kl", {}), ("jsd", {"beta": 0.5}),
                  ("jsd", {"beta": 0.1}), ("tvd", {}), ("skew-forward-kl", {"alpha": 0.1}),
                  ("skew-reverse-kl", {"alpha": 0.1})]
    cases = []
    for name, params in objectives:
        forms = [("dense", 1.0, None), ("dense", 2.0, None), ("sparse", 2.0, (topk_ids, topk_logprobs, k)),
                 ("sparse", 1.0, (topk_ids, topk_logprobs, k))]
        if name == "sft":
            forms = [("dense", 2.0, None)]
        for form, tau, sparse in forms:
            case = dict(shared, objective=name, parameters=params, form=form, temperature=tau)
            if sparse:
                case.update(topk_ids=sparse[0], topk_logprobs=sparse[1], k=sparse[2])
            fn = lambda z, case=case: token_loss(name, params, z.reshape(positions, vocab), case)
            case["loss"] = fn(logits)
            case["gradient"] = central_gradient(fn, logits.reshape(-1)).tolist()
            cases.append(case)
    # k = vocab: the sparse teacher is the whole distribution.
    case = dict(shared, objective="reverse-kl", parameters={}, form="sparse", temperature=1.5,
                topk_ids=full_ids, topk_logprobs=full_logprobs, k=vocab)
    fn = lambda z, case=case: token_loss("reverse-kl", {}, z.reshape(positions, vocab), case)
    case["loss"] = fn(logits)
    case["gradient"] = central_gradient(fn, logits.reshape(-1)).tolist()
    cases.append(case)
    return cases


# ---------------------------------------------------------------- sequence level

def log_sigmoid(x):
    return -np.logaddexp(0, -x)


def groups_of(case):
    ids = case["group_ids"]
    seen = []
    for g in ids:
        if g not in seen:
            seen.append(g)
    return [[i for i in range(len(ids)) if ids[i] == g] for g in seen]


def sequence_loss(name, params, x, case):
    logps = x if name != "bradley-terry" else np.array(case["logps"])
    rewards = x if name == "bradley-terry" else np.array(case["rewards"])
    ranks, lengths = case["ranks"], np.array(case["lengths"], dtype=np.float64)
    ref = np.array(case["reference_logps"])
    groups = groups_of(case)
    if name in ("bradley-terry", "dpo"):
        total, pairs = 0.0, 0
        for members in groups:
            for i in members:
                for j in members:
                    if ranks[i] < ranks[j]:
                        if name == "bradley-terry":
                            margin = rewards[i] - rewards[j]
                        else:
                            margin = params["beta"] * ((logps[i] - ref[i]) - (logps[j] - ref[j]))
                        total += -log_sigmoid(margin)
                        pairs += 1
        return total / pairs
    if name == "rrhf":
        total = 0.0
        for members in groups:
            p = {i: logps[i] / lengths[i] for i in members}
            for i in members:
                for j in members:
                    if ranks[i] < ranks[j]:
                        total += max(0.0, p[j] - p[i])
            best = min(members, key=lambda i: ranks[i])
            total += params["sft_weight"] * -logps[best]
        return total / len(groups)
    if name == "pro":
        total = 0.0
        for members in groups:
            order = sorted(members, key=lambda i: ranks[i])
            p = np.array([logps[i] / lengths[i] for i in order])
            for k in range(len(order) - 1):
                total += -(p[k] - np.log(np.exp(p[k:]).sum()))
            total += params["sft_weight"] * -p[0]
        return total / len(groups)
    if name == "policy-gradient":
        adv = np.zeros(len(logps))
        for members in groups:
            adv[members] = rewards[members] - rewards[members].mean()
        if params.get("old") is not None:
            ratio = np.exp(logps - np.array(params["old"]))
            eps = params["clip_epsilon"]
            surrogate = -np.minimum(ratio * adv, np.clip(ratio, 1 - eps, 1 + eps) * adv)
        else:
            surrogate = -adv * logps
        delta = ref - logps
        return (surrogate + params["kl_coef"] * (np.exp(delta) - delta - 1)).mean()
    raise ValueError(name)


def sequence_cases():
    count = 9
    group_ids = [3, 3, 3, 3, 8, 8, 5, 5, 5]
    ranks = [2, 0, 3, 1, 1, 0, 0, 2, 1]
    lengths = [6, 3, 9, 4, 5, 7, 2, 8, 5]
    logps = f32(RNG.uniform(-20, -3, size=count))
    ref = f32(RNG.uniform(-20, -3, size=count))
    rewards = f32(RNG.uniform(-3, 3, size=count))
    old = f32(logps + RNG.uniform(-0.5, 0.5, size=count))
    shared = dict(count=count, group_ids=group_ids, ranks=ranks, lengths=lengths, logps=logps.tolist(),
                  reference_logps=ref.tolist(), rewards=rewards.tolist())
    cases = []
    for name, params in [("bradley-terry", {}), ("dpo", {"beta": 0.1}), ("dpo", {"beta": 1.0}),
                         ("rrhf", {"sft_weight": 1.0}), ("pro", {"sft_weight": 0.05}),
                         ("policy-gradient", {"kl_coef": 0.05, "clip_epsilon": 0.2}),
                         ("policy-gradient", {"kl_coef": 0.05, "clip_epsilon": 0.2, "old": old.tolist()})]:
        case = dict(shared, objective=name, parameters={k: v for k, v in params.items() if k != "old"})
        if "old" in params:
            case["old_logps"] = params["old"]
        x0 = rewards if name == "bradley-terry" else logps
        fn = lambda x, name=name, params=params, case=case: sequence_loss(name, params, x, case)
        case["loss"] = fn(x0)
        case["gradient"] = central_gradient(fn, x0).tolist()
        cases.append(case)
    return cases


# ---------------------------------------------------------------- feature level

def feature_loss(name, params, s, case):
    t = np.array(case["teacher"]).reshape(case["positions"], case["width"])
    s = s.reshape(case["positions"], case["width"])
    mask = np.array(case["mask"])
    if name == "mse":
        per = ((s - t) ** 2).mean(axis=1)
    elif name == "l1":
        per = np.abs(s - t).mean(axis=1)
    elif name == "cosine":
        per = 1 - (s * t).sum(axis=1) / (np.linalg.norm(s, axis=1) * np.linalg.norm(t, axis=1))
    elif name == "mmd":
        sigma = params["bandwidth"]
        keep = mask > 0
        w = mask[keep] / mask[keep].sum()
        ss, tt = s[keep], t[keep]
        k = lambda a, b: np.exp(-((a[:, None, :] - b[None, :, :]) ** 2).sum(-1) / (2 * sigma ** 2))
        return w @ k(ss, ss) @ w + w @ k(tt, tt) @ w - 2 * w @ k(ss, tt) @ w
    else:
        raise ValueError(name)
    return (mask * per).sum() / mask.sum()


def feature_cases():
    positions, width = 6, 5
    student = f32(RNG.uniform(-2, 2, size=positions * width))
    teacher = f32(RNG.uniform(-2, 2, size=positions * width))
    shared = dict(positions=positions, width=width, student=student.tolist(), teacher=teacher.tolist(),
                  mask=[1.0, 0.5, 0.0, 2.0, 1.0, 1.5])
    cases = []
    for name, params in [("mse", {}), ("l1", {}), ("cosine", {}), ("mmd", {"bandwidth": 1.5})]:
        case = dict(shared, objective=name, parameters=params)
        fn = lambda x, name=name, params=params, case=case: feature_loss(name, params, x, case)
        case["loss"] = fn(student)
        case["gradient"] = central_gradient(fn, student).tolist()
        cases.append(case)
    return cases


def main():
    fixtures = {
        "generator": "make_objective_fixtures.py (numpy %s)" % np.__version__,
        "token": token_cases(),
        "sequence": sequence_cases(),
        "feature": feature_cases(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "objective_fixtures.json")
    with open(path, "w") as handle:
        json.dump(fixtures, handle, indent=1)
        handle.write("\n")
    print("wrote %s: %d token, %d sequence, %d feature cases" % (
        path, len(fixtures["token"]), len(fixtures["sequence"]), len(fixtures["feature"])))


if __name__ == "__main__":
    main()
