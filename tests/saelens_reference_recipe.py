"""How tests/data/saelens_6.54.12/ was made: tiny SAEs and transcoders of every architecture that
nbs/28_sae.ipynb (`load_sae`) supports, built and saved by SAELens 6.54.12 itself, with SAELens's own encode/decode
outputs on fixed inputs: the reference the notebook checks `load_sae` against (to 1e-5).

One step, in a scratch venv with the real SAELens (never the project's venv):

    python3 -m venv /tmp/sl && /tmp/sl/bin/pip install torch==2.13.0 && /tmp/sl/bin/pip install sae-lens==6.54.12
    /tmp/sl/bin/python tests/saelens_reference_recipe.py make tests/data/saelens_6.54.12

(pip resolved transformer-lens 3.9.0 and transformers 5.24.0 alongside; SAELens imports them but no model is loaded.)
Each folder is `SAE.save_model(folder)`: SAELens's `cfg.json` + `sae_weights.safetensors`. Beside it,
`reference.safetensors` holds `x` (the input), `feats` (`sae.encode(x)`), `out` (`sae.decode(feats)`), `fwd`
(`sae(x)`, with the skip connection for skip transcoders), and `feats_folded` / `fwd_folded` (the same after
SAELens's `fold_W_dec_norm()`). Sizes fit `lensbook.models.tiny('llama')` (d_model 64, 4 heads x 16, 2 layers);
d_sae is 48 (not 128) so that the folder stays under 200 KB. Weights are random (seed below), decoder rows of
uneven norm so that norm folding and top-k's `rescale_acts_by_decoder_norm` matter.

- `standard`: ReLU SAE on `blocks.1.hook_resid_post`, `apply_b_dec_to_input=True`; also `sparsity.safetensors`
  (`{'sparsity': log10 feature frequencies}`, as SAELens's trainer writes it in checkpoints).
- `jumprelu`: JumpReLU SAE on `blocks.0.hook_mlp_out`, `apply_b_dec_to_input=False`,
  `normalize_activations='expected_average_only_in'` with an `activation_scaler.json` (`ActivationScaler.save`, as in
  SAELens's training checkpoints) holding the dataset scaling factor s. SAELens's `load_from_disk` ignores s (its
  inference SAE treats this mode as the identity), so the reference here is the trainer's path:
  `feats_scaled = encode(scaler.scale(x))`, `out_scaled = scaler.unscale(decode(feats_scaled))`, and
  `fwd_scaled_folded = sae(x)` after `fold_activation_norm_scaling_factor(s)` (which must equal `out_scaled`).
- `topk`: top-k SAE (k=6) on `blocks.1.attn.hook_z` with `reshape_activations='hook_z'` (input [..., 4, 16]) and
  `rescale_acts_by_decoder_norm=True`.
- `transcoder`: ReLU transcoder `blocks.0.hook_mlp_in` -> `blocks.0.hook_mlp_out` (`hook_name_out` in metadata).
- `skip_transcoder`: the same with a skip connection `W_skip` [d_out, d_in], `blocks.1.hook_mlp_in` -> `blocks.1.hook_mlp_out`.

The other direction (SAELens reads what lensbook writes), checked the same way, not needed by the tests:

    .venv/bin/python tests/saelens_reference_recipe.py resave tests/data/saelens_6.54.12 /tmp/lbsae   # load_sae + SAE.save
    /tmp/sl/bin/python tests/saelens_reference_recipe.py readback /tmp/lbsae tests/data/saelens_6.54.12
"""
import json, sys
from pathlib import Path

D_IN, D_SAE, HEADS, D_HEAD, N, SEED, SCALE = 64, 48, 4, 16, 6, 0, 0.37

def _randomise(sae, g):
    import torch
    with torch.no_grad():
        for name, p in sae.named_parameters():
            if name == 'threshold': p.copy_(torch.rand(p.shape, generator=g) * 0.4)
            elif name == 'W_dec': p.copy_(torch.randn(p.shape, generator=g) * 0.15 * (0.5 + torch.rand(p.shape[0], 1, generator=g)))
            elif name.startswith('W'): p.copy_(torch.randn(p.shape, generator=g) * 0.15)
            else: p.copy_(torch.randn(p.shape, generator=g) * 0.1)
    return sae

