"""Bad input to SAEs and transcoders (nbs/28_sae): SAELens folders that are missing, damaged or made for another
model, hooks with no lensbook site, and tensors of the wrong shape."""
import json, shutil, tempfile, pathlib, torch
import lensbook as lb
from safetensors.torch import load_file, save_file

DATA = pathlib.Path(__file__).parent/'data'/'saelens_6.54.12'
_TMP = tempfile.TemporaryDirectory(prefix='lensbook-sae-cases-')   # removed when the test process ends

def _broken(cfg=None, weights=None, src='standard', drop=None, text=None):
    "A copy of a reference folder, damaged by `cfg(dict)`, `weights(dict)`, removing file `drop` or writing cfg.json `text`."
    d = pathlib.Path(tempfile.mkdtemp(dir=_TMP.name))/src
    shutil.copytree(DATA/src, d)
    if cfg:
        c = json.loads((d/'cfg.json').read_text()); cfg(c); (d/'cfg.json').write_text(json.dumps(c))
    if weights:
        w = load_file(d/'sae_weights.safetensors'); weights(w); save_file(w, d/'sae_weights.safetensors')
    if drop: (d/drop).unlink()
    if text is not None: (d/'cfg.json').write_text(text)
    return d

def _hook(name, key='hook_name'):
    def f(c): c['metadata'][key] = name
    return f

def _load(m, **kw): return lb.load_sae(_broken(**kw), m)

def _sae(**kw):
    g = torch.Generator().manual_seed(0)
    args = dict(W_enc=torch.randn(64, 32, generator=g), b_enc=torch.zeros(32), W_dec=torch.randn(32, 64, generator=g), b_dec=torch.zeros(64))
    return lb.SAE(**(args | kw))

