"""How tests/data/jlens_tl43/ was made: a Jacobian lens fitted by TransformerLens 4.3.0 (the reference estimator, as
TransformerLens ports it from anthropics/jacobian-lens), for nbs/17_lens.jacobian.ipynb and tests/test_jlens.py.

Two steps, the second in a scratch venv with the real TransformerLens (never the project's venv):

    python3 -m venv /tmp/tl43 && /tmp/tl43/bin/pip install torch==2.13.0 && /tmp/tl43/bin/pip install transformer-lens==4.3.0 transformers==5.23.0
    .venv/bin/python tests/jlens_reference_recipe.py prepare /tmp/jlref           # the tiny model, saved as a folder
    /tmp/tl43/bin/python tests/jlens_reference_recipe.py fit /tmp/jlref tests/data/jlens_tl43

`fit` writes `tl_tiny_jlens.pt` (`JacobianLens.save`: the reference format, float16 transports), `tokens.json`
(the token ids of the two prompts, as `to_tokens` made them and the fit truncated them) and `readout.pt`
(`JacobianLens.readout` of the first prompt with the lens loaded back from the file: its token ids and the top-5 ids and logits of every layer).
The model is `lensbook.models.tiny('llama', num_hidden_layers=3)` (seed 0), which the tests rebuild in memory.
"""
import json, sys
from pathlib import Path

PROMPTS = ['The quick brown fox jumps over the lazy dog.', 'Pack my box with five dozen liquor jugs!!']
MAX_SEQ_LEN, SKIP, DIM_BATCH = 40, 4, 8

def prepare(folder):
    from lensbook.models import tiny
    tm = tiny('llama', num_hidden_layers=3)
    tm.model.save_pretrained(folder); tm.tokenizer.save_pretrained(folder)

def fit(folder, out):
    import torch
    from transformer_lens import TransformerBridge
    from transformer_lens.tools.analysis import JacobianLens
    out = Path(out); out.mkdir(parents=True, exist_ok=True)
    model = TransformerBridge.boot_transformers(str(folder), device='cpu', dtype=torch.float32)
    toks = [model.to_tokens(p)[:, :MAX_SEQ_LEN][0].tolist() for p in PROMPTS]
    lens = JacobianLens.fit(model, PROMPTS, corpus='two pangrams', dim_batch=DIM_BATCH, max_seq_len=MAX_SEQ_LEN,
                            skip_first_positions=SKIP, show_progress=False)
    lens.save(str(out/'tl_tiny_jlens.pt'))
    (out/'tokens.json').write_text(json.dumps(toks))
    r = JacobianLens.load(str(out/'tl_tiny_jlens.pt')).readout(model, PROMPTS[0], top_k=5)   # the file's float16 transports
    layers = sorted(r.lens_topk_values)
    torch.save(dict(tokens=r.tokens, values=torch.stack([r.lens_topk_values[l] for l in layers]),
                    ids=torch.stack([r.lens_topk_indices[l] for l in layers])), out/'readout.pt')
    print(lens)

if __name__ == '__main__':
    {'prepare': prepare, 'fit': fit}[sys.argv[1]](*sys.argv[2:])
