"""Protocol-test factories for the probing and geometry area (tests/test_results.py): activation stores, probe reports,
layer geometry, CKA between layers, weight spectra, top-activating examples, unit selectivity. Each make(m) returns (result, loader); loader re-reads a saved
artefact (None: not a single-file artefact)."""
MARKUP = '<img src=x onerror=alert(1)>'
TEXTS = [f'{MARKUP} one two three', 'the cat sat on the mat', f'four {MARKUP} five six seven', 'a dog ran far away',
         'birds fly south in winter', f'{MARKUP} eight']

def _store(m):
    import lensbook as lb
    return lb.collect(m, [(t, i % 2) for i, t in enumerate(TEXTS * 4)], 'resid_post', progress=False)

def make_activations(m):
    # a store is a folder of shards (resumable), not one file: its save/load round trip is tested in nbs/21_collect
    return _store(m), None

def make_probe_report(m):
    import lensbook as lb
    return lb.probe(_store(m), folds=2, control=[t.split()[0] for t in TEXTS * 4]), lambda p: lb.load_probe(p, m)

def make_sparse(m):
    import lensbook as lb
    st = lb.collect(m, [(t, i % 2) for i, t in enumerate(TEXTS * 4)], ['neurons.0', 'neurons.1'], progress=False)
    return lb.sparse_probe(st, ks=(1, 4)), None

def make_pairs(m):
    import lensbook as lb
    rows = [dict(text=f'{MARKUP} the {w} {v}', label=v, pair=i) for i, w in enumerate(['cat', 'dog', 'owl', 'fox', 'bee', 'ant'])
            for v in ('is', 'are')]
    return lb.minimal_pairs(lb.collect(m, rows, 'resid_post', progress=False)), None

def make_geometry(m):
    import lensbook as lb
    return lb.layer_geometry(m, TEXTS, seq_len=8), None

def make_cka(m):
    import lensbook as lb
    return lb.layer_cka(m, TEXTS, seq_len=8), None

def make_spectra(m):
    import lensbook as lb
    return lb.weight_spectra(m, names='down_proj', n_windows=2), None

def make_examples(m):
    import lensbook as lb
    return lb.top_examples(m, TEXTS * 2, 'neurons.1', unit=3, k=4, window=(3, 2), progress=False), None

def make_selectivity(m):
    import lensbook as lb
    return lb.selectivity(m, [(t, i % 2) for i, t in enumerate(TEXTS * 4)], 'neurons.1', k=3, progress=False), None

def make_memory_plan(m):
    import lensbook as lb
    # a settings value with markup: the HTML escapes it
    return lb.plan(m, 'collect', n=64, seq_len=16, settings=dict(sites='resid_post', out=f'store-{MARKUP}')), None

FACTORIES = {'Activations': make_activations, 'ProbeReport': make_probe_report, 'SparseProbeResult': make_sparse,
             'MinimalPairsResult': make_pairs, 'GeometryResult': make_geometry,
             'CKAResult': make_cka, 'SpectraResult': make_spectra,
             'TopExamples': make_examples, 'Selectivity': make_selectivity,
             'MemoryPlan': make_memory_plan}

def make_sae_eval(m):
    import torch, lensbook as lb
    d = m.model.config.hidden_size
    I = torch.eye(d)   # the identity as a top-k SAE: of (x_i, -x_i) the d largest are the non-negative halves
    ident = lb.SAE(torch.cat([I, -I], 1), torch.zeros(2 * d), torch.cat([I, -I]), torch.zeros(d), 'topk', k=d, site='resid_post.0')
    return lb.evaluate_sae(m, ident, TEXTS, progress=False), lb.load_sae_eval

FACTORIES['SAEEval'] = make_sae_eval
