"""Logit lens over all layers and positions: lensbook's chunked lens against the naive stacked approach and the raw forward.

SmolLM2-135M, batch 8 x 128 tokens, all 30 layers, top-5 + entropy + KL to the final layer per cell.

- raw:      the model's forward pass (logits), the physical floor;
- naive:    output_hidden_states -> final norm -> unembedding of all layers at once -> log-softmax -> the same
            reductions (materialises [layers, batch, pos, vocab], 6 GB in float32 here);
- floor:    the physical floor of a lens grid: the forward stopped after the last block (`lb.run`) and the
            unembedding matmuls of every layer and position, in the chunks `logit_lens` uses, with no reduction
            (so lensbook / floor is the cost of everything a lens does beyond the multiply-adds it cannot avoid);
            each matmul returns a new [rows, vocab] tensor, as `head(h)` does;
- floor_out: the same matmuls written into one buffer reused chunk after chunk, as `logit_lens` writes them (a new
            tensor costs the page faults of its first touch, ~10% of a matmul here): the stricter floor;
- lensbook: `logit_lens` (forward stopped after the last block, chunked decoding, reduced at once);
- before:   with `--before REV`, `logit_lens` as it was at git revision REV (its lensbook/lens/logit.py loaded beside
            today's package), so a change is measured before/after in one run.

Each variant runs in its own child process (so each one's peak memory is its own): the model is loaded, the variant
warmed up, the process's peak-RSS counter reset (/proc/self/clear_refs), then it is timed `--repeats` times. Rounds of
children are interleaved (raw, naive, lensbook, raw, ...) so machine noise hits them alike; the figures are medians,
of wall-clock time and of the process's CPU time (on a machine shared with others the CPU time is the steadier one:
it leaves out the time the process waited for a core). Peak memory is the process's peak RSS during the timed runs
minus its RSS before them. The last line is one JSON object.

    python bench/lens.py [--repeats 3] [--rounds 2] [--batch 8] [--seq 128] [--threads N] [--before REV]
"""
import argparse, json, os, statistics, subprocess, sys, time
from pathlib import Path

def _rss(field):
    for line in open('/proc/self/status'):
        if line.startswith(field): return int(line.split()[1]) * 1024
    raise RuntimeError(field)

def _logit_lens_at(rev):
    "`logit_lens` of lensbook/lens/logit.py at git revision `rev`, loaded as a module beside today's package."
    import importlib.util
    root = Path(__file__).resolve().parents[1]
    src = subprocess.run(['git', '-C', str(root), 'show', f'{rev}:lensbook/lens/logit.py'], capture_output=True, text=True, check=True).stdout
    path = Path(os.environ.get('TMPDIR', '/tmp')) / f'lensbook_logit_{rev}.py'
    path.write_text(src)
    spec = importlib.util.spec_from_file_location('lensbook.lens._logit_before', path)
    mod = importlib.util.module_from_spec(spec); sys.modules[spec.name] = mod; spec.loader.exec_module(mod)
    return mod.logit_lens