CASES = [
    ('load-no-folder', lambda m: lb.load_sae(DATA/'nothing-here', m), FileNotFoundError, 'No SAE folder at'),
    ('load-a-file', lambda m: lb.load_sae(DATA/'standard'/'cfg.json', m), FileNotFoundError, 'it is a file; an SAELens SAE is a folder'),
    ('load-no-weights', lambda m: _load(m, drop='sae_weights.safetensors'), FileNotFoundError, 'has no sae_weights.safetensors'),
    ('load-no-cfg', lambda m: _load(m, drop='cfg.json'), FileNotFoundError, 'has no cfg.json'),
    ('load-cfg-not-json', lambda m: _load(m, text='{"d_in": 64,'), ValueError, 'cfg.json is not valid JSON'),
    ('load-cfg-list', lambda m: _load(m, text='[1, 2]'), ValueError, 'cfg.json holds a list, not a JSON object'),
    ('load-cfg-no-d-sae', lambda m: _load(m, cfg=lambda c: c.pop('d_sae')), ValueError, 'lacks d_sae (integers)'),
    ('load-architecture', lambda m: _load(m, cfg=lambda c: c.update(architecture='gated')), ValueError,
     "architecture 'gated' is not supported; supported: 'standard', 'jumprelu', 'topk'"),
    ('load-normalize', lambda m: _load(m, cfg=lambda c: c.update(normalize_activations='layer_norm')), ValueError,
     "normalize_activations 'layer_norm' is not supported; supported: 'none', 'expected_average_only_in'"),
    ('load-dtype', lambda m: _load(m, cfg=lambda c: c.update(dtype='int8')), ValueError, "dtype 'int8' is not supported"),
    ('load-weights-garbage', lambda m: lb.load_sae(_garbage(), m), ValueError, 'sae_weights.safetensors is not a readable safetensors file'),
    ('load-shape', lambda m: _load(m, weights=lambda w: w.update(W_enc=w['W_enc'][:32].contiguous())), ValueError,
     'W_enc has shape [32, 48], but cfg.json (d_in 64, d_sae 48) needs [64, 48]'),
    ('load-lacks-tensor', lambda m: _load(m, weights=lambda w: w.pop('b_dec')), ValueError, "lacks b_dec (a 'standard' SAE holds W_enc, b_enc, W_dec, b_dec)"),
    ('load-jumprelu-lacks-threshold', lambda m: _load(m, src='jumprelu', weights=lambda w: w.pop('threshold')), ValueError, "lacks threshold"),
    ('load-extra-tensor', lambda m: _load(m, weights=lambda w: w.update(W_gate=torch.zeros(3))), ValueError, "holds W_gate, which a 'standard' SAE does not have"),
    ('load-nan', lambda m: _load(m, weights=lambda w: w['W_dec'].__setitem__((0, 0), float('nan'))), ValueError, 'W_dec has 1 NaN or inf value(s)'),
    ('load-inf', lambda m: _load(m, src='jumprelu', weights=lambda w: w['threshold'].__setitem__(2, float('inf'))), ValueError, 'threshold has 1 NaN or inf value(s)'),
    ('load-hook-unknown', lambda m: _load(m, cfg=_hook('blocks.0.hook_resid_sideways')), lb.SiteError, "SAELens hook 'blocks.0.hook_resid_sideways' has no lensbook site"),
    ('load-hook-normalized', lambda m: _load(m, cfg=_hook('blocks.0.ln2.hook_normalized')), lb.SiteError, "a sublayer's normalised input is not a lensbook site"),
    ('load-hook-layer', lambda m: _load(m, cfg=_hook('blocks.9.hook_resid_post')), lb.SiteError, "reads layer 9, but"),
    ('load-hook-out-layer', lambda m: _load(m, src='transcoder', cfg=_hook('blocks.4.hook_mlp_out', 'hook_name_out')), lb.SiteError, "SAELens hook 'blocks.4.hook_mlp_out' reads layer 4"),
    ('load-width', lambda m: _load(m, cfg=_hook('blocks.1.mlp.hook_post')), ValueError, "the SAE's d_in is 64, but neurons.1"),
    ('load-width-kv', lambda m: _load(m, src='topk', cfg=_hook('blocks.1.attn.hook_v')), ValueError, "the SAE's d_in is 64, but v.1"),
    ('load-width-head', lambda m: _load(m, src='topk', cfg=lambda c: c['metadata'].update(hook_head_index=1)), ValueError, "is 4x16 wide (16 per head)"),
    ('load-sparsity-shape', lambda m: lb.load_sae(_bad_sparsity(), m), ValueError, "sparsity.safetensors must hold 'sparsity', [d_sae = 48]"),
    ('load-scaler-not-json', lambda m: lb.load_sae(_bad_scaler(), m), ValueError, 'activation_scaler.json is not a JSON object'),
    ('load-scale-zero', lambda m: lb.load_sae(DATA/'jumprelu', m, scale=0.), ValueError, 'scale must be in (0, inf], got 0.0'),
    ('load-legacy-scaling-factor', lambda m: _load(m, weights=lambda w: w.update(scaling_factor=torch.full((48,), 2.))), ValueError,
     'hold a scaling_factor other than 1 but cfg.json has no finetuning_scaling_factor'),
    ('hook-not-str', lambda m: lb.hook_to_site(3, m), TypeError, 'A hook name is a string like "blocks.3.hook_resid_post", got int'),
    ('site-to-hook-all-layers', lambda m: lb.site_to_hook('resid_post'), lb.SiteError, "Site 'resid_post' has no TransformerLens hook name"),
    ('site-to-hook-pattern', lambda m: lb.site_to_hook('pattern.0'), lb.SiteError, "Site 'pattern.0' has no TransformerLens hook name"),
    ('sae-architecture', lambda m: _sae(architecture='batchtopk'), ValueError, "architecture must be one of 'standard'"),
    ('sae-topk-no-k', lambda m: _sae(architecture='topk'), ValueError, "architecture 'topk' needs k"),
    ('sae-k-too-big', lambda m: _sae(architecture='topk', k=33), ValueError, 'k must be at most d_sae = 32, got 33'),
    ('sae-k-float', lambda m: _sae(architecture='topk', k=2.5), TypeError, 'k must be an int, got 2.5'),
    ('sae-k-on-relu', lambda m: _sae(k=3), ValueError, "architecture 'standard' takes no k"),
    ('sae-b-enc-shape', lambda m: _sae(b_enc=torch.zeros(31)), ValueError, 'b_enc has shape [31]; with W_enc [d_in=64, d_sae=32] it must be [32]'),
    ('sae-transcoder-bdec-input', lambda m: _sae(architecture='transcoder'), ValueError, 'apply_b_dec_to_input is not possible for a transcoder'),
    ('sae-normalize', lambda m: _sae(normalize='layer_norm'), ValueError, "normalize must be one of 'none', 'expected_average_only_in'; got 'layer_norm'"),
    ('sae-scale-without-mode', lambda m: _sae(scale=2.), ValueError, "scale is only for normalize='expected_average_only_in'"),
    ('sae-nan-weights', lambda m: _sae(b_dec=torch.full((64,), float('nan'))), ValueError, 'b_dec has 64 NaN or inf value(s)'),
    ('encode-width', lambda m: _sae().encode(torch.zeros(2, 5, 63)), ValueError, 'input has shape [2, 5, 63]; this SAE reads [..., 64]'),
    ('encode-not-tensor', lambda m: _sae().encode([0.] * 64), TypeError, 'input must be a tensor [..., 64], got list'),
    ('encode-scalar', lambda m: _sae().encode(torch.tensor(1.)), ValueError, 'got a scalar'),
    ('decode-width', lambda m: _sae().decode(torch.zeros(4, 31)), ValueError, 'features must be a tensor [..., 32], got [4, 31]'),
    ('error-shape', lambda m: _sae().error(torch.zeros(3, 64), torch.zeros(3, 32)), ValueError, 'y has shape [3, 32], the output has [3, 64]'),
    ('error-transcoder-no-y', lambda m: lb.load_sae(DATA/'transcoder', m).error(torch.zeros(2, 64)), ValueError, 'A transcoder reconstructs mlp_out.0, not its input: pass y'),
    ('fold-topk', lambda m: _sae(architecture='topk', k=4).fold_decoder_norms(), NotImplementedError, 'rescale_acts_by_decoder_norm=True'),
    ('save-onto-file', lambda m: _sae().save(DATA/'standard'/'cfg.json'), FileExistsError, 'is a file; an SAELens SAE is saved as a folder'),
]

