"""The architecture matrix: every tiny family and both bundled models, checked against the model's own outputs."""
import pytest, torch
from lensbook.core import SITES, Site
from lensbook.models import FAMILIES, tiny, tokenize
from lensbook.arch import ENTRIES, Point, arch_of, validate
from lensbook.trace import run, transform, all_hooks

PROMPTS = ['The cat sat on', 'A dog ran far!']  # same byte length: no padding

@pytest.fixture(scope='module', params=FAMILIES)
def fam(request): return tiny(request.param)

def test_tiny_is_tiny(fam):
    a = fam.arch
    assert fam.n_params < 1_000_000 and a.n_layers <= 4 and a.d_model <= 64, fam

def test_lens_reproduces_logits(fam):
    errs = validate(fam.arch)
    assert errs['lens'] <= 1e-4 and errs['additive'] <= 1e-4, errs

def test_every_map_is_checked_on_first_use(fam):
    "The map of every family ran the lens and additivity checks when it was built; re-measuring gives the same figures."
    c = fam.arch.checks
    assert c is not None and c.ok and c.family == fam.arch.family, c
    want = {'lens', 'additive'} | ({'enc.additive', 'enc.output'} if 'enc' in fam.arch.stacks else set())
    assert set(c.errors) == want and all(e <= 1e-5 for e in c.errors.values()), c
    assert validate(fam.arch) == c.errors
    assert list(c.skipped) == (['additive (attention half)'] if fam.arch.family == 'bart' else []), c.skipped

def test_checks_leave_the_model_pristine(fam):
    "Building a checked map leaves no hook, no gradient, every training flag as it was, and the same logits."
    model, x = fam.model, tokenize(fam, PROMPTS)
    kw = dict(decoder_input_ids=x['input_ids']) if 'enc' in fam.arch.stacks else {}
    with torch.inference_mode(): before = model(**x, **kw).logits
    model.train(); list(model.modules())[3].eval()
    flags = [mod.training for mod in model.modules()]
    try:
        assert arch_of(model).checks.ok
        assert [mod.training for mod in model.modules()] == flags and all_hooks(model) == 0
        assert all(p.grad is None for p in model.parameters())
    finally: model.eval()
    with torch.inference_mode(): assert torch.equal(model(**x, **kw).logits, before)

def _with_entry(family, edit, model):
    old = ENTRIES[family]
    ENTRIES[family] = lambda cfg: edit(old(cfg))
    try: return arch_of(model)
    finally: ENTRIES[family] = old

@pytest.mark.parametrize('edit, check', [
    (lambda e: dict(e, final_norm=None), "check 'lens'"),                                    # the final norm moved
    (lambda e: dict(e, final_norm='layers.1.mlp'), "check 'lens'"),                          # ... or points at another module
    (lambda e: dict(e, sites=dict(e['sites'], attn_out=Point('self_attn.o_proj', 'in'))), "check 'additive'"),
    (lambda e: dict(e, sites=dict(e['sites'], mlp_out=Point('mlp.up_proj', 'out'))), "check 'additive'"),
    (lambda e: dict(e, sites=dict(e['sites'], resid_mid=Point('input_layernorm', 'in'))), "check 'additive'"),
    (lambda e: dict(e, blocks='decoder_layers'), "no module 'decoder_layers' under LlamaModel"),
], ids=['final-norm-missing', 'final-norm-wrong', 'attn-out-wrong', 'mlp-out-wrong', 'resid-mid-wrong', 'blocks-moved'])
def test_broken_map_is_refused(edit, check):
    "A map that a transformers release broke is refused, naming the family, the check and its figure; the model is untouched."
    m = tiny('llama')
    with pytest.raises(NotImplementedError) as e: _with_entry('llama', edit, m.model)
    msg = str(e.value)
    assert msg.startswith("lensbook's map of 'llama' does not fit LlamaForCausalLM") and check in msg, msg
    if 'check' in check: assert 'is off by' in msg and 'tolerance' in msg and 'at layer' in msg, msg
    assert all_hooks(m.model) == 0 and not m.model.training

