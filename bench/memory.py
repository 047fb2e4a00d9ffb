"""Memory planning against measurement: `lb.plan` estimates vs the measured peak memory of the four long-running
workloads (lens sweep, patching sweep, collection, J-lens fit) on SmolLM2, two sizes each.

Each workload runs in a fresh subprocess: load SmolLM2, run one short forward (every weight page is touched), collect
garbage and `malloc_trim`, read VmRSS (the baseline: the loaded model), reset the high-water mark (`echo 5 >
/proc/self/clear_refs`), run the workload once, read VmHWM. Measured = VmHWM - baseline: the peak resident memory the
run added above the loaded model (what `plan` calls `extra_mb`). Prints estimate, measured and their ratio; the
last line is JSON. Run: `HF_HUB_OFFLINE=1 OMP_NUM_THREADS=1 .venv/bin/python bench/memory.py [--only lens]`.
"""
import json, os, re, subprocess, sys, tempfile, time

CASES = [  # (workload, plan keyword arguments); the same keywords drive the real run below
    ('lens',    dict(n=4, seq_len=64)),
    ('lens',    dict(n=2, seq_len=192, settings=dict(mem_mb=1024))),
    ('patch',   dict(seq_len=16, settings=dict(sites='resid_pre'))),
    ('patch',   dict(seq_len=32, batch_size=32, settings=dict(sites='mlp_out'))),
    ('collect', dict(n=192, seq_len=64, batch_size=16, settings=dict(sites='resid_post', reduce='last'))),
    ('collect', dict(n=96, seq_len=96, batch_size=32, settings=dict(sites='resid_post', reduce='all'))),
    ('jlens',   dict(n=2, seq_len=64, batch_size=1, settings=dict(rows=16, dim_batch=8))),
    ('jlens',   dict(n=2, seq_len=96, batch_size=2, settings=dict(rows=16, dim_batch=16))),
]

def _status():
    s = open('/proc/self/status').read()
    return {k: int(re.search(k + r':\s+(\d+)', s).group(1)) / 1024 for k in ('VmHWM', 'VmRSS')}

def _texts(m, n, seq_len):
    "n texts of exactly seq_len tokens each (cut from the shipped corpus), and the same as token blocks."
    import lensbook as lb
    blocks = lb.token_blocks(m, None, seq_len, n * seq_len, split='train')
    return [m.tokenizer.decode(b) for b in blocks], blocks

def _run(workload, kw, m, tmp):
    "The real workload of a case, with the sizes `plan` was given."
    import torch, lensbook as lb
    s, n, T, bs = dict(kw.get('settings') or {}), kw.get('n', 1), kw['seq_len'], kw.get('batch_size')
    if workload == 'lens':
        ids = torch.randint(100, 40000, (n, T))
        return lambda: lb.logit_lens(m, ids, **s)
    if workload == 'patch':
        g = torch.Generator().manual_seed(0)
        c, x = torch.randint(100, 40000, (1, T), generator=g), torch.randint(100, 40000, (1, T), generator=g)
        return lambda: lb.patch(m, c, x, 'kl', **s, **({} if bs is None else dict(batch_size=bs)))
    if workload == 'collect':
        texts, _ = _texts(m, n, T)
        if s.get('out') == 'tmp': s['out'] = os.path.join(tmp, 'store')
        return lambda: lb.collect(m, texts, **s, **({} if bs is None else dict(batch_size=bs)), progress=False)
    if workload == 'jlens':
        _, blocks = _texts(m, n, T)
        return lambda: lb.fit_jacobian_lens(m, blocks, skip=4, **s, **({} if bs is None else dict(batch_size=bs)), progress=False)
    raise ValueError(workload)

def child(i):
    import gc, ctypes, torch, lensbook as lb
    workload, kw = CASES[i]
    m = lb.load('smollm2')
    with torch.inference_mode(): m.model(input_ids=torch.arange(8)[None])        # touch every weight page
    from lensbook.memory import _DEFAULT_BATCH
    p = lb.plan(m, workload, **dict(kw, batch_size=kw.get('batch_size') or _DEFAULT_BATCH[workload] or kw.get('n', 1)))   # what the run uses
    run_kw = dict(kw, batch_size=p.batch_size if workload != 'lens' else None)                 # exactly what was planned
    if workload == 'jlens': run_kw['settings'] = dict(kw.get('settings') or {}, dim_batch=p.sizes['dim_batch'])
    with tempfile.TemporaryDirectory() as tmp:
        f = _run(workload, run_kw, m, tmp)
        gc.collect(); ctypes.CDLL('libc.so.6').malloc_trim(0)
        base = _status()['VmRSS']
        open('/proc/self/clear_refs', 'w').write('5')                              # VmHWM := VmRSS
        t0 = time.time(); f(); dt = time.time() - t0
        peak = _status()['VmHWM'] - base
    print('RESULT ' + json.dumps(dict(workload=workload, kw=kw, estimate=round(p.extra_mb, 1), measured=round(peak, 1),
                                      ratio=round(p.extra_mb / peak, 3), seconds=round(dt, 1), base=round(base, 1),
                                      batch_size=p.batch_size, phase=p.phase, components={k: round(v, 1) for k, v in p.components.items()})))

def main():
    args = sys.argv[1:]
    only = args[args.index('--only') + 1] if '--only' in args else None
    env = dict(os.environ, HF_HUB_OFFLINE='1', OMP_NUM_THREADS=os.environ.get('OMP_NUM_THREADS', '1'))
    rows = []
    for i, (w, kw) in enumerate(CASES):
        if only and w != only: continue
        r = subprocess.run([sys.executable, __file__, '--child', str(i)], capture_output=True, text=True, env=env)
        line = next((l for l in r.stdout.splitlines() if l.startswith('RESULT ')), None)
        if line is None: print(r.stdout[-2000:], r.stderr[-4000:]); raise SystemExit(f'case {i} failed')
        rows.append(json.loads(line[7:]))
        x = rows[-1]
        print(f"{w:8s} {json.dumps(kw):90s} estimate {x['estimate']:8.1f} MiB  measured {x['measured']:8.1f} MiB  "
              f"ratio {x['ratio']:.2f}  ({x['seconds']} s)", flush=True)
    ok = all(0.75 <= x['ratio'] <= 1.25 for x in rows)
    print(json.dumps(dict(bench='memory', model='smollm2', measured='VmHWM - VmRSS baseline (clear_refs reset), fresh process per case',
                          rows=rows, all_within_25pct=ok)))

if __name__ == '__main__':
    if '--child' in sys.argv: child(int(sys.argv[sys.argv.index('--child') + 1]))
    else: main()