def make(out):
    import torch
    from safetensors.torch import save_file
    import sae_lens
    from sae_lens import (StandardSAE, StandardSAEConfig, JumpReLUSAE, JumpReLUSAEConfig, TopKSAE, TopKSAEConfig,
                          Transcoder, TranscoderConfig, SkipTranscoder, SkipTranscoderConfig)
    from sae_lens.saes.sae import SAEMetadata
    from sae_lens.training.activation_scaler import ActivationScaler
    out = Path(out); out.mkdir(parents=True, exist_ok=True)
    g = torch.Generator().manual_seed(SEED)
    md = lambda hook, **kw: SAEMetadata(model_name='lensbook-tiny-llama', hook_name=hook, hook_head_index=None, **kw)
    saes = {
        'standard': StandardSAE(StandardSAEConfig(d_in=D_IN, d_sae=D_SAE, apply_b_dec_to_input=True,
                                                  metadata=md('blocks.1.hook_resid_post'))),
        'jumprelu': JumpReLUSAE(JumpReLUSAEConfig(d_in=D_IN, d_sae=D_SAE, apply_b_dec_to_input=False,
                                                  normalize_activations='expected_average_only_in',
                                                  metadata=md('blocks.0.hook_mlp_out'))),
        'topk': TopKSAE(TopKSAEConfig(d_in=D_IN, d_sae=D_SAE, k=6, rescale_acts_by_decoder_norm=True,
                                      reshape_activations='hook_z', metadata=md('blocks.1.attn.hook_z'))),
        'transcoder': Transcoder(TranscoderConfig(d_in=D_IN, d_sae=D_SAE, d_out=D_IN, apply_b_dec_to_input=False,
                                                  metadata=md('blocks.0.hook_mlp_in', hook_name_out='blocks.0.hook_mlp_out'))),
        'skip_transcoder': SkipTranscoder(SkipTranscoderConfig(d_in=D_IN, d_sae=D_SAE, d_out=D_IN, apply_b_dec_to_input=False,
                                                  metadata=md('blocks.1.hook_mlp_in', hook_name_out='blocks.1.hook_mlp_out'))),
    }
    for name, sae in saes.items():
        _randomise(sae, g).eval()
        x = torch.randn(N, HEADS, D_HEAD, generator=g) if name == 'topk' else torch.randn(N, D_IN, generator=g)
        folder = out/name
        sae.save_model(folder)
        sae = type(sae).load_from_disk(folder)              # what a user gets: the reference is the loaded SAE's
        with torch.no_grad():
            ref = dict(x=x, feats=sae.encode(x))
            ref['out'] = sae.decode(ref['feats']); ref['fwd'] = sae(x)
            if name == 'jumprelu':
                sc = ActivationScaler(scaling_factor=SCALE)
                sc.save(str(folder/'activation_scaler.json'))
                ref['feats_scaled'] = sae.encode(sc.scale(x))
                ref['out_scaled'] = sc.unscale(sae.decode(ref['feats_scaled']))
                folded = type(sae).load_from_disk(folder); folded.fold_activation_norm_scaling_factor(SCALE)
                ref['fwd_scaled_folded'] = folded(x)
            if name == 'standard':
                save_file({'sparsity': torch.log10(torch.rand(D_SAE, generator=g) * 0.1 + 1e-10)}, folder/'sparsity.safetensors')
            sae.fold_W_dec_norm()
            ref['feats_folded'] = sae.encode(x); ref['fwd_folded'] = sae(x)
        save_file({k: v.contiguous() for k, v in ref.items()}, folder/'reference.safetensors')
        print(name, {k: list(v.shape) for k, v in ref.items()}, 'active', int((ref['feats'] != 0).sum()))
    print('sae_lens', sae_lens.__version__, 'torch', torch.__version__)

NAMES = ('standard', 'jumprelu', 'topk', 'transcoder', 'skip_transcoder')

def resave(ref, out):
    "With lensbook: every reference folder through `load_sae` and `SAE.save` (the JumpReLU one also with its scale folded)."
    from lensbook.models import tiny
    from lensbook.dictionary import load_sae
    m = tiny('llama')
    for name in NAMES:
        sae = load_sae(Path(ref)/name, m)
        sae.save(Path(out)/name)
        if sae.scale is not None: sae.fold_scale().save(Path(out)/f'{name}_folded_scale')

def readback(out, ref):
    "With SAELens: `SAE.load_from_disk` of what lensbook wrote gives the reference outputs (largest differences printed)."
    import torch
    from safetensors.torch import load_file
    from sae_lens import SAE
    for name in sorted(p.name for p in Path(out).iterdir()):
        sae, r = SAE.load_from_disk(Path(out)/name), load_file(Path(ref)/name.removesuffix('_folded_scale')/'reference.safetensors')
        with torch.no_grad():
            if name.endswith('_folded_scale'): d = [(sae(r['x']) - r['fwd_scaled_folded']).abs().max().item()]
            else: d = [(sae.encode(r['x']) - r['feats']).abs().max().item(), (sae(r['x']) - r['fwd']).abs().max().item()]
        print(f'{name:26s} {type(sae).__name__:16s} largest differences {d}')
        assert max(d) <= 1e-5, name

if __name__ == '__main__':
    {'make': make, 'resave': resave, 'readback': readback}[sys.argv[1]](*sys.argv[2:])