def test_changed_block_is_refused():
    "A block whose forward changed (its output no longer the sum of its parts) fails the additivity check at that layer."
    m = tiny('gpt_neox')
    blk = m.arch.blocks[0]
    orig = blk.forward
    def doubled(*a, **kw):
        o = orig(*a, **kw)
        return (o[0] * 2,) + tuple(o[1:]) if isinstance(o, tuple) else o * 2
    blk.forward = doubled
    try:
        with pytest.raises(NotImplementedError, match=r"check 'additive' .* is off by .* at layer 0"): arch_of(m.model)
    finally: del blk.forward
    assert arch_of(m.model).checks.ok and all_hooks(m.model) == 0

def test_unchecked_map_on_request():
    m = tiny('llama')
    assert arch_of(m.model, check=False).checks is None

def _expected_shape(m, site, b, p):
    a, st = m.arch, m.arch.stacks[site.stack]
    dims = dict(batch=b, pos=p, d_model=a.d_model, d_head=st.d_head, d_mlp=st.d_mlp, d_vocab=a.d_vocab,
                query=p, key=p, head=st.n_kv_heads if site.kind in ('k', 'v', 'rot_k') else st.n_heads)
    return tuple(dims[d] for d in SITES[site.kind][1].split())

def _decoder_len(m, x):
    return 1 if 'enc' in m.arch.stacks else x['input_ids'].shape[1]

def test_every_site_reads_with_documented_shape(fam):
    x = tokenize(fam, PROMPTS)
    names = [k for k in SITES if k in fam.arch.stacks[''].sites or not SITES[k][0]]
    tr = run(fam, x, read=names)
    b, p = x['input_ids'].shape
    for site in fam.arch.sites(names):
        assert tuple(tr[site].shape) == _expected_shape(fam, site, b, _decoder_len(fam, x)), site
    if 'enc' in fam.arch.stacks:
        tr = run(fam, x, read=['enc.resid_post', 'enc.pattern.0', 'enc.q.1'])
        for site in fam.arch.sites(['enc.resid_post.1', 'enc.pattern.0', 'enc.q.1']):
            assert tuple(tr[site].shape) == _expected_shape(fam, site, b, p), site
    assert all_hooks(fam.model) == 0

def test_reads_match_model_outputs(fam):
    "resid_post and pattern agree with output_hidden_states / output_attentions, which use no lensbook code."
    x = tokenize(fam, PROMPTS)
    kw = dict(decoder_input_ids=x['input_ids']) if 'enc' in fam.arch.stacks else {}
    tr = run(fam, x, read=['resid_post', 'pattern', 'logits'], **kw)
    fam.model.set_attn_implementation('eager')
    try:
        with torch.inference_mode():
            ref = fam.model(**x, output_hidden_states=True, output_attentions=True, use_cache=False, **kw)
    finally: fam.model.set_attn_implementation('sdpa')
    hs = ref.decoder_hidden_states if kw else ref.hidden_states
    att = ref.decoder_attentions if kw else ref.attentions
    n = fam.arch.n_layers
    for l in range(n - 1):  # the last entry of hidden_states is after the final norm in some families
        torch.testing.assert_close(tr[f'resid_post.{l}'], hs[l + 1], atol=1e-5, rtol=0)
    for l in range(n):
        torch.testing.assert_close(tr[f'pattern.{l}'], att[l], atol=1e-6, rtol=0)
    torch.testing.assert_close(tr['logits'], ref.logits, atol=1e-6, rtol=0)
    torch.testing.assert_close(tr['pattern.0'].sum(-1), torch.ones_like(tr['pattern.0'][..., 0]))

def test_head_out_and_neurons_feed_their_projections(fam):
    "Summing per-head results through the output projection gives attn_out; neurons through the down projection give mlp_out."
    a = fam.arch
    st = a.stacks['']
    if st.post_ln: pytest.skip('post-norm blocks: attn_out is itself the output projection')
    x = tokenize(fam, PROMPTS)
    tr = run(fam, x, read=['head_out.1', 'attn_out.1', 'neurons.1', 'mlp_out.1'])
    o = st.module(1, st.sites['head_out'].path)
    down = st.module(1, st.sites['neurons'].path)
    with torch.inference_mode():
        torch.testing.assert_close(o(tr['head_out.1'].flatten(-2)), tr['attn_out.1'], atol=1e-6, rtol=0)
        torch.testing.assert_close(down(tr['neurons.1']), tr['mlp_out.1'], atol=1e-6, rtol=0)

