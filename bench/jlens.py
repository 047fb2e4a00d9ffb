"""The cost of fitting a Jacobian lens on SmolLM2, as a ratio to one forward+backward pass over the same tokens.

The unit is a training step's work: one forward pass of a 128-token block and the backward pass of its next-token loss
to every parameter (`loss.backward()`), median of `--repeats`. Against it, per block:
- the exact estimator (the reference's: one forward with the graph, then one cotangent row per residual dimension,
  576 on SmolLM2, `dim_batch` of them per vectorised backward), timed over `--exact-blocks` blocks;
- the sketch (`rows` of the 576 per block, an unbiased random-rotation estimate), timed over `--sketch-blocks` blocks.
The exact fit costs about d_model backward passes of the states; nothing about the method makes it cheaper, only the
sketch trades rows for blocks. The kernel runs torch with `--threads` threads. The last line is one JSON object.

    python bench/jlens.py [--threads 2] [--repeats 5] [--exact-blocks 1] [--sketch-blocks 4] [--rows 32]
"""
import argparse, json, os, statistics, time
os.environ.setdefault('HF_HUB_OFFLINE', '1')
import torch
import lensbook as lb

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=2); ap.add_argument('--repeats', type=int, default=5)
    ap.add_argument('--exact-blocks', type=int, default=1); ap.add_argument('--sketch-blocks', type=int, default=4)
    ap.add_argument('--rows', type=int, default=32); ap.add_argument('--dim-batch', type=int, default=16)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    m = lb.load('smollm2')
    blocks = lb.token_blocks(m, None, 128, 128 * max(a.exact_blocks, a.sketch_blocks, 1), split='train')

    def step():                                            # one forward+backward of the LM loss, to every parameter
        t = time.perf_counter()
        out = m.model(blocks[:1], labels=blocks[:1])
        out.loss.backward()
        dt = time.perf_counter() - t
        m.model.zero_grad(set_to_none=True)
        return dt
    step()                                                 # warm-up
    fb = statistics.median(step() for _ in range(a.repeats))
    with torch.inference_mode():
        fwd = statistics.median((lambda t: (m.model(blocks[:1]), time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(a.repeats))

    def fit(n, rows):
        t = time.perf_counter()
        lb.fit_jacobian_lens(m, blocks[:n], rows=rows, dim_batch=a.dim_batch, progress=False)
        return (time.perf_counter() - t) / n
    exact = fit(a.exact_blocks, None)
    sketch = fit(a.sketch_blocks, a.rows)
    d = m.arch.d_model
    res = dict(model='smollm2', tokens_per_block=128, d_model=d, threads=a.threads,
               forward_ms=round(fwd * 1e3, 1), fwd_bwd_ms=round(fb * 1e3, 1),
               exact_s_per_block=round(exact, 2), exact_vs_fwd_bwd=round(exact / fb, 1),
               sketch_rows=a.rows, sketch_s_per_block=round(sketch, 2), sketch_vs_fwd_bwd=round(sketch / fb, 1),
               exact_per_row_vs_forward=round(exact / d / fwd, 2))
    for k, v in res.items(): print(f'{k:>26}: {v}')
    print(json.dumps(res))

if __name__ == '__main__':
    main()
