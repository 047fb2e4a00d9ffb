"""How tests/data/captum09.json was made: Captum 0.9.0's attributions on a tiny Llama, the reference that
nbs/35_gradients.ipynb (`gradient_attribution`) is checked against.

Two steps, the second in a scratch venv with the real Captum (never the project's venv):

    python3 -m venv /tmp/cap && /tmp/cap/bin/pip install torch==2.13.0 && /tmp/cap/bin/pip install captum==0.9.0 transformers==5.23.0
    .venv/bin/python tests/captum_reference_recipe.py prepare /tmp/capref        # the tiny model, saved as a folder
    /tmp/cap/bin/python tests/captum_reference_recipe.py attribute /tmp/capref tests/data/captum09.json

The model is `lensbook.models.tiny('llama')` (seed 0, 2 layers), rebuilt in memory by the tests. f is the logit of
TARGET at the last position of PROMPT. Cases, each Captum's own class on the Hugging Face model:
- `ig_embed_zero`: `IntegratedGradients` on `inputs_embeds`, zero baseline, 16 Gauss-Legendre points, summed over d;
- `layer_ig_embed_token`: `LayerIntegratedGradients` on `embed_tokens`, baseline ids all BASELINE_TOKEN;
- `layer_ig_neurons1`: `LayerIntegratedGradients` on the input of layer 1's `down_proj` (lensbook's `neurons.1`);
- `gxa_neurons1`: `LayerGradientXActivation` on the same input;
- `gxa_heads0`: `LayerGradientXActivation` on the input of layer 0's `o_proj` (`head_out.0`), summed per head.
"""
import json, sys
from pathlib import Path

PROMPT, TARGET, BASELINE_TOKEN, STEPS = 'The quick brown fox jumps', 'x', 'a', 16

def prepare(folder):
    from lensbook.models import tiny
    tm = tiny('llama')
    tm.model.save_pretrained(folder); tm.tokenizer.save_pretrained(folder)

def attribute(folder, out):
    import torch, captum
    from captum.attr import IntegratedGradients, LayerIntegratedGradients, LayerGradientXActivation
    from transformers import AutoModelForCausalLM, AutoTokenizer
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
    tok = AutoTokenizer.from_pretrained(folder)
    ids = tok(PROMPT, return_tensors='pt')['input_ids']
    tid = tok(TARGET, add_special_tokens=False)['input_ids'][0]
    bid = tok(BASELINE_TOKEN, add_special_tokens=False)['input_ids'][0]
    f_ids = lambda x: model(input_ids=x).logits[:, -1, tid]
    f_emb = lambda e: model(inputs_embeds=e).logits[:, -1, tid]
    emb = model.get_input_embeddings()(ids).detach()
    res = dict(captum=captum.__version__, prompt=PROMPT, target=TARGET, baseline_token=BASELINE_TOKEN, steps=STEPS,
               ids=ids[0].tolist())
    a, delta = IntegratedGradients(f_emb).attribute(emb, baselines=torch.zeros_like(emb), n_steps=STEPS,
                                                    method='gausslegendre', return_convergence_delta=True)
    res['ig_embed_zero'] = a[0].sum(-1).tolist(); res['ig_embed_zero_delta'] = float(delta)
    base = torch.full_like(ids, bid)
    a = LayerIntegratedGradients(f_ids, model.model.embed_tokens).attribute(ids, baselines=base, n_steps=STEPS, method='gausslegendre')
    res['layer_ig_embed_token'] = a[0].sum(-1).tolist()
    down = model.model.layers[1].mlp.down_proj
    a = LayerIntegratedGradients(f_ids, down).attribute(ids, baselines=base, n_steps=STEPS, method='gausslegendre', attribute_to_layer_input=True)
    res['layer_ig_neurons1'] = a[0].tolist()
    res['gxa_neurons1'] = LayerGradientXActivation(f_ids, down).attribute(ids, attribute_to_layer_input=True)[0].tolist()
    o = model.model.layers[0].self_attn.o_proj
    g = LayerGradientXActivation(f_ids, o).attribute(ids, attribute_to_layer_input=True)[0]     # [pos, heads * d_head]
    H = model.config.num_attention_heads
    res['gxa_heads0'] = g.view(g.shape[0], H, -1).sum(-1).tolist()
    Path(out).write_text(json.dumps(res))
    print({k: (v if not isinstance(v, list) else len(v)) for k, v in res.items()})

if __name__ == '__main__':
    {'prepare': prepare, 'attribute': attribute}[sys.argv[1]](*sys.argv[2:])