def test_identity_edits_are_exact(fam):
    x = tokenize(fam, PROMPTS)
    base = run(fam, x).logits
    for name in ['embed', 'resid_pre.0', 'attn_out.1', 'mlp_out.0', 'head_out.1', 'q.0', 'k.1', 'v.0', 'neurons.1',
                 'resid_post.1', 'final', 'logits']:
        assert torch.equal(run(fam, x, edit=transform(name, lambda t: t)).logits, base), name
    assert all_hooks(fam.model) == 0

def test_per_row_edits_equal_separate_runs(fam):
    "One batch, each row zeroing a different head and adding a different vector, equals each variant run alone."
    x = tokenize(fam, ['The cat sat'] * 3)
    from lensbook.trace import replace, add
    vec = torch.randn(3, 1, fam.arch.d_model, generator=torch.Generator().manual_seed(0))
    edits = [replace('head_out.0', 0., rows=r, unit=r) for r in range(3)] + [add('resid_post.0', vec, rows=[0, 1, 2], pos=-1)]
    batched = run(fam, x, edit=edits).logits
    for r in range(3):
        alone = run(fam, 'The cat sat', edit=[replace('head_out.0', 0., unit=r), add('resid_post.0', vec[r], pos=-1)]).logits
        torch.testing.assert_close(batched[r], alone[0], atol=1e-5, rtol=0)
        if r: assert not torch.allclose(batched[r], batched[0])

def test_zero_ablating_both_sublayers_skips_the_block(fam):
    "Pre-norm sequential or parallel blocks: zeroing attn_out and mlp_out makes resid_post equal resid_pre."
    if fam.arch.stacks[''].post_ln: pytest.skip('post-norm: the block still normalises')
    from lensbook.trace import replace
    tr = run(fam, 'The cat sat', read=['resid_pre.1', 'resid_post.1'],
             edit=[replace('attn_out.1', 0.), replace('mlp_out.1', 0.)])
    torch.testing.assert_close(tr['resid_post.1'], tr['resid_pre.1'], atol=1e-6, rtol=0)

def test_stop_skips_later_layers(fam):
    tr = run(fam, 'The cat sat', read='resid_post.0', stop=True)
    assert tr.output is None and tuple(tr['resid_post.0'].shape[-1:]) == (fam.arch.d_model,)
    assert all_hooks(fam.model) == 0

def test_sniffed_unknown_decoder():
    from transformers import AutoConfig, AutoModelForCausalLM
    cfg = AutoConfig.for_model('qwen3', hidden_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                               intermediate_size=128, vocab_size=259, head_dim=16)
    a = arch_of(AutoModelForCausalLM.from_config(cfg).eval())
    assert a.sniffed and max(validate(a).values()) <= 1e-4 and a.checks.ok and set(a.checks.errors) == {'lens', 'additive'}

# The bundled models, for real.

def test_smollm2_map(smollm2):
    a = smollm2.arch
    assert (a.family, a.n_layers, a.n_heads, a.n_kv_heads, a.d_head, a.d_model, a.d_vocab) == ('llama', 30, 9, 3, 64, 576, 49152)
    errs = validate(a)
    assert errs['lens'] <= 1e-4 and errs['additive'] <= 1e-4, errs
    assert a.checks.ok and a.checks.errors.keys() == errs.keys(), a.checks

def test_smollm2_reads_and_answer(smollm2):
    tr = run(smollm2, 'The capital of France is', read=['resid_post', 'pattern.29', 'k.3'])
    with torch.inference_mode():
        ref = smollm2.model(**tokenize(smollm2, 'The capital of France is'), output_hidden_states=True)
        for l in range(29): torch.testing.assert_close(tr[f'resid_post.{l}'], ref.hidden_states[l + 1], atol=1e-4, rtol=1e-5)  # pattern reads run eager attention
        a = smollm2.arch
        torch.testing.assert_close(a.unembed(a.final_norm(tr['resid_post.29'])), ref.logits, atol=1e-4, rtol=0)
    assert tr['k.3'].shape == (1, 5, 3, 64) and tr['pattern.29'].shape == (1, 9, 5, 5)
    assert smollm2.tokenizer.decode(tr.logits[0, -1].argmax()) == ' Paris'

