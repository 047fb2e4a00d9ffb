"""DoLa as transformers 4.55.4 computes it, and the recipe that records the real 4.55.4 tokens for tests/test_dola.py.

`transformers` removed DoLa from core `generate` after 4.55 (in 5.x `dola_layers=` needs `trust_remote_code=True` and
downloads `transformers-community/dola` from the hub), so the project's venv cannot run the reference. This file
holds two things:

- `dola_plain(model, ids, dola_layers, max_new_tokens, repetition_penalty)`: a plain re-implementation written from
  transformers 4.55.4 (`GenerationMixin._dola_decoding`, `_dola_select_contrast`, `_relative_top_filter`,
  `RepetitionPenaltyLogitsProcessor`), on a bare Hugging Face model with plain torch. It imports nothing from
  lensbook and runs under both transformers 4.55 and 5.x; tests/test_dola.py compares `lensbook.dola` with it.
- the recipe, in two steps (the second in a venv with the real transformers 4.55.4):

      python3 -m venv /tmp/tf455 && /tmp/tf455/bin/pip install torch==2.13.0 && /tmp/tf455/bin/pip install transformers==4.55.4 safetensors
      .venv/bin/python tests/dola_reference_recipe.py prepare /tmp/dolaref     # tiny models + the cases; prints the SmolLM2 folder
      /tmp/tf455/bin/python tests/dola_reference_recipe.py generate /tmp/dolaref SMOLLM2_FOLDER tests/data/dola_transformers455.json

  `generate` runs `model.generate(dola_layers=..., do_sample=False, repetition_penalty=...)` of the real 4.55.4
  (and plain greedy `generate`), records the premature layer the real `_dola_select_contrast` picked at each step,
  checks that `dola_plain` gives the same under 4.55.4, and writes the token ids to the JSON file.
"""
import hashlib, inspect, json, math, sys
from pathlib import Path
import torch
import torch.nn.functional as F