def child(args):
    import torch
    torch.set_num_threads(args.threads)
    import lensbook as lb
    from lensbook.lens.logit import logit_lens
    before = _logit_lens_at(args.before) if args.child == 'before' else None
    m = lb.load(args.model)
    ids = torch.randint(100, m.arch.d_vocab, (args.batch, args.seq), generator=torch.Generator().manual_seed(0))
    x = dict(input_ids=ids, attention_mask=torch.ones_like(ids))
    norm, head = m.arch.stacks[''].final_norm, m.model.get_output_embeddings()

    def raw():
        with torch.inference_mode(): return m.model(**x, use_cache=False).logits
    def naive():
        with torch.inference_mode():
            hs = m.model(**x, use_cache=False, output_hidden_states=True).hidden_states
            H = torch.stack(hs[1:-1] + (hs[-1],))          # transformers' last entry is already normalised
            H = torch.cat([norm(H[:-1]), H[-1:]])
            lp = head(H).float().log_softmax(-1)            # [layers, batch, pos, vocab]
            top = lp.topk(5, -1)
            ent = -(lp.exp() * lp).sum(-1)
            kl = (lp[-1].exp() * (lp[-1] - lp)).sum(-1)
            return top.indices, ent, kl
    def floor(out=False):
        from lensbook.lens.logit import _budget
        sites = [f'resid_post.{i}' for i in range(m.arch.n_layers)]
        cells, group = _budget(256, m.arch.d_vocab, len(sites), True)
        with torch.inference_mode():
            tr = lb.run(m, x, read=sites, stop=True)
            hs = [tr[s].flatten(0, 1) for s in sites]
            buf = torch.empty(cells * group, m.arch.d_vocab) if out else None
            for c in range(0, hs[0].shape[0], cells):
                for g in range(0, len(hs), group):
                    h = norm(torch.cat([h[c:c+cells] for h in hs[g:g+group]]))
                    if out: torch.mm(h, head.weight.T, out=buf[:len(h)])
                    else: head(h).float()
    def lensbook_lens():
        r = logit_lens(m, x)
        return r.top_ids, r.entropy, r.kl
    def before_lens():
        r = before(m, x)
        return r.top_ids, r.entropy, r.kl
    f = dict(raw=raw, naive=naive, floor=floor, floor_out=lambda: floor(True), lensbook=lensbook_lens, before=before_lens)[args.child]
    if args.child != 'raw' and args.check:  # the two lenses agree
        a, b = naive(), lensbook_lens()
        assert (a[0] == b[0]).float().mean() > 0.999, 'top-5 differ'
        assert (a[2] - b[2]).abs().max() < 1e-3, 'KL differs'
    f()  # warm-up
    import gc; gc.collect()
    base = _rss('VmRSS:')
    with open('/proc/self/clear_refs', 'w') as fh: fh.write('5')   # reset the peak-RSS counter
    times, cpu = [], []
    for _ in range(args.repeats):
        t, c = time.perf_counter(), time.process_time(); f(); times.append(time.perf_counter() - t); cpu.append(time.process_time() - c)
    print(json.dumps(dict(times=times, cpu=cpu, peak=_rss('VmHWM:') - base)))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--rounds', type=int, default=2)
    ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--seq', type=int, default=128)
    ap.add_argument('--threads', type=int, default=int(os.environ.get('OMP_NUM_THREADS', '1')))
    ap.add_argument('--model', default='smollm2')
    ap.add_argument('--child', default=None)
    ap.add_argument('--check', action='store_true')
    ap.add_argument('--before', default=None, help='a git revision: also time logit_lens as it was there (e.g. ac3fad3)')
    args = ap.parse_args()
    if args.child: return child(args)
    kinds = ('raw', 'naive', 'floor', 'floor_out', 'lensbook') + (('before',) if args.before else ())
    times, cpus, peaks = ({k: [] for k in kinds} for _ in range(3))
    for r in range(args.rounds):
        for k in kinds:
            cmd = [sys.executable, __file__, '--child', k, '--repeats', str(args.repeats), '--batch', str(args.batch),
                   '--seq', str(args.seq), '--threads', str(args.threads), '--model', args.model] + (['--check'] if r == 0 and k == 'lensbook' else []) \
                  + (['--before', args.before] if args.before else [])
            out = subprocess.run(cmd, capture_output=True, text=True)
            if out.returncode: sys.exit(f'{k} failed:\n{out.stderr[-3000:]}')
            res = json.loads(out.stdout.strip().splitlines()[-1])
            times[k] += res['times']; cpus[k] += res['cpu']; peaks[k].append(res['peak'])
    med = {k: statistics.median(v) for k, v in times.items()}
    cpu = {k: statistics.median(v) for k, v in cpus.items()}
    peak = {k: max(v) for k, v in peaks.items()}
    print(f'model {args.model}, batch {args.batch} x {args.seq} tokens, {args.threads} thread(s), '
          f'{args.rounds} rounds x {args.repeats} repeats, interleaved')
    for k in med:
        print(f'  {k:10s} median {med[k]*1000:9.1f} ms (cpu {cpu[k]*1000:9.1f} ms)  ratio to raw {med[k]/med["raw"]:6.2f}  '
              f'to floor {med[k]/med["floor"]:5.3f} (cpu {cpu[k]/cpu["floor"]:5.3f})   peak +{peak[k]/2**20:8.0f} MiB')
    ratios = lambda k: dict(wall=round(med[k] / med['floor'], 3), cpu=round(cpu[k] / cpu['floor'], 3),
                            wall_vs_floor_out=round(med[k] / med['floor_out'], 3), cpu_vs_floor_out=round(cpu[k] / cpu['floor_out'], 3))
    print(json.dumps(dict(model=args.model, batch=args.batch, seq=args.seq, threads=args.threads, rounds=args.rounds, repeats=args.repeats,
                          raw_ms=round(med['raw'] * 1000, 1), naive_ms=round(med['naive'] * 1000, 1),
                          lensbook_ms=round(med['lensbook'] * 1000, 1), floor_ms=round(med['floor'] * 1000, 1),
                          floor_out_ms=round(med['floor_out'] * 1000, 1),
                          time_vs_floor=round(med['lensbook'] / med['floor'], 3),
                          cpu_time_vs_floor=round(cpu['lensbook'] / cpu['floor'], 3),
                          time_vs_floor_out=round(med['lensbook'] / med['floor_out'], 3),
                          cpu_time_vs_floor_out=round(cpu['lensbook'] / cpu['floor_out'], 3),
                          floor_vs_raw_forward=round(med['floor'] / med['raw'], 3),
                          time_vs_naive=round(med['lensbook'] / med['naive'], 3),
                          peak_mem_vs_naive=round(peak['lensbook'] / peak['naive'], 4),
                          time_vs_raw_forward=round(med['lensbook'] / med['raw'], 3),
                          **(dict(before=args.before, before_ms=round(med['before'] * 1000, 1), before_vs_floor=ratios('before'),
                                  lensbook_vs_floor=ratios('lensbook')) if args.before else {}),
                          peak_mib=dict((k, round(v / 2**20)) for k, v in peak.items()))))

if __name__ == '__main__': main()
