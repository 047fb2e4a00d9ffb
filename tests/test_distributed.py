"""Data-parallel collection under torchrun: 2 CPU processes (gloo) write one store that equals a single-process run,
example numbers and rows included; a run whose rank is killed mid-way resumes without duplicates."""
import os, socket, subprocess, sys, textwrap
from pathlib import Path
import pytest, torch
import lensbook as lb

TORCHRUN = Path(sys.executable).parent/'torchrun'
TEXTS = [f'text number {i} ' + 'ab' * (i % 5) for i in range(60)]   # the scripts below make the same texts
SCRIPT = textwrap.dedent('''
    import os, sys, signal
    import lensbook as lb
    out, reduce, die_at = sys.argv[1], sys.argv[2], int(sys.argv[3])
    m = lb.tiny('llama')
    texts = [f'text number {i} ' + 'ab' * (i % 5) for i in range(43)]
    def data():
        for i, t in enumerate(texts):
            if i == die_at and int(os.environ['RANK']) == 1: os.kill(os.getpid(), signal.SIGKILL)   # a crash mid-run
            yield t
    st = lb.collect(m, data(), sites=['resid_post.0', 'mlp_out.1'], reduce=reduce, out=out, shard_size=4, batch_size=1, progress=False)
    assert len(st) == len(texts), len(st)
    print('rank', os.environ['RANK'], 'done', len(st))
''')

def _free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def _torchrun(tmp_path, name:str, script:str, *args):
    "Run `script` (Python text) as tmp_path/name under torchrun with 2 CPU processes; the completed process."
    f = tmp_path/name
    f.write_text(script)
    env = dict(os.environ, OMP_NUM_THREADS='1', HF_HUB_OFFLINE='1')
    return subprocess.run([str(TORCHRUN), '--nproc-per-node', '2', '--master-port', str(_free_port()), str(f), *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300)

def _collect(tmp_path, out, reduce, die_at=-1): return _torchrun(tmp_path, 'collect_script.py', SCRIPT, out, reduce, die_at)

@pytest.mark.skipif(not TORCHRUN.exists(), reason='torchrun is missing')
@pytest.mark.parametrize('reduce', ['all', 'mean'])
def test_two_processes_equal_one(tmp_path, reduce):
    r = _collect(tmp_path, tmp_path/'store', reduce)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-4000:]
    m = lb.tiny('llama')
    texts = TEXTS[:43]
    one = lb.collect(m, texts, sites=['resid_post.0', 'mlp_out.1'], reduce=reduce, shard_size=4, batch_size=3, progress=False)
    two = lb.load_activations(tmp_path/'store', m)
    assert two.texts == one.texts and len(two.meta['shards']) == 11 and two.meta['world'] == 2
    for s in ['resid_post.0', 'mlp_out.1']: torch.testing.assert_close(two[s], one[s], rtol=0, atol=1e-6)
    if reduce == 'all': assert torch.equal(two.example, one.example) and torch.equal(two.position, one.position)
    assert {p.name for p in (tmp_path/'store').iterdir()} >= {'rank-000', 'rank-001', 'store.safetensors'}

@pytest.mark.skipif(not TORCHRUN.exists(), reason='torchrun is missing')
def test_killed_rank_resumes(tmp_path):
    out = tmp_path/'store'
    r = _collect(tmp_path, out, 'all', die_at=30)
    assert r.returncode != 0                                     # rank 1 died; torchrun stopped the run
    part = lb.load_activations(out/'rank-001')
    assert 0 < len(part) < 20                                   # it had stored some of its shards
    r = _collect(tmp_path, out, 'all')                           # the same command again
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-4000:]
    m = lb.tiny('llama')
    texts = TEXTS[:43]
    one = lb.collect(m, texts, sites=['resid_post.0', 'mlp_out.1'], reduce='all', shard_size=4, batch_size=3, progress=False)
    two = lb.load_activations(out, m)
    assert two.texts == one.texts                                # every example once, in order
    torch.testing.assert_close(two['mlp_out.1'], one['mlp_out.1'], rtol=0, atol=1e-6)
    assert torch.equal(two.example, one.example)

JLENS = textwrap.dedent('''
    import os, sys
    import lensbook as lb
    m = lb.tiny('llama')
    texts = [f'text number {i} ' + 'ab' * (i % 5) for i in range(60)]
    lens = lb.fit_jacobian_lens(m, texts, max_tokens=16 * 9, seq_len=16, skip=2, progress=False)
    assert lens.meta['blocks'] == 9 and lens.meta['world'] == 2, lens.meta
    if os.environ['RANK'] == '0': lens.save(sys.argv[1])
''')