# ---------------------------------------------------------------------------------------------- the plain loop
def hf_candidates(config, dola_layers) -> list:
    "The candidate `hidden_states` indices of `dola_layers` ('low', 'high' or a list of ints), as 4.55.4 picks them."
    final = config.get_text_config().num_hidden_layers
    if not config.tie_word_embeddings: start = 0
    elif final > 2: start = 2
    elif final == 2: start = 1
    else: start = 0
    if dola_layers == 'low':
        if start == final // 2: return [start]
        return list(range(start, final // 2, 2)) if final <= 40 else list(range(start, 20, 2))
    if dola_layers == 'high':
        return list(range(final // 2, final, 2)) if final <= 40 else list(range(final - 20, final, 2))
    return [i for i in dola_layers if i < final]

@torch.no_grad()
def dola_plain(model, ids, dola_layers, max_new_tokens:int, repetition_penalty:float=1.0, eos=None):
    "Greedy DoLa on a Hugging Face causal LM: (generated ids, the hidden_states index contrasted at each step)."
    layers = hf_candidates(model.config, dola_layers)
    head = model.get_output_embeddings()
    keep = {'logits_to_keep': 1} if 'logits_to_keep' in inspect.signature(model.forward).parameters else {}
    seq, x, cache, toks, chosen = ids, ids, None, [], []
    for _ in range(max_new_tokens):
        out = model(input_ids=x, past_key_values=cache, use_cache=True, output_hidden_states=True, **keep)
        cache = out.past_key_values
        final = out.logits[:, -1, :].float()                                       # [1, vocab]
        prem = {i: head(out.hidden_states[i][:, -1, :]) for i in layers}           # raw stream, no final norm
        if len(layers) == 1: best = layers[0]
        else:                                                                      # 0.5 (KL(M||p) + KL(M||q)), vocab mean
            stacked = torch.stack([prem[i] for i in layers])                       # [n, 1, vocab]
            mid = 0.5 * (F.softmax(final, -1)[None] + F.softmax(stacked, -1))
            kl_final = F.kl_div(F.log_softmax(final, -1)[None], mid, reduction='none').mean(-1)
            kl_prem = F.kl_div(F.log_softmax(stacked, -1), mid, reduction='none').mean(-1)
            best = layers[int((0.5 * (kl_final + kl_prem)).mean(-1).argmax())]
        f, b = final.log_softmax(-1), prem[best].log_softmax(-1)                   # relative-top filter, alpha 0.1
        thresh = torch.minimum(f.sort(-1, descending=True).values[..., 0], f.max(-1).values + math.log(0.1))
        low = f < thresh[..., None]
        b = b.masked_fill(low, -1e-3); f = f.masked_fill(low, float('-inf'))
        s = f - b
        if repetition_penalty != 1.0:                                              # over prompt + generated ids
            g = s.gather(1, seq)
            s = s.scatter(1, seq, torch.where(g < 0, g * repetition_penalty, g / repetition_penalty))
        t = int(s.argmax(-1)[0])
        toks.append(t); chosen.append(best)
        if eos is not None and t in eos: break
        x = torch.tensor([[t]], device=seq.device)
        seq = torch.cat([seq, x], 1)
    return toks, chosen

def weights_sha(model) -> str:
    "A hash of every parameter's float32 bytes (not of names, which differ between transformers versions)."
    digests = sorted(hashlib.sha256(p.detach().float().contiguous().cpu().numpy().tobytes()).hexdigest()
                     for p in model.parameters())
    return hashlib.sha256(''.join(digests).encode()).hexdigest()[:16]

def eos_ids(model) -> list:
    e = model.generation_config.eos_token_id
    return [] if e is None else [e] if isinstance(e, int) else list(e)

# ---------------------------------------------------------------------------------------------- the recipe
# tiny models: (name, family, config override); initializer_range 0.1-0.3 makes the random distributions peaked enough
# that the chosen layer varies between steps and the repetition penalty changes tokens (0.02 mostly repeats one token).
# tied: gpt2, gemma, gpt2-2 (2 layers: the buckets start at 1); untied: llama, qwen2
TINY = [('llama-10', 'llama', {'num_hidden_layers': 10, 'initializer_range': 0.1}),
        ('qwen2-10', 'qwen2', {'num_hidden_layers': 10, 'initializer_range': 0.1}),
        ('gpt2-10', 'gpt2', {'n_layer': 10, 'initializer_range': 0.3}),
        ('gemma-10', 'gemma', {'num_hidden_layers': 10, 'initializer_range': 0.3}),
        ('gpt2-2', 'gpt2', {'n_layer': 2, 'initializer_range': 0.1})]
SMOL_PROMPTS = ['Q: What is the capital of France?\nA:', 'The Great Wall of China is']
TINY_PROMPT = 'hello there, general'

def _cases(model_name, prompt_ids, n, buckets=('high', 'low'), lists=()):
    c = [dict(model=model_name, prompt_ids=prompt_ids, dola_layers=b, repetition_penalty=rp, max_new_tokens=n)
         for b in (*buckets, *lists) for rp in (1.0, 1.2)]
    return c + [dict(model=model_name, prompt_ids=prompt_ids, dola_layers=None, repetition_penalty=rp, max_new_tokens=n)
                for rp in (1.0, 1.3)]

def prepare(out_dir):
    "Project venv: save the tiny models, tokenize the prompts, write the cases."
    import lensbook as lb
    out = Path(out_dir); out.mkdir(parents=True, exist_ok=True)
    models, cases = {}, []
    for name, fam, cfg in TINY:
        m = lb.tiny(fam, **cfg)
        m.model.save_pretrained(out/name)
        models[name] = dict(family=fam, config=cfg, folder=str(out/name), weights_sha=weights_sha(m.model))
        cases += _cases(name, lb.tokenize(m, TINY_PROMPT)['input_ids'][0].tolist(), 12)
    sm = lb.load('smollm2')
    models['smollm2'] = dict(folder=str(lb.models.smollm2_dir()), weights_sha=weights_sha(sm.model))
    for p in SMOL_PROMPTS:
        cases += _cases('smollm2', lb.tokenize(sm, p)['input_ids'][0].tolist(), 16, lists=([4, 12, 20],))
    (out/'spec.json').write_text(json.dumps(dict(models=models, cases=cases), indent=1))
    print(lb.models.smollm2_dir())

def _load_455(folder):
    "A folder written by transformers 5.x, loaded by 4.55: 5.x keeps the RoPE base in `rope_parameters`, 4.55 in `rope_theta`."
    from transformers import AutoConfig, AutoModelForCausalLM
    cfg = AutoConfig.from_pretrained(folder)
    rp = getattr(cfg, 'rope_parameters', None)
    if isinstance(rp, dict) and 'rope_theta' in rp:
        cfg.rope_theta = rp['rope_theta']
        assert rp.get('rope_type', 'default') == 'default', rp
    return AutoModelForCausalLM.from_pretrained(folder, config=cfg, torch_dtype=torch.float32).eval()

def _record_choices():
    "Wrap 4.55's `_dola_select_contrast` so that each call records the candidate the real code contrasted."
    import transformers.generation.utils as U
    chosen, orig_select, orig_filter, live = [], U._dola_select_contrast, U._relative_top_filter, {}
    def select(layers, logits, final):
        live['logits'] = logits
        return orig_select(layers, logits, final)
    def filt(scores, baseline, *a, **k):
        chosen.append(next(i for i, v in live['logits'].items() if v is baseline))
        return orig_filter(scores, baseline, *a, **k)
    U._dola_select_contrast, U._relative_top_filter = select, filt
    return chosen

def generate(spec_dir, smollm2_folder, out_json):
    "transformers 4.55.4: run every case with the real generate, check dola_plain against it, write the JSON."
    import transformers
    assert transformers.__version__ == '4.55.4', transformers.__version__
    torch.set_num_threads(1)
    spec = json.loads((Path(spec_dir)/'spec.json').read_text())
    spec['models']['smollm2']['folder'] = smollm2_folder
    chosen = _record_choices()
    results, models, cache = [], {}, {}
    for c in spec['cases']:
        name = c['model']
        if name not in cache:
            model = cache[name] = _load_455(spec['models'][name]['folder'])
            assert weights_sha(model) == spec['models'][name]['weights_sha'], f'{name}: not the weights prepare saved'
            ids = torch.tensor([c['prompt_ids']])
            lg = model(input_ids=ids).logits[0, -1].float()
            models[name] = dict(spec['models'][name], prompt_ids=c['prompt_ids'], logits_head=lg[:16].tolist(),
                                logits_argmax=int(lg.argmax()), logits_logsumexp=float(lg.logsumexp(-1)),
                                n_layers=model.config.num_hidden_layers, tied=bool(model.config.tie_word_embeddings))
            models[name].pop('folder')
        model, ids = cache[name], torch.tensor([c['prompt_ids']])
        kw = dict(max_new_tokens=c['max_new_tokens'], do_sample=False, repetition_penalty=c['repetition_penalty'],
                  attention_mask=torch.ones_like(ids))
        del chosen[:]
        if c['dola_layers'] is None: seq = model.generate(ids, **kw)
        else: seq = model.generate(ids, dola_layers=c['dola_layers'], **kw)
        toks = seq[0, ids.shape[1]:].tolist()
        r = dict(c, tokens=toks, candidates=hf_candidates(model.config, c['dola_layers']) if c['dola_layers'] else [])
        if c['dola_layers'] is not None:
            r['layers'] = list(chosen)
            plain = dola_plain(model, ids, c['dola_layers'], c['max_new_tokens'], c['repetition_penalty'], eos_ids(model))
            r['plain_equal'] = plain == (toks, r['layers'])
        results.append(r)
        print(name, c['dola_layers'], c['repetition_penalty'], toks[:8], r.get('layers', [])[:8], r.get('plain_equal'))
    meta = dict(transformers=transformers.__version__, torch=torch.__version__, threads=1,
                recipe='tests/dola_reference_recipe.py (prepare with the project venv, generate with transformers 4.55.4)')
    Path(out_json).parent.mkdir(parents=True, exist_ok=True)
    Path(out_json).write_text(json.dumps(dict(meta=meta, models=models, cases=results), indent=1) + '\n')

if __name__ == '__main__':
    cmd, *args = sys.argv[1:]
    {'prepare': prepare, 'generate': generate}[cmd](*args)
