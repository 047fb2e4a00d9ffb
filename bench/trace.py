"""Cost of capturing the residual stream, as a ratio to the raw forward pass of the same model on the same input.

SmolLM2-135M, batch 8 x 128 tokens. Variants run interleaved (A B C A B C ...) in one process so machine noise
hits them alike; figures are medians over the repeats. Then the fixed cost of one `lb.run` (its checks, parsing and
hooks) on a 1 x 16 input of a GPT-2-shaped model (12 blocks, small widths, so the forward itself is cheap): extra
milliseconds and extra Python calls (counted with `sys.setprofile`) over the raw forward, for a run with no read,
a run reading one site, and one plain torch forward hook alone. Peers (nnsight, TransformerLens) are added side by side
when installed. The last line printed is one JSON object of figures.

    python bench/trace.py [--repeats 7] [--batch 8] [--seq 128] [--threads N]
"""
import argparse, json, os, statistics, sys, time
import torch

def fixed_cost(repeats:int=300):
    "Extra ms (median of interleaved repeats) and extra Python calls of one `lb.run` over the raw forward, 1 x 16 tokens."
    import lensbook as lb
    from transformers import GPT2Config, GPT2LMHeadModel
    torch.manual_seed(0)
    cfg = GPT2Config(n_layer=12, n_embd=64, n_head=4, vocab_size=1000, n_positions=64, bos_token_id=0, eos_token_id=0)
    m = lb.load(GPT2LMHeadModel(cfg).eval())
    ids = torch.randint(0, 1000, (1, 16), generator=torch.Generator().manual_seed(0))
    x = dict(input_ids=ids, attention_mask=torch.ones_like(ids))
    def raw():
        with torch.inference_mode(): return m.model(**x, use_cache=False)
    def run_plain(): return lb.run(m, x)
    def run_one_read(): return lb.run(m, x, read='resid_post.6')
    def torch_hook():
        h = m.model.transformer.h[6].register_forward_hook(lambda mod, a, o: None)
        try: return raw()
        finally: h.remove()
    fs = dict(raw=raw, run=run_plain, run_one_read=run_one_read, torch_hook=torch_hook)
    def calls(f):
        n = [0]
        def prof(frame, event, arg):
            if event == 'call': n[0] += 1
        f(); sys.setprofile(prof)
        try: f()
        finally: sys.setprofile(None)
        return n[0]
    for f in fs.values(): f()
    t = {k: [] for k in fs}
    for _ in range(repeats):
        for k, f in fs.items():
            s = time.perf_counter(); f(); t[k].append(time.perf_counter() - s)
    med = {k: statistics.median(v) * 1000 for k, v in t.items()}
    n = {k: calls(f) for k, f in fs.items()}
    out = dict(fixed_raw_ms=round(med['raw'], 3), fixed_raw_calls=n['raw'])
    for k in ('run', 'run_one_read', 'torch_hook'):
        out[f'fixed_{k}_extra_ms'] = round(med[k] - med['raw'], 3)
        out[f'fixed_{k}_extra_calls'] = n[k] - n['raw']
    print(f"fixed cost, GPT-2-shaped 12 blocks, 1 x 16 tokens: raw {med['raw']:.2f} ms, {n['raw']} Python calls")
    for k in ('run', 'run_one_read', 'torch_hook'):
        print(f"  {k:14s} +{med[k] - med['raw']:.3f} ms   +{n[k] - n['raw']} calls")
    return out

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--repeats', type=int, default=7)
    ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--seq', type=int, default=128)
    ap.add_argument('--threads', type=int, default=int(os.environ.get('OMP_NUM_THREADS', '1')))
    ap.add_argument('--model', default='smollm2')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    import lensbook as lb
    m = lb.load(args.model)
    n = m.arch.n_layers
    ids = torch.randint(100, m.arch.d_vocab, (args.batch, args.seq), generator=torch.Generator().manual_seed(0))
    x = dict(input_ids=ids, attention_mask=torch.ones_like(ids))

    def raw():
        with torch.inference_mode(): return m.model(**x, use_cache=False).logits
    def lensbook_resid():
        tr = lb.run(m, x, read='resid_post')
        assert len(tr) == n
        return tr.logits
    def hidden_states():
        with torch.inference_mode(): return m.model(**x, use_cache=False, output_hidden_states=True).logits
    def lensbook_resid_stop():  # every resid_post, but no unembedding: stop after the last block
        return lb.run(m, x, read='resid_post', stop=True)
    variants = dict(raw=raw, lensbook_resid_post=lensbook_resid, output_hidden_states=hidden_states,
                    lensbook_resid_post_stop=lensbook_resid_stop)
    try:
        from nnsight import LanguageModel
        nn_model = LanguageModel(m.model, tokenizer=m.tokenizer)
        path = next(k for k, mod in m.model.named_modules() if mod is m.arch.blocks)  # the peer needs the module path
        envoy_blocks = nn_model
        for part in path.split('.'): envoy_blocks = getattr(envoy_blocks, part)
        def nnsight_resid():
            saved = []
            with torch.inference_mode(), nn_model.trace(x['input_ids']):
                for i in range(n): saved.append(envoy_blocks[i].output.save())
            return saved
        variants['nnsight_resid_post'] = nnsight_resid
    except ImportError: print('nnsight not installed: peer skipped (pip install nnsight)')

    ref = raw()
    torch.testing.assert_close(lensbook_resid(), ref, atol=1e-4, rtol=1e-5)  # same output as the raw forward
    if 'nnsight_resid_post' in variants:  # the peer reads the same stream
        torch.testing.assert_close(variants['nnsight_resid_post']()[-1], lb.run(m, x, read=f'resid_post.{n-1}')[f'resid_post.{n-1}'])
    for f in variants.values(): f()  # warm-up
    times = {k: [] for k in variants}
    for _ in range(args.repeats):
        for k, f in variants.items():
            t = time.perf_counter(); f(); times[k].append(time.perf_counter() - t)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"model {args.model}, batch {args.batch} x {args.seq} tokens, {args.threads} thread(s), {args.repeats} interleaved repeats")
    for k, v in med.items():
        print(f"  {k:28s} median {v*1000:8.1f} ms   ratio to raw {v/med['raw']:.3f}   (min {min(times[k])*1000:.1f} ms)")
    res = dict(model=args.model, batch=args.batch, seq=args.seq, threads=args.threads, repeats=args.repeats,
               raw_ms=round(med['raw'] * 1000, 1),
               capture_all_resid_vs_raw=round(med['lensbook_resid_post'] / med['raw'], 3),
               output_hidden_states_vs_raw=round(med['output_hidden_states'] / med['raw'], 3),
               capture_all_resid_stop_vs_raw=round(med['lensbook_resid_post_stop'] / med['raw'], 3))
    if 'nnsight_resid_post' in med: res['nnsight_resid_vs_raw'] = round(med['nnsight_resid_post'] / med['raw'], 3)
    res.update(fixed_cost())
    print(json.dumps(res))

if __name__ == '__main__': main()
