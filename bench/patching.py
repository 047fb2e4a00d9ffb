"""Residual-stream patching sweep (every layer x every position) of a 16-token clean/corrupt pair on SmolLM2:
lensbook's `patch` against a naive loop (one full forward per cell, written here) and, when installed,
TransformerLens's `patching.get_act_patch_resid_pre` (the model converted from the same in-memory weights; never a hub).

All variants compute the logit difference ' Paris' - ' Rome' for every cell; the results must agree (max abs diff).
Variants run interleaved over `--repeats` rounds; figures are medians. The last line is one JSON object.

    python bench/patching.py [--repeats 3] [--threads N]
"""
import argparse, json, os, statistics, time
import torch

CLEAN = 'In the old town, the famous Eiffel Tower stands tall in the city of'
CORRUPT = 'In the old town, the famous Colosseum stands tall in the city of'

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--threads', type=int, default=int(os.environ.get('OMP_NUM_THREADS', '1')))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    import lensbook as lb
    from lensbook.patching import patch, logit_diff, _pair
    m = lb.load('smollm2')
    c, x = _pair(m, CLEAN, CORRUPT)
    P, L = c.shape[1], m.arch.n_layers
    ld = logit_diff(m, ' Paris', ' Rome')

    def lensbook_sweep(): return patch(m, c, x, ld, 'resid_pre').values
    def naive_loop():
        src = lb.run(m, c, read='resid_pre')
        out = torch.zeros(L, P)
        for l in range(L):
            for p in range(P):
                e = lb.replace(f'resid_pre.{l}', src[f'resid_pre.{l}'][:, [p]], pos=[p])
                out[l, p] = ld(lb.run(m, x, edit=e).logits[:, -1].float())[0]
        return out
    variants = dict(lensbook=lensbook_sweep, naive_loop=naive_loop)
    try:
        from transformer_lens import HookedTransformer, patching
        tl = HookedTransformer.from_pretrained_no_processing('HuggingFaceTB/SmolLM2-135M', hf_model=m.model, tokenizer=m.tokenizer,
                                                           device='cpu', dtype=torch.float32)
        a, b = m.tokenizer.convert_tokens_to_ids(['ĠParis', 'ĠRome'])
        _, cache = tl.run_with_cache(c)
        metric = lambda logits: logits[0, -1, a] - logits[0, -1, b]
        variants['transformer_lens'] = lambda: patching.get_act_patch_resid_pre(tl, x, cache, metric).cpu()
    except Exception as e: print(f'TransformerLens not run ({type(e).__name__}: {str(e)[:80]}); pip install transformer-lens to compare')
    results = {k: f() for k, f in variants.items()}   # warm-up, and the results to compare
    diff = {k: (v - results['naive_loop']).abs().max().item() for k, v in results.items()}
    times = {k: [] for k in variants}
    for _ in range(args.repeats):
        for k, f in variants.items():
            t = time.perf_counter(); f(); times[k].append(time.perf_counter() - t)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f'SmolLM2, {P}-token pair, {L} layers x {P} positions = {L*P} cells, {args.threads} thread(s), {args.repeats} interleaved repeats')
    for k in med: print(f'  {k:18s} median {med[k]*1000:9.1f} ms   max abs diff to the loop {diff[k]:.2e}')
    res = dict(tokens=P, cells=L * P, threads=args.threads, lensbook_ms=round(med['lensbook'] * 1000, 1),
               naive_loop_ms=round(med['naive_loop'] * 1000, 1), speedup_vs_loop=round(med['naive_loop'] / med['lensbook'], 2),
               max_abs_diff=float(f"{max(diff.values()):.3g}"))
    if 'transformer_lens' in med:
        res['speedup_vs_transformer_lens'] = round(med['transformer_lens'] / med['lensbook'], 2)
    assert res['max_abs_diff'] <= 1e-4, res
    print(json.dumps(res))

if __name__ == '__main__': main()
