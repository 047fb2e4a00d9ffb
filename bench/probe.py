"""Probing workflow on SmolLM2, measured side by side in one run:

1. Collection throughput: `collect` (residual stream after all 30 blocks, each text's last token) against the raw
   forward on the same batches, written by hand as a user would: `model(**x, output_hidden_states=True)` and a gather
   of the last token, and the same without the LM head (`model.model`). Interleaved rounds; medians.
2. Fitting logistic probes at all 30 layers on 2,000 examples with `lensbook.probing.fit_probe`: the default solver
   (scikit-learn's `LogisticRegression`, layer by layer) against the batched torch L-BFGS over all layers at once
   (`solver='torch'`, the same objective); the held-out accuracies must agree.
3. Peak RSS of a process that collects 1,000 and then 10,000 corpus sentences (the same distribution, so only the
   count differs) to disk (float16 shards of 500 examples); each run is its own subprocess; RSS is sampled every
   5 ms during `collect`.

The last line is one JSON object.

    python bench/probe.py [--repeats 3] [--threads N] [--n 2000]
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, threading, time
import torch

def texts(n):
    "n short English texts: the shipped probing sets (7,022 texts), then numbered corpus sentences."
    from lensbook.probesets import probeset, PROBESETS
    out = [t for name in PROBESETS for t in probeset(name).text][:n]
    return out + sentences(n - len(out))

def sentences(n):
    "n numbered sentences of the shipped corpus (cut to 80 characters), cycling: one distribution whatever n is."
    import lensbook as lb
    sents = [s.strip()[:80] for d in lb.corpus('all') for s in d.split('. ') if len(s.strip()) > 20]
    return [f'{i}. {sents[i % len(sents)]}' for i in range(max(n, 0))]

def rss_child(n, out):
    "Runs in a subprocess: collect n texts to disk; print peak RSS (MB) before and during collect."
    import lensbook as lb
    from lensbook.activations import collect
    torch.set_num_threads(int(os.environ.get('OMP_NUM_THREADS', '1')))
    m = lb.load('smollm2')
    data = sentences(n)           # the same kind of text for 1k and 10k: only the count differs
    collect(m, data[:64], 'resid_post', dtype='float16', progress=False)      # warm-up
    rss = lambda: int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20
    base, peak, stop = rss(), [0.], threading.Event()
    def sample():
        while not stop.is_set(): peak[0] = max(peak[0], rss()); time.sleep(0.005)
    th = threading.Thread(target=sample); th.start()
    t = time.perf_counter()
    st = collect(m, data, 'resid_post', dtype='float16', out=out, shard_size=500, batch_size=32, progress=False)
    dt = time.perf_counter() - t
    stop.set(); th.join()
    assert len(st) == n
    print(json.dumps(dict(n=n, base_mb=base, peak_mb=peak[0], seconds=dt)))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--threads', type=int, default=int(os.environ.get('OMP_NUM_THREADS', '1')))
    ap.add_argument('--n', type=int, default=2000)
    ap.add_argument('--child', type=int, default=0)
    ap.add_argument('--out', default='')
    args = ap.parse_args()
    if args.child: return rss_child(args.child, args.out)
    torch.set_num_threads(args.threads)
    import lensbook as lb
    from lensbook.activations import collect
    from lensbook.probing import fit_probe, stratified_split, _metrics
    m = lb.load('smollm2')
    data = texts(args.n)
    tok = m.tokenizer
    data.sort(key=lambda t: len(tok(t)['input_ids']))     # the same batches for every variant
    B, L = 32, m.arch.n_layers

    def batches():
        for i in range(0, len(data), B): yield lb.tokenize(m, data[i:i + B])
    def raw(body):
        f = m.model.model if body else m.model
        rows = []
        with torch.inference_mode():
            for x in batches():
                hs = f(**x, output_hidden_states=True).hidden_states[1:]
                last = x['attention_mask'].sum(1) - 1
                rows.append(torch.stack([h[torch.arange(len(h)), last] for h in hs]))
        return torch.cat(rows, 1)
    variants = dict(lensbook=lambda: collect(m, data, 'resid_post', batch_size=B, progress=False).stack(),
                    raw_forward=lambda: raw(False), raw_body=lambda: raw(True))
    results = {k: f() for k, f in variants.items()}
    # hidden_states[-1] of HF is after the final norm; lensbook's resid_post.29 is before it: compare layers 0..L-2
    diff = max((results['lensbook'][:-1] - v[:-1]).abs().max().item() for v in results.values())
    times = {k: [] for k in variants}
    for _ in range(args.repeats):
        for k, f in variants.items():
            t = time.perf_counter(); f(); times[k].append(time.perf_counter() - t)
    med = {k: statistics.median(v) for k, v in times.items()}
    n_tok = sum(len(tok(t)['input_ids']) for t in data)
    print(f'SmolLM2, {len(data)} texts ({n_tok} tokens), batches of {B}, {args.threads} thread(s), {args.repeats} interleaved repeats')
    for k in med: print(f'  collect {k:12s} median {med[k]:7.2f} s   ({n_tok / med[k]:7.0f} tokens/s)')

    # 2. fitting: 30 layers x n examples x 576, binary labels from the subject-number set where available
    from lensbook.probesets import probeset
    ds = probeset('number')
    n_fit = min(args.n, len(ds))
    acts = collect(m, ds.head(n_fit), 'resid_post', progress=False)
    X, (y, classes) = acts.stack(), acts.y()
    tr, te = stratified_split(y, 0.25)
    def solve(solver):
        def f():
            pr = fit_probe(X[:, tr], y[tr], solver=solver, classes=classes)
            return _metrics(pr, X[:, te], y[te])['acc']
        return f
    fits = dict(sklearn=solve('sklearn'), torch_batched=solve('torch'))
    accs = {k: f() for k, f in fits.items()}
    ftimes = {k: [] for k in fits}
    for _ in range(args.repeats):
        for k, f in fits.items():
            t = time.perf_counter(); f(); ftimes[k].append(time.perf_counter() - t)
    fmed = {k: statistics.median(v) for k, v in ftimes.items()}
    acc_diff = max(abs(a - b) for a, b in zip(accs['sklearn'], accs['torch_batched']))
    print(f'Probes at all {L} layers, {len(tr)} training / {len(te)} held-out examples of d={X.shape[-1]}')
    for k in fmed: print(f'  fit {k:13s} median {fmed[k]:6.2f} s   best held-out acc {max(accs[k]):.3f}')
    print(f'  max |acc difference| per layer: {acc_diff:.4f}')

    # 3. peak RSS collecting to disk, 1k vs 10k examples, each in a fresh process
    rss = {}
    for n in (1000, 10000):
        with tempfile.TemporaryDirectory() as d:
            env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
            r = subprocess.run([sys.executable, __file__, '--child', str(n), '--out', d], env=env, capture_output=True, text=True)
            if r.returncode: raise RuntimeError(r.stderr[-2000:])
            rss[n] = json.loads(r.stdout.strip().splitlines()[-1])
    for n, r in rss.items():
        print(f'  collect {n:6d} to disk: peak RSS {r["peak_mb"]:7.1f} MB (before: {r["base_mb"]:.1f} MB, growth {r["peak_mb"] - r["base_mb"]:6.1f} MB), {r["seconds"]:.1f} s')
    in_mem = 10000 * L * m.arch.d_model * 4 / 2**20
    print(f'  (the 10,000-example store held in memory in float32 would be {in_mem:.0f} MB)')

    res = dict(n=len(data), tokens=n_tok, threads=args.threads,
               collect_s=round(med['lensbook'], 2), raw_forward_s=round(med['raw_forward'], 2), raw_body_s=round(med['raw_body'], 2),
               collect_vs_raw=round(med['lensbook'] / med['raw_forward'], 3),
               collect_vs_raw_body=round(med['lensbook'] / med['raw_body'], 3), max_abs_diff=float(f'{diff:.3g}'),
               fit_all_layers_s=round(fmed['sklearn'], 2), torch_batched_all_layers_s=round(fmed['torch_batched'], 2),
               torch_batched_vs_sklearn=round(fmed['torch_batched'] / fmed['sklearn'], 2), fit_acc_max_diff=round(acc_diff, 4),
               rss_1k_mb=round(rss[1000]['peak_mb'], 1), rss_10k_mb=round(rss[10000]['peak_mb'], 1),
               rss_10k_vs_1k=round(rss[10000]['peak_mb'] / rss[1000]['peak_mb'], 3),
               rss_growth_1k_mb=round(rss[1000]['peak_mb'] - rss[1000]['base_mb'], 1),
               rss_growth_10k_mb=round(rss[10000]['peak_mb'] - rss[10000]['base_mb'], 1))
    assert diff <= 1e-3, res
    print(json.dumps(res))

if __name__ == '__main__': main()
