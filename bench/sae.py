"""Peak memory of SAE training streamed from an activation store on disk (nbs/29_sae_training), at two data sizes.

The corpus' train split is collected at resid_post.15 of SmolLM2 into a store of 32-text shards (half of the texts, then
resumed to all of them); each size then trains a top-k SAE (d_sae 4608, k 32, one pass, 1024-token steps, mem_mb=64)
in a fresh subprocess, which resets its high-water mark after loading the model (/proc/self/clear_refs) so that the
peak is training's own. Bounded memory: the peak above the loaded model must not grow with the number of tokens.

    python bench/sae.py [--keep DIR]      # last line: JSON
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

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--child'); ap.add_argument('--keep', help='keep (and reuse) the stores in this folder')
    a = ap.parse_args()
    if a.child: return child(a.child)
    import lensbook as lb
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
        r = subprocess.run([sys.executable, __file__, '--child', str(store)], capture_output=True, text=True, env=os.environ)
        if r.returncode: sys.exit(r.stderr[-3000:])
        rows.append(json.loads(r.stdout.strip().splitlines()[-1]))
        print(rows[-1], flush=True)
    if not a.keep: shutil.rmtree(root, ignore_errors=True)
    growth = rows[1]['peak_over_loaded_mb'] - rows[0]['peak_over_loaded_mb']
    print(json.dumps(dict(site=SITE, sizes=rows, peak_growth_mb=round(growth, 1),
                          store_growth_mb=round(rows[1]['store_mb'] - rows[0]['store_mb'], 1))))

if __name__ == '__main__': main()
