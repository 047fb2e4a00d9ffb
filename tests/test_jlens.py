"""The Jacobian lens fit survives a SIGKILL: a fitting process killed after some checkpoints resumes from its file
to the lens an uninterrupted fit gives, with every block counted once."""
import os, signal, subprocess, sys, time, textwrap
import torch
import lensbook as lb
from lensbook.results import load_artefact

TEXTS = ['The quick brown fox jumps over the lazy dog. ' * 40, 'Pack my box with five dozen liquor jugs. ' * 40]
KW = dict(max_tokens=1024, seq_len=32, skip=4, rows=16, dim_batch=8)

def test_kill_and_resume(tmp_path):
    ck = tmp_path/'fit.safetensors'
    child = textwrap.dedent(f"""
        import time, lensbook as lb, lensbook.lens.jacobian as j
        slow = j._block_sums
        def _block_sums(*a, **kw): time.sleep(0.3); return slow(*a, **kw)
        j._EVERY, j._block_sums = 0, _block_sums           # a checkpoint after every block, each block slowed down
        lb.fit_jacobian_lens(lb.tiny('llama'), {TEXTS!r}, path={str(ck)!r}, progress=False, **{KW!r})
        """)
    p = subprocess.Popen([sys.executable, '-c', child], env=os.environ | {'HF_HUB_OFFLINE': '1'})
    try:
        t0, done = time.time(), 0
        while done < 3:
            assert p.poll() is None, 'the fitting process ended before it was killed'
            assert time.time() - t0 < 120, 'no checkpoint after 2 minutes'
            time.sleep(0.1)
            try: done = load_artefact(ck, 'jacobian_lens_fit')[1]['done']
            except (FileNotFoundError, ValueError): pass
    finally:
        p.send_signal(signal.SIGKILL); p.wait()
    m = lb.tiny('llama')
    blocks = lb.token_blocks(m, TEXTS, KW['seq_len'], KW['max_tokens'], split='train')
    killed_at = load_artefact(ck, 'jacobian_lens_fit')[1]['done']
    assert 3 <= killed_at < len(blocks), (killed_at, len(blocks))
    resumed = lb.fit_jacobian_lens(m, TEXTS, path=ck, progress=False, **KW)
    whole = lb.fit_jacobian_lens(m, TEXTS, progress=False, **KW)
    assert resumed.meta['blocks'] == whole.meta['blocks'] == len(blocks)     # every block once: none lost, none twice
    torch.testing.assert_close(resumed.J, whole.J, rtol=0, atol=1e-6)
