"""Memory of `top_examples` (nbs/26_examples) on SmolLM2: peak RSS over 1,000 vs 10,000 texts.

`top_examples` streams the texts and keeps a bounded heap of k examples (top, bottom, a random control) and a
fixed-size histogram, so its memory must not grow with the number of texts. Each size runs in a fresh subprocess
that loads SmolLM2, warms up on 32 texts, then runs `top_examples(m, texts, 'neurons.15', unit=100, k=20,
batch_size=32)` (a mid-layer neuron; the forward stops after block 15). Reported per size: the process's peak RSS
(`resource.getrusage(RUSAGE_SELF).ru_maxrss`, which includes loading the model) and the growth of RSS during the
call (sampled from /proc/self/statm every 5 ms, against the RSS just before it), with the time taken.

The texts, built deterministically from the shipped corpus (320 texts): round r = 0, 1, 2, ... takes from every
corpus text, in order, the 64 characters starting at character 23·r (kept when at least 32 characters remain,
stripped); the first n of that sequence are the n texts (about 15 tokens each: short windows, so 10,000 texts fit in
a few minutes on one CPU thread). 1,000 and 10,000 are the same kind of text; only the count differs.

The last line is one JSON object.

    python bench/examples.py [--threads N] [--sizes 1000 10000]
"""
import argparse, json, os, resource, subprocess, sys, threading, time

def texts(n: int) -> list[str]:
    "The first n texts of the recipe above."
    import lensbook as lb
    corpus, out, r = lb.corpus('all'), [], 0
    while len(out) < n:
        got = [t[23 * r:23 * r + 64].strip() for t in corpus if len(t) - 23 * r >= 32]
        if not got: raise ValueError(f'the corpus gives only {len(out)} texts')
        out += got; r += 1
    return out[:n]

def child(n: int):
    "Runs in a subprocess: top_examples over n texts; prints one JSON line."
    import torch
    torch.set_num_threads(int(os.environ.get('OMP_NUM_THREADS', '1')))
    import lensbook as lb
    m = lb.load('smollm2')
    data = texts(n)
    lb.top_examples(m, data[:32], 'neurons.15', unit=100, k=20, batch_size=32, progress=False)     # warm-up
    page = os.sysconf('SC_PAGE_SIZE')
    rss = lambda: int(open('/proc/self/statm').read().split()[1]) * page / 2**20
    base, peak, stop = rss(), [0.], threading.Event()
    def sample():
        while not stop.is_set(): peak[0] = max(peak[0], rss()); time.sleep(0.005)
    th = threading.Thread(target=sample, daemon=True); th.start()
    t = time.perf_counter()
    r = lb.top_examples(m, data, 'neurons.15', unit=100, k=20, batch_size=32, progress=False)
    dt = time.perf_counter() - t
    stop.set(); th.join()
    assert r.meta['n_texts'] == n and len(r.top) == 20 and r.histogram.counts.sum() == r.histogram.n
    print(json.dumps(dict(n=n, tokens=r.histogram.n, seconds=round(dt, 2), base_mb=round(base, 1), peak_during_mb=round(peak[0], 1),
                          maxrss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1), top=r.top[0]['value'])))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=int(os.environ.get('OMP_NUM_THREADS', '1')))
    ap.add_argument('--sizes', type=int, nargs=2, default=[1000, 10000])
    ap.add_argument('--child', type=int, default=0)
    args = ap.parse_args()
    if args.child: return child(args.child)
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), HF_HUB_OFFLINE='1', TRANSFORMERS_OFFLINE='1')
    res = {}
    for n in args.sizes:
        p = subprocess.run([sys.executable, __file__, '--child', str(n)], env=env, capture_output=True, text=True)
        if p.returncode: raise RuntimeError(p.stderr[-3000:])
        res[n] = json.loads(p.stdout.strip().splitlines()[-1])
    a, b = (res[n] for n in args.sizes)
    print(f"SmolLM2, top_examples of neurons.15[100] (k=20, top + bottom + 10 random, 64 bins), {args.threads} thread(s), each size in a fresh process")
    for r in (a, b):
        print(f"  {r['n']:6d} texts ({r['tokens']:7d} tokens): {r['seconds']:7.1f} s ({r['tokens'] / r['seconds']:5.0f} tokens/s); "
              f"peak RSS (ru_maxrss) {r['maxrss_mb']:7.1f} MB; RSS during the call {r['base_mb']:.1f} -> {r['peak_during_mb']:.1f} MB "
              f"(growth {r['peak_during_mb'] - r['base_mb']:+.1f} MB)")
    out = dict(model='smollm2', site='neurons.15', unit=100, threads=args.threads, n_small=a['n'], n_large=b['n'],
               tokens_small=a['tokens'], tokens_large=b['tokens'], seconds_small=a['seconds'], seconds_large=b['seconds'],
               maxrss_small_mb=a['maxrss_mb'], maxrss_large_mb=b['maxrss_mb'], maxrss_ratio=round(b['maxrss_mb'] / a['maxrss_mb'], 3),
               growth_small_mb=round(a['peak_during_mb'] - a['base_mb'], 1), growth_large_mb=round(b['peak_during_mb'] - b['base_mb'], 1),
               peak_during_ratio=round(b['peak_during_mb'] / a['peak_during_mb'], 3))
    print(f"  peak RSS ratio {b['n']:,} / {a['n']:,} texts: {out['maxrss_ratio']} (ru_maxrss), {out['peak_during_ratio']} (during the call)")
    print(json.dumps(out))

if __name__ == '__main__': main()