@pytest.mark.skipif(not TORCHRUN.exists(), reason='torchrun is missing')
def test_jacobian_lens_on_two_processes(tmp_path):
    "Each rank fits blocks rank::2; the sums are all-reduced, so every rank holds the whole fit, equal to one process's."
    r = _torchrun(tmp_path, 'jlens_script.py', JLENS, tmp_path/'j.lens')
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-4000:]
    m = lb.tiny('llama')
    texts = TEXTS
    one = lb.fit_jacobian_lens(m, texts, max_tokens=16 * 9, seq_len=16, skip=2, progress=False)
    two = lb.load_jacobian_lens(tmp_path/'j.lens', m)
    torch.testing.assert_close(two.J, one.J, rtol=0, atol=1e-6)

TUNED = textwrap.dedent('''
    import os, sys
    import lensbook as lb
    m = lb.tiny('llama')
    texts = [f'text number {i} ' + 'ab' * (i % 5) for i in range(60)]
    warm = lb.train_lens(m, texts, max_tokens=16 * 9, seq_len=16, batch_size=2, steps=0, progress=False)
    full = lb.train_lens(m, texts, max_tokens=16 * 9, seq_len=16, batch_size=2, steps=5, keep=64, progress=False)
    warm.save(sys.argv[1] + f'/warm-{os.environ["RANK"]}.lens'); full.save(sys.argv[1] + f'/full-{os.environ["RANK"]}.lens')
''')

@pytest.mark.skipif(not TORCHRUN.exists(), reason='torchrun is missing')
def test_tuned_lens_statistics_on_two_processes(tmp_path):
    "The least-squares statistics are summed over ranks: the warm start equals one process's; the KL stage then runs alike on every rank."
    r = _torchrun(tmp_path, 'tuned_script.py', TUNED, tmp_path)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-4000:]
    m = lb.tiny('llama')
    texts = TEXTS
    one = lb.train_lens(m, texts, max_tokens=16 * 9, seq_len=16, batch_size=2, steps=0, progress=False)
    for rank in (0, 1):
        w = lb.load_lens(tmp_path/f'warm-{rank}.lens', m)
        torch.testing.assert_close(w.A, one.A, rtol=0, atol=1e-5); torch.testing.assert_close(w.b, one.b, rtol=0, atol=1e-5)
    f0, f1 = lb.load_lens(tmp_path/'full-0.lens', m), lb.load_lens(tmp_path/'full-1.lens', m)
    assert torch.equal(f0.A, f1.A) and torch.equal(f0.b, f1.b)      # the same lens on every rank

EXAMPLES = textwrap.dedent('''
    import json, os, sys
    import lensbook as lb
    m = lb.tiny('llama')
    texts = [f'text number {i} ' + 'ab' * (i % 5) for i in range(60)]
    r = lb.top_examples(m, texts, 'neurons.1', unit=5, k=7, n_random=6, batch_size=2, bins=16, progress=False)
    assert r.meta['world'] == 2, r.meta
    h = r.histogram
    out = dict(lists={w: [(e['value'], e['text'], e['pos'], e['acts']) for e in r.examples(w)] for w in ('top', 'bottom', 'random')},
               hist=[h.lo, h.width, h.counts.tolist(), h.n, h.mean, h.std], n_texts=r.meta['n_texts'])
    open(sys.argv[1] + f'/rank-{os.environ["RANK"]}.json', 'w').write(json.dumps(out))
''')

@pytest.mark.skipif(not TORCHRUN.exists(), reason='torchrun is missing')
def test_top_examples_on_two_processes(tmp_path):
    "Ranks take windows of texts rank::2; heaps and histograms are gathered and merged: every rank holds one process's result."
    import json
    r = _torchrun(tmp_path, 'examples_script.py', EXAMPLES, tmp_path)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-4000:]
    one = lb.top_examples(lb.tiny('llama'), TEXTS, 'neurons.1', unit=5, k=7, n_random=6, batch_size=2, bins=16, progress=False)
    h = one.histogram
    for rank in (0, 1):
        two = json.loads((tmp_path/f'rank-{rank}.json').read_text())
        assert two['n_texts'] == 60
        for w in ('top', 'bottom', 'random'):
            assert [tuple(e[:3]) for e in two['lists'][w]] == [(e['value'], e['text'], e['pos']) for e in one.examples(w)], w
            assert [e[3] for e in two['lists'][w]] == [e['acts'] for e in one.examples(w)]
        lo, width, counts, n, mean, std = two['hist']
        assert (lo, width, counts, n) == (h.lo, h.width, h.counts.tolist(), h.n)
        assert abs(mean - h.mean) < 1e-9 and abs(std - h.std) < 1e-9