def _garbage():
    d = _broken(); (d/'sae_weights.safetensors').write_bytes(b'not a safetensors file at all'); return d

def _bad_sparsity():
    d = _broken(); save_file({'sparsity': torch.zeros(47)}, d/'sparsity.safetensors'); return d

def _bad_scaler():
    d = _broken(src='jumprelu'); (d/'activation_scaler.json').write_text('[0.37'); return d

# training and evaluating (nbs/29_sae_training)
def _acts(m, reduce='all'):
    return lb.collect(m, ['The cat sat on the mat', 'A dog ran far away'], 'resid_post.1', reduce=reduce, progress=False)

CASES += [
    ('train-k-too-big', lambda m: lb.train_sae(m, 'resid_post.1', store=_acts(m), d_sae=16, k=17), ValueError, 'k must be at most d_sae = 16, got 17'),
    ('train-lr-nan', lambda m: lb.train_sae(m, 'resid_post.1', store=_acts(m), lr=float('nan')), ValueError, 'lr must be a finite number, got nan'),
    ('train-lr-negative', lambda m: lb.train_sae(m, 'resid_post.1', store=_acts(m), lr=-1e-3), ValueError, 'lr must be in (0, inf], got -0.001'),
    ('train-site-missing', lambda m: lb.train_sae(m, 'resid_post.0', store=_acts(m)), ValueError, "The store has no resid_post.0; it holds ['resid_post.1']"),
    ('train-site-unknown', lambda m: lb.train_sae(m, 'resid_side.1', ['a b c']), lb.SiteError, "Unknown site 'resid_side'"),
    ('train-layer', lambda m: lb.train_sae(m, 'resid_post.9', ['a b c']), IndexError, 'layer 9 is out of range: there are 2'),
    ('train-empty-texts', lambda m: lb.train_sae(m, 'resid_post.1', []), ValueError, 'texts is empty'),
    ('train-one-string', lambda m: lb.train_sae(m, 'resid_post.1', 'a b c'), TypeError, 'texts is a list of strings, not one string'),
    ('train-texts-and-store', lambda m: lb.train_sae(m, 'resid_post.1', ['a b'], store=_acts(m)), ValueError, 'Pass texts or store, not both'),
    ('train-store-reduce', lambda m: lb.train_sae(m, 'resid_post.1', store=_acts(m, 'last')), ValueError, "reduce='all', not 'last'"),
    ('train-relu-no-l1', lambda m: lb.train_sae(m, 'resid_post.1', store=_acts(m), k=None), ValueError, 'A ReLU SAE (k=None) needs an l1 coefficient'),
    ('train-batch-size', lambda m: lb.train_sae(m, 'resid_post.1', store=_acts(m), batch_size=0), ValueError, 'batch_size must be an int >= 1, got 0'),
    ('train-steps-float', lambda m: lb.train_sae(m, 'resid_post.1', store=_acts(m), steps=2.5), TypeError, 'steps must be an int, got 2.5'),
    ('train-path-file', lambda m: lb.train_sae(m, 'resid_post.1', store=_acts(m), path=__file__), FileExistsError, 'is a file; training keeps its checkpoint in a folder'),
    ('transcoder-layer', lambda m: lb.train_transcoder(m, 5, ['a b c']), IndexError, 'layer 5 is out of range: there are 2'),
    ('transcoder-l1-nan', lambda m: lb.train_transcoder(m, 1, ['a b c'], l1=float('nan')), ValueError, 'l1 must be a finite number, got nan'),
    ('evaluate-not-sae', lambda m: lb.evaluate_sae(m, 'sae'), TypeError, 'sae must be a lensbook SAE'),
    ('evaluate-no-site', lambda m: lb.evaluate_sae(m, _sae()), ValueError, 'site is None'),
    ('evaluate-empty', lambda m: lb.evaluate_sae(m, _sae(site='resid_post.1'), []), ValueError, 'texts is empty'),
    ('evaluate-too-short', lambda m: lb.evaluate_sae(m, _sae(site='resid_post.1'), ['a']), ValueError, 'too short'),
    ('load-eval-missing', lambda m: lb.load_sae_eval(DATA/'nothing-here.safetensors'), FileNotFoundError, 'No sae_eval at'),
]
