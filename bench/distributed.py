"""Data-parallel collection on this machine: `collect(out=...)` of SmolLM2's residual stream (3 layers, each text's
mean) over the same texts, run by `torchrun` with 1 process of 1 torch thread, 1 process of 2 threads and 2 processes
of 1 thread each, interleaved, `--repeats` rounds; the collection time of a run is its slowest rank's (model loading left out). Prints
examples/s of each and the ratio; the last line is one JSON object.

On a 2-core machine the two set-ups use the same cores, so the ratio measures how well processes use them compared
with threads inside one forward pass, not a gain from more hardware.

    python bench/distributed.py [--n 512] [--repeats 3]
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, textwrap
from pathlib import Path

SCRIPT = textwrap.dedent('''
    import json, os, sys, time, torch
    import lensbook as lb
    n, out = int(sys.argv[1]), sys.argv[2]
    sys.path.insert(0, sys.argv[3]); from probe import texts
    m = lb.load('smollm2')
    data = texts(n)
    lb.core._barrier(lb.core._world()[1])
    t = time.perf_counter()
    st = lb.collect(m, data, sites=['resid_post.5', 'resid_post.15', 'resid_post.29'], reduce='mean', out=out,
                    batch_size=16, shard_size=64, progress=False)
    dt = time.perf_counter() - t
    assert len(st) == n
    print('TIME', os.environ.get('RANK', '0'), dt, flush=True)
''')

def run(procs:int, threads:int, n:int) -> float:
    with tempfile.TemporaryDirectory() as d:
        script = Path(d)/'collect.py'; script.write_text(SCRIPT)
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads), HF_HUB_OFFLINE='1')
        r = subprocess.run([str(Path(sys.executable).parent/'torchrun'), '--nproc-per-node', str(procs), '--master-port', str(29600 + os.getpid() % 300),
                            str(script), str(n), str(Path(d)/'store'), str(Path(__file__).parent)],
                           capture_output=True, text=True, env=env, timeout=3600)
        if r.returncode: raise RuntimeError(r.stderr[-3000:])
        return max(float(l.split()[2]) for l in r.stdout.splitlines() if l.startswith('TIME'))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--n', type=int, default=512); ap.add_argument('--repeats', type=int, default=3)
    a = ap.parse_args()
    base, one, two = [], [], []
    for _ in range(a.repeats):
        base.append(run(1, 1, a.n)); one.append(run(1, 2, a.n)); two.append(run(2, 1, a.n))
        print(f'1 process x 1 thread: {a.n / base[-1]:.1f} ex/s   1 process x 2 threads: {a.n / one[-1]:.1f} ex/s   '
              f'2 processes x 1 thread: {a.n / two[-1]:.1f} ex/s', flush=True)
    r0, r1, r2 = (a.n / statistics.median(x) for x in (base, one, two))
    print(json.dumps(dict(n=a.n, repeats=a.repeats, one_thread_ex_per_s=round(r0, 2), one_process_ex_per_s=round(r1, 2),
                          two_processes_ex_per_s=round(r2, 2), ratio_two_processes_vs_one_thread=round(r2 / r0, 3),
                          ratio_two_processes_vs_two_threads=round(r2 / r1, 3), cores=os.cpu_count())))

if __name__ == '__main__': main()
