"""Peak memory of SAE training streamed from an activation store on disk (nbs/29_sae_training), and of the search for a
feature's top-activating examples over the corpus (nbs/26_examples, a feature as the site), each at two data sizes.

The corpus' train split is collected at resid_post.15 of SmolLM2 into a store of 32-text shards (half of the texts, then
resumed to all of them); each size then trains a top-k SAE (d_sae 4608, k 32, one pass, 1024-token steps, mem_mb=64)
in a fresh subprocess, which resets its high-water mark after loading the model (/proc/self/clear_refs) so that the
peak is training's own. The search streams the texts (the whole corpus, train and test splits, then the corpus twice over: 54k and 107k tokens) through
the model with an SAE of the same shape (seeded random weights: memory does not depend on what it learnt) as the site, and
keeps a feature's top and bottom 20, 10 random tokens and an exact histogram. Bounded memory: the peak above the loaded
model must not grow with the number of tokens.

    python bench/sae.py [--keep DIR] [--only train|top]      # last line: JSON
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path

SITE = 'resid_post.15'

def _vm(key):
    for line in Path('/proc/self/status').read_text().splitlines():
        if line.startswith(key + ':'): return int(line.split()[1]) / 1024      # MiB
    return None

def child(store):
    import lensbook as lb
    m = lb.load('smollm2')
    loaded = _vm('VmRSS')
    try: Path('/proc/self/clear_refs').write_text('5')                          # reset VmHWM to the current RSS
    except OSError: pass
    st = lb.load_activations(store, m)
    t = time.perf_counter()
    sae = lb.train_sae(m, SITE, store=store, d_sae=4608, k=32, epochs=1, batch_size=1024, lr=1e-3, mem_mb=64, progress=False)
    print(json.dumps(dict(tokens=st.meta['n_rows'], texts=len(st), store_mb=round(sum(f.stat().st_size for f in Path(store).glob('*.safetensors')) / 2**20, 1),
                          rss_loaded_mb=round(loaded, 1), peak_mb=round(_vm('VmHWM'), 1), peak_over_loaded_mb=round(_vm('VmHWM') - loaded, 1),
                          train_s=round(time.perf_counter() - t, 1), fvu_last=round(sae.meta['metadata']['lensbook_training']['curve']['fvu'][-1], 4))))

def child_top(n_texts):
    import torch, lensbook as lb
    m = lb.load('smollm2')
    texts = (lb.corpus('all') * 4)[:int(n_texts)]                               # the corpus, again and again
    g = torch.Generator().manual_seed(0)
    W = torch.randn(576, 4608, generator=g) / 24
    sae = lb.SAE(W, torch.zeros(4608), W.T.contiguous(), torch.zeros(576), architecture='topk', k=32, site=SITE)
    loaded = _vm('VmRSS')
    try: Path('/proc/self/clear_refs').write_text('5')
    except OSError: pass
    t = time.perf_counter()
    ex = lb.top_examples(m, texts, sae, unit=7, k=20, progress=False)
    print(json.dumps(dict(texts=len(texts), tokens=int(ex.histogram.n), rss_loaded_mb=round(loaded, 1), peak_mb=round(_vm('VmHWM'), 1),
                          peak_over_loaded_mb=round(_vm('VmHWM') - loaded, 1), search_s=round(time.perf_counter() - t, 1))))

def _run_child(*args):
    r = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=os.environ)
    if r.returncode: sys.exit(r.stderr[-3000:])
    return json.loads(r.stdout.strip().splitlines()[-1])

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--child'); ap.add_argument('--child-top'); ap.add_argument('--keep', help='keep (and reuse) the stores in this folder')
    ap.add_argument('--only', choices=('train', 'top'), help='run one of the two measurements')
    a = ap.parse_args()
    if a.child: return child(a.child)
    if a.child_top: return child_top(a.child_top)
    import lensbook as lb
    out = dict(site=SITE)
    if a.only != 'train':
        n = len(lb.corpus('all'))
        top = [_run_child('--child-top', str(k)) for k in (n, 2 * n)]
        for r in top: print('top_examples', r, flush=True)
        out.update(top_examples=top, top_examples_peak_growth_mb=round(top[1]['peak_over_loaded_mb'] - top[0]['peak_over_loaded_mb'], 1))
        if a.only == 'top': return print(json.dumps(out))
    root = Path(a.keep or tempfile.mkdtemp(prefix='lensbook-bench-sae-'))
    texts = lb.corpus('train')
    half, full = root/'half', root/'all'
    if not (full/'store.safetensors').exists():
        m = lb.load('smollm2')
        lb.collect(m, texts[:len(texts) // 2], SITE, reduce='all', out=half, shard_size=32, batch_size=8, progress=False)
        shutil.copytree(half, full, dirs_exist_ok=True)
        lb.collect(m, texts, SITE, reduce='all', out=full, shard_size=32, batch_size=8, progress=False)   # resumes the copy
        del m
    rows = []
    for store in (half, full):
        rows.append(_run_child('--child', str(store)))
        print(rows[-1], flush=True)
    if not a.keep: shutil.rmtree(root, ignore_errors=True)
    growth = rows[1]['peak_over_loaded_mb'] - rows[0]['peak_over_loaded_mb']
    out.update(sizes=rows, peak_growth_mb=round(growth, 1), store_growth_mb=round(rows[1]['store_mb'] - rows[0]['store_mb'], 1))
    print(json.dumps(out))

if __name__ == '__main__': main()