def test_minilm_map(minilm):
    a = minilm.arch
    assert (a.family, a.n_layers, a.n_heads, a.d_model, a.unembed) == ('bert', 6, 12, 384, None)
    c = a.checks                                # no LM head: the last block is checked against the last hidden state
    assert c.ok and set(c.errors) == {'output', 'additive'} and 'no unembedding' in c.skipped['lens'], c
    assert validate(a)['output'] <= 1e-4
    tr = run(minilm, ['The cat sat on the mat.', 'Attention is all you need.'], read=['resid_post.5', 'pattern.0'])
    with torch.inference_mode():
        ref = minilm.model(**tokenize(minilm, ['The cat sat on the mat.', 'Attention is all you need.']))
    torch.testing.assert_close(tr['resid_post.5'], ref.last_hidden_state, atol=1e-5, rtol=0)
    assert 'logits' not in [k for k in tr]

def test_block_parts_are_mapped(fam):
    "Attention module, MLP module (where it is one), and the block's norms, for every layer of every stack."
    for st in fam.arch.stacks.values():
        for l in range(st.n_layers):
            assert 'attention' in type(st.attn(l)).__name__.lower(), type(st.attn(l))
            assert st.mlp(l) is None or 'mlp' in type(st.mlp(l)).__name__.lower(), type(st.mlp(l))
            norms = st.norms(l)
            assert 1 <= len(norms) <= 3 and all('norm' in type(n).__name__.lower() for n in norms), norms
        assert st.final_norm is None or 'norm' in type(st.final_norm).__name__.lower()
    assert fam.arch.unembed is not None
    if fam.arch.family != 'bert':  # BERT's embed is its whole embeddings module (token + position + type + norm)
        assert fam.arch.stacks[''].embed.weight.data_ptr() == fam.model.get_input_embeddings().weight.data_ptr()

# Interventions (nbs/30_intervene, 32_patching) on every family: sites in the core grammar, checked against plain runs.

def test_ablation_of_every_layer_equals_per_layer_ablations(fam):
    "ablation(m, 'mlp_out', 'mean') gives one edit per layer, equal to the per-layer ablations (one reference run for all)."
    import lensbook as lb
    if 'enc' in fam.arch.stacks: pytest.skip('encoder-decoder: the reference run needs decoder inputs')
    ref, n, x = ['hello there', 'abc'], fam.arch.n_layers, tokenize(fam, PROMPTS)
    every = lb.ablation(fam, 'mlp_out', 'mean', ref)
    per = [lb.ablation(fam, f'mlp_out.{l}', 'mean', ref)[0] for l in range(n)]
    assert [str(e.site) for e in every] == [f'mlp_out.{l}' for l in range(n)]
    for a, b in zip(every, per): torch.testing.assert_close(a.value, b.value, atol=1e-6, rtol=0)
    torch.testing.assert_close(run(fam, x, edit=every).logits, run(fam, x, edit=per).logits, atol=1e-6, rtol=0)
    assert all_hooks(fam.model) == 0

