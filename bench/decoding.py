"""Self-speculative decoding against plain greedy decoding with a KV cache, side by side in one run.

SmolLM2-135M (float32), one prompt at a time, greedy. Variants, each timed on the same prompts:

- generate:   transformers' `model.generate(do_sample=False)` with its KV cache, the baseline;
- spec_best:  `lb.self_speculative` with the skip set `lb.search_skip` finds on a calibration text (its cost-model
              objective, deterministic; the search itself is timed once and reported, not counted in the decoding);
- spec_skip:  the same with the best set that skips at least one block (what skipping buys, when the best set is
              the no-skip draft).

Every variant's tokens are checked equal to `generate`'s. Per thread count (1 and 2 by default) one child process
loads the model, warms up, then runs `--rounds` rounds; a round decodes every prompt with every variant in turn, so
machine noise hits them alike. Figures are medians over rounds x prompts of tokens/s (generated tokens over the wall
time of the whole call, prompt included). The last line is one JSON object.

    python bench/decoding.py [--rounds 3] [--new 64] [--prompts 3] [--budget 45] [--threads 1,2] [--device cpu]
"""
import argparse, json, os, statistics, subprocess, sys, time

PROMPTS = 'The history of the Roman Empire begins with|Photosynthesis is the process by which|def merge_sort(items):\n'

def _texts(n):
    return PROMPTS.split('|')[:n]

def search(args):
    import torch
    torch.set_num_threads(1)
    import lensbook as lb
    m = lb.load(args.model, device=args.device)
    r = lb.search_skip(m, budget_s=args.budget, max_new_tokens=32)
    skipping = [t for t in r.trials if t['skip']]
    best_skip = max(skipping, key=lambda t: t['modelled_speedup']) if skipping else r.best_trial
    print(json.dumps(dict(best=r.best, best_trial=r.best_trial, best_skipping=best_skip, trials=len(r.trials), seconds=r.seconds)))

def child(args):
    import torch
    torch.set_num_threads(args.threads)
    import lensbook as lb
    m = lb.load(args.model, device=args.device)
    sets = json.loads(args.sets)
    prompts = [lb.tokenize(m, t)['input_ids'].to(m.device) for t in _texts(args.prompts)]
    sync = torch.cuda.synchronize if args.device == 'cuda' else (lambda: None)
    def generate(ids):
        g = m.model.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False, max_new_tokens=args.new,
                             pad_token_id=m.tokenizer.pad_token_id)
        return g[0, ids.shape[1]:].tolist(), None
    def spec(skip):
        def f(ids):
            s = lb.self_speculative(m, ids, skip, draft=4, max_new_tokens=args.new)
            return s.tokens, s
        return f
    variants = dict(generate=generate, spec_best=spec(sets['best']), spec_skip=spec(sets['skipping']))
    for f in variants.values(): f(prompts[0])                      # warm-up
    tps, acc, mean_acc, same = {k: [] for k in variants}, {k: [] for k in variants}, {k: [] for k in variants}, True
    for _ in range(args.rounds):
        for ids in prompts:
            ref = None
            for k, f in variants.items():
                sync(); t = time.perf_counter(); toks, s = f(ids); sync(); dt = time.perf_counter() - t
                if ref is None: ref = toks
                same &= toks == ref
                tps[k].append(len(toks) / dt)
                if s is not None: acc[k].append(s.acceptance); mean_acc[k].append(s.mean_accepted)
    print(json.dumps(dict(tokens_per_s={k: statistics.median(v) for k, v in tps.items()},
                          acceptance={k: statistics.median(v) for k, v in acc.items() if v},
                          mean_accepted={k: statistics.median(v) for k, v in mean_acc.items() if v}, identical=same)))

def _run(cmd):
    out = subprocess.run([sys.executable, __file__] + cmd, capture_output=True, text=True)
    if out.returncode: sys.exit(f'{cmd} failed:\n{out.stderr[-3000:]}')
    return json.loads(out.stdout.strip().splitlines()[-1])

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--new', type=int, default=64)
    ap.add_argument('--prompts', type=int, default=3)
    ap.add_argument('--budget', type=float, default=45.)
    ap.add_argument('--threads', default='1,2')
    ap.add_argument('--model', default='smollm2')
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--child', default=None)
    ap.add_argument('--sets', default=None)
    args = ap.parse_args()
    if args.child == 'search': return search(args)
    if args.child == 'time': args.threads = int(args.threads); return child(args)
    common = ['--model', args.model, '--device', args.device]
    found = _run(['--child', 'search', '--budget', str(args.budget)] + common)
    sets = dict(best=found['best'], skipping=found['best_skipping']['skip'])
    res = {}
    for th in [int(t) for t in args.threads.split(',')]:
        res[th] = _run(['--child', 'time', '--threads', str(th), '--rounds', str(args.rounds), '--new', str(args.new),
                        '--prompts', str(args.prompts), '--sets', json.dumps(sets)] + common)
    print(f'model {args.model} on {args.device}, {args.prompts} prompts x {args.new} new tokens, {args.rounds} rounds, interleaved; '
          f'skip-set search: {found["trials"]} trials in {found["seconds"]:.0f} s')
    print(f'  best skip set (cost model): {sets["best"]}  modelled speed-up {found["best_trial"]["modelled_speedup"]:.3f}')
    print(f'  best set skipping a block:  {sets["skipping"]}  modelled speed-up {found["best_skipping"]["modelled_speedup"]:.3f}')
    for th, r in res.items():
        t = r['tokens_per_s']
        print(f'  {th} thread(s): generate {t["generate"]:6.1f} tok/s | spec_best {t["spec_best"]:6.1f} tok/s '
              f'(x{t["spec_best"] / t["generate"]:.3f}, acceptance {r["acceptance"]["spec_best"]:.2f}) | spec_skip {t["spec_skip"]:6.1f} tok/s '
              f'(x{t["spec_skip"] / t["generate"]:.3f}, acceptance {r["acceptance"]["spec_skip"]:.2f}) | identical {r["identical"]}')
    print(json.dumps(dict(model=args.model, device=args.device, new_tokens=args.new, prompts=args.prompts, rounds=args.rounds,
                          best_skip=sets['best'], best_skipping=sets['skipping'],
                          modelled_speedup=dict(best=round(found['best_trial']['modelled_speedup'], 3),
                                                skipping=round(found['best_skipping']['modelled_speedup'], 3)),
                          search_trials=found['trials'], search_s=round(found['seconds'], 1),
                          threads={th: dict(generate_tps=round(r['tokens_per_s']['generate'], 2),
                                            spec_best_tps=round(r['tokens_per_s']['spec_best'], 2),
                                            spec_skip_tps=round(r['tokens_per_s']['spec_skip'], 2),
                                            ratio_best=round(r['tokens_per_s']['spec_best'] / r['tokens_per_s']['generate'], 3),
                                            ratio_skip=round(r['tokens_per_s']['spec_skip'] / r['tokens_per_s']['generate'], 3),
                                            acceptance_best=round(r['acceptance']['spec_best'], 3),
                                            acceptance_skip=round(r['acceptance']['spec_skip'], 3),
                                            mean_accepted_best=round(r['mean_accepted']['spec_best'], 2),
                                            mean_accepted_skip=round(r['mean_accepted']['spec_skip'], 2),
                                            identical=r['identical']) for th, r in res.items()})))

if __name__ == '__main__': main()
