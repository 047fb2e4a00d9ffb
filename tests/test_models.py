"""Loading: bundled cache verification, devices and dtypes, model objects."""
import json, os, shutil, subprocess, sys
import pytest, torch
from lensbook import models
from lensbook.models import load, tiny, FAMILIES, tokenize
from lensbook.trace import run

def test_cache_verification_detects_damage(smollm2, tmp_path):
    src = models.smollm2_dir()
    assert models._cache_ok(src)
    dst = tmp_path/'copy'
    dst.mkdir()
    for f in ['manifest.json', 'config.json', 'tokenizer_config.json']: shutil.copy(src/f, dst/f)
    man = json.loads((dst/'manifest.json').read_text())
    man['files'] = {k: v for k, v in man['files'].items() if k in ('config.json', 'tokenizer_config.json')}
    (dst/'manifest.json').write_text(json.dumps(man))
    assert models._cache_ok(dst)
    (dst/'config.json').write_text((dst/'config.json').read_text().replace('"', "'", 1))  # same size, one byte differs
    assert not models._cache_ok(dst)
    (dst/'config.json').unlink()
    assert not models._cache_ok(dst)
    (dst/'manifest.json').write_text('{not json')
    assert not models._cache_ok(dst)

def test_damaged_cache_is_rebuilt(monkeypatch, tmp_path):
    monkeypatch.setenv('LENSBOOK_CACHE', str(tmp_path))
    dest = tmp_path/'smollm2-135m-instruct-f32'
    dest.mkdir(); (dest/'model.safetensors').write_bytes(b'truncated')
    built = []
    def fake_build(d):
        built.append(d); d.mkdir(exist_ok=True); (d/'x').write_text('ok')
        (d/'manifest.json').write_text(json.dumps(dict(files={'x': dict(size=2, sha256=models._sha256(d/'x'))})))
    monkeypatch.setattr(models, '_build_smollm2_cache', fake_build)
    assert models.smollm2_dir() == dest and built == [dest]
    assert models.smollm2_dir() == dest and built == [dest]  # verified copy: not rebuilt again

def test_cache_dir_override(monkeypatch, tmp_path):
    monkeypatch.setenv('LENSBOOK_CACHE', str(tmp_path/'c'))
    assert models.cache_dir() == tmp_path/'c'

def test_load_model_object_and_dtype():
    t = tiny('gpt2')
    m = load(t.model, t.tokenizer, dtype=torch.float64)
    assert m.dtype == torch.float64 and m.tokenizer is t.tokenizer
    tr = run(m, 'hello', read=['resid_post.1', 'pattern.0'])
    assert tr['resid_post.1'].dtype == torch.float64
    tr = run(m, 'hello', read='resid_post.1', store_dtype=torch.float16)
    assert tr['resid_post.1'].dtype == torch.float16

def test_bfloat16_run():
    m = load('tiny-llama', dtype=torch.bfloat16)
    tr = run(m, 'hello', read='resid_post.1')
    assert tr.logits.dtype == torch.bfloat16 and torch.isfinite(tr.logits).all()

@pytest.mark.skipif(not torch.cuda.is_available(), reason='no CUDA device')
def test_cuda_run():
    m = load('tiny-llama', device='cuda', dtype=torch.float16)
    tr = run(m, 'hello', read=['resid_post.1', 'pattern.0'])
    assert tr['resid_post.1'].device.type == 'cuda'

def test_bundled_minilm_loads(minilm):
    assert type(minilm.model).__name__ == 'BertModel' and minilm.arch.n_layers == 6

def test_tokenize_pads_right():
    m = tiny('gpt2')
    x = tokenize(m, ['a', 'abc'])
    assert x['attention_mask'].tolist() == [[1, 0, 0], [1, 1, 1]]
    assert x['input_ids'][0, 1:].tolist() == [m.tokenizer.pad_token_id] * 2

def test_load_local_folder(tmp_path):
    "Any saved Hugging Face model loads by folder, with the right head, and reads the same as the original."
    for fam in ('qwen2', 'bert', 'bart'):
        t = tiny(fam)
        t.model.save_pretrained(tmp_path/fam); t.tokenizer.save_pretrained(tmp_path/fam)
        m = load(str(tmp_path/fam))
        assert type(m.model) is type(t.model) and m.arch.family == fam
        torch.testing.assert_close(run(m, 'hello', read='resid_post.1')['resid_post.1'],
                                   run(t, 'hello', read='resid_post.1')['resid_post.1'])

def test_load_options_reach_every_path(smollm2):
    "`load(name, attn_implementation=...)` is honoured by the bundled models too (it used to be dropped silently)."
    from lensbook.models import load
    eager = load('smollm2', attn_implementation='eager')
    assert eager.model.config._attn_implementation == 'eager'
    assert smollm2.model.config._attn_implementation != 'eager'   # the shared fixture is untouched
    ids = smollm2.tokenizer('The capital of France is', return_tensors='pt')['input_ids']
    with torch.inference_mode():
        torch.testing.assert_close(eager.model(ids).logits, smollm2.model(ids).logits, atol=1e-4, rtol=1e-4)
    assert load('minilm', attn_implementation='eager').model.config._attn_implementation == 'eager'
