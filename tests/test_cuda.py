"""Device and dtype handling on a CUDA GPU (skipped where there is none, as in CI): every analysis runs where the
model is, in the model's dtype, and gives the CPU's answer. Tiny random models built from configs; no download.
On a machine with a GPU: `python -m pytest -q tests/test_cuda.py`."""
import pytest, torch
import lensbook as lb

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason='no CUDA device')
PROMPTS = ['The capital of France is', 'a much longer second prompt, padded on the right by the other']

def pair(family, dtype=torch.float32, **cfg):
    "The same tiny model on the CPU (float32) and on the GPU (in `dtype`)."
    cpu = lb.tiny(family, **cfg)
    gpu = lb.load(lb.tiny(family, **cfg).model.to('cuda', dtype), tokenizer=cpu.tokenizer)
    return cpu, gpu

class Duck:
    "A lens with only `logits(h, layer)`: decoded layer by layer (the unbatched path)."
    name = 'duck'
    def __init__(self, lens): self.lens = lens
    def logits(self, h, layer): return self.lens.logits(h, layer)

@pytest.mark.parametrize('family', ['llama', 'gpt2', 'gpt_neox', 'qwen2'])
def test_logit_lens_cuda_equals_cpu(family):
    cpu, gpu = pair(family)
    a = lb.logit_lens(cpu, PROMPTS, targets=[5, 7])
    b = lb.logit_lens(gpu, PROMPTS, targets=[5, 7])
    c = lb.logit_lens(gpu, PROMPTS, targets=[5, 7], lens=Duck(lb.LogitLens(gpu)), mem_mb=0.01)
    for r in (b, c):
        assert r.top_p.device.type == 'cpu'  # results come back to the CPU
        assert torch.allclose(a.top_p.nan_to_num(), r.top_p.nan_to_num(), atol=1e-4)
        assert torch.allclose(a.kl.nan_to_num(), r.kl.nan_to_num(), atol=1e-3)
        assert torch.allclose(a.target_p.nan_to_num(), r.target_p.nan_to_num(), atol=1e-4)
    last = b.kl[-1][~b.kl[-1].isnan()]
    assert (last == 0).all()
    logits = lb.run(gpu, PROMPTS).logits
    n = lb.tokenize(gpu, PROMPTS)['attention_mask'].sum(1).cpu() - 1
    assert b.top_ids[-1, [0, 1], n, 0].tolist() == logits[[0, 1], n.cuda()].argmax(-1).tolist()

@pytest.mark.parametrize('dtype', [torch.float16, torch.bfloat16])
def test_half_precision_on_cuda(dtype):
    cpu, gpu = pair('llama', dtype)
    r = lb.logit_lens(gpu, PROMPTS, targets=[5])
    assert torch.isfinite(r.top_p.nan_to_num()).all() and r.top_p.dtype == torch.float32
    ref = lb.logit_lens(cpu, PROMPTS, targets=[5])
    ok = ~ref.top_p[..., 0].isnan()
    agree = (ref.top_ids[..., 0] == r.top_ids[..., 0])[ok].float().mean()
    assert agree > 0.9, f'top-1 agreement with float32 on the CPU {agree:.2f}'
    rt = lb.logit_lens(gpu, PROMPTS, lens=lb.TunedLens(gpu))   # untrained: identity translators on the GPU, in `dtype`
    assert (rt.top_ids[..., 0] == r.top_ids[..., 0])[ok].float().mean() > 0.99
    tr = lb.run(gpu, PROMPTS, read=['resid_post.1', 'pattern.0', 'head_out.1'], edit=lb.replace('head_out.0', 0., unit=[1]))
    assert tr['resid_post.1'].dtype == dtype and tr['resid_post.1'].device.type == 'cuda'
    assert tr['head_out.1'].shape[2] == gpu.arch.n_heads

def test_patching_cuda_equals_cpu():
    cpu, gpu = pair('llama')
    clean, corrupt = 'The cat sat on the mat', 'The dog sat on the rug'
    for site in ('resid_pre', 'head_out'):
        ra = lb.patch(cpu, clean, corrupt, 'kl', sites=site)
        rb = lb.patch(gpu, clean, corrupt, 'kl', sites=site)
        assert rb.values.device.type == 'cpu'
        assert torch.allclose(ra.values, rb.values, atol=1e-4), (site, (ra.values - rb.values).abs().max())

def test_collect_and_steer_on_cuda(tmp_path):
    cpu, gpu = pair('llama')
    texts = [('a b c', 0), ('d e f g', 1), ('h', 0), ('i j k l m n', 1)]
    a = lb.collect(cpu, texts, 'resid_post', reduce='mean', progress=False)
    b = lb.collect(gpu, texts, 'resid_post', reduce='mean', progress=False, dtype='float16')
    sa, sb = a.stack(), b.stack()
    assert sb.device.type == 'cpu' and sb.dtype == torch.float16
    assert torch.allclose(sa, sb.float(), atol=1e-2, rtol=1e-2)
    d = lb.collect(gpu, texts, ['resid_post.1', 'neurons.0'], reduce='all', progress=False, out=tmp_path/'store', shard_size=3)
    assert d.stack('resid_post').device.type == 'cpu' and len(d.meta['shards']) == 2
    assert torch.allclose(d['resid_post.1'], lb.collect(cpu, texts, 'resid_post.1', reduce='all', progress=False)['resid_post.1'], atol=1e-4)
    v = lb.steering_vector(gpu, ['good day', 'nice one'], ['bad day', 'awful one'], 'resid_pre.1')
    with lb.hooks(gpu, edit=v.edit(2.0)):
        out = gpu.model.generate(**lb.tokenize(gpu, 'hello'), max_new_tokens=4, do_sample=False)
    assert out.device.type == 'cuda' and out.shape[1] > 1
    assert lb.all_hooks(gpu.model) == 0