def test_patch_sites_follow_the_grammar(fam):
    "patch(sites='attn_out') sweeps every layer, 'attn_out.1' is its row 1, and cells equal a plain run with one edit."
    import lensbook as lb
    from lensbook.trace import replace
    if 'enc' in fam.arch.stacks: pytest.skip('patching sweeps are decoder-only')
    c, x = (tokenize(fam, p)['input_ids'] for p in PROMPTS)
    n, P = fam.arch.n_layers, c.shape[1]
    every, one = lb.patch(fam, c, x, 'kl', sites='attn_out'), lb.patch(fam, c, x, 'kl', sites='attn_out.1')
    assert every.rows == list(range(n)) and one.rows == [1] and every.values.shape == (n, P)
    torch.testing.assert_close(one.values, every.values[1:2], atol=1e-5, rtol=0)
    src, f = run(fam, c, read='attn_out'), lb.kl_to(run(fam, c).logits[0, -1])
    for l, p in ((0, 0), (n - 1, P - 1), (1, P // 2)):
        e = replace(f'attn_out.{l}', src[f'attn_out.{l}'][:, [p]], pos=[p])
        torch.testing.assert_close(every.values[l, p], f(run(fam, x, edit=e).logits[:, -1])[0], atol=1e-5, rtol=0)
    assert lb.attribution_patch(fam, c, x, 'kl', sites='resid_pre.1').rows == [1]
    with pytest.raises(ValueError, match='one site kind'): lb.patch(fam, c, x, 'kl', sites=['attn_out.0', 'mlp_out.1'])
    with pytest.raises(ValueError, match="write 'resid_post.L'"): lb.steering_vector(fam, ['a'], ['b'], 'resid_post')
    assert all_hooks(fam.model) == 0

def test_logit_lens_last_site_is_the_output(fam):
    "The lens on the last block's output is the model's own next-token distribution; sites follow the core grammar."
    from lensbook.lens.logit import logit_lens
    if fam.arch.unembed is None: pytest.skip('no LM head')
    kw = dict(decoder_input_ids=torch.tensor([[2, 70, 71, 72]] * 2)) if 'enc' in fam.arch.stacks else {}
    r = logit_lens(fam, PROMPTS, sites=['mlp_out.0', 'resid_post.-1'], k=3, **kw)
    with torch.inference_mode(): ref = run(fam, PROMPTS, **kw).logits.float().log_softmax(-1)
    assert [str(s) for s in r.sites] == ['mlp_out.0', f'resid_post.{fam.arch.n_layers - 1}']
    torch.testing.assert_close(r.top_p[-1], ref.topk(3, -1).values.exp(), atol=1e-5, rtol=0)
    assert (r.top_ids[-1, ..., 0] == ref.argmax(-1)).all() and r.kl[-1].abs().max() < 1e-5

def _exact_log_probs(m, prompts, spread=None, kw=None, mem_mb=1e-3):
    "Largest |target log-prob - the full log_softmax of the lens's logits| over every cell, following each cell's least likely token;"
    "with `spread`, the logits are first scaled so that the widest cell spans `spread` nats."
    from lensbook.lens.logit import LogitLens, logit_lens
    kw = kw or {}
    with torch.inference_mode():
        tr = run(m, prompts, read='resid_post', **kw)
        z = LogitLens(m).logits(tr.stack('resid_post'), None)
    scale = 1. if spread is None else spread / (z.amax(-1) - z.amin(-1)).max().item()
    class Sharp(LogitLens):
        def decode(self, h): return super().decode(h) * scale
    lens = Sharp(m)
    with torch.inference_mode(): ref = lens.logits(tr.stack('resid_post'), None).log_softmax(-1)   # [L, B, P, vocab], all at once
    mask = torch.ones(ref.shape[1:3], dtype=torch.bool) if kw else tr.inputs['attention_mask'].bool().cpu()
    worst = ref[:, mask].argmin(-1).flatten().unique().tolist()
    r = logit_lens(m, prompts, targets=worst, lens=lens, mem_mb=mem_mb, **kw)
    assert (r.top_lp - ref.topk(5, -1).values)[:, mask].abs().max() <= 1e-4
    return (r.target_lp - ref[..., worst])[:, mask].abs().max().item(), ref[..., worst][:, mask].min().item()

def test_lens_log_probs_are_exact(fam):
    "Target log-probs equal the lens's full log_softmax to 1e-4 in every cell, far below float32's smallest probability."
    if fam.arch.unembed is None: pytest.skip('no LM head')
    kw = dict(decoder_input_ids=torch.tensor([[2, 70, 71, 72]] * 2)) if 'enc' in fam.arch.stacks else None
    err, low = _exact_log_probs(fam, PROMPTS, spread=160., kw=kw)
    assert err <= 1e-4 and low < -120, (err, low)     # exp(-120) is 0 in float32

def test_smollm2_log_probs_are_exact(smollm2):
    err, low = _exact_log_probs(smollm2, ['The capital of France is', 'def f(x):\n    return x'], mem_mb=0.5)
    assert err <= 1e-4 and low < -100, (err, low)
