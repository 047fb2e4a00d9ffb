__version__ = "0.1.0"
# The public API, written by tools/facade.py from each module's __all__ (do not edit by hand; run it after
# nbdev_export). `import lensbook` stays light: a name's module is imported when the name is first used.
from typing import TYPE_CHECKING
_API = {
    'activations': ['TOKENS', 'FORMAT', 'Activations', 'load_activations', 'collect', 'concat'],
    'arch': ['ENTRIES', 'Point', 'sniff', 'Stack', 'Arch', 'Loc', 'arch_of', 'validate'],
    'core': ['SITES', 'ARGS', 'RENAMED', 'site_names', 'site_shape', 'SiteError', 'Site', 'check_index', 'parse_site', 'parse_sites'],
    'decoding': ['buckets', 'jsd', 'contrast', 'repetition_penalty', 'Generation', 'dola', 'contrast_decode', 'greedy', 'EarlyExit', 'early_exit', 'Speculation', 'self_speculative'],
    'geometry': ['cka', 'cka_matrix', 'twonn', 'anisotropy', 'effective_rank', 'prompt_entropy', 'curvature', 'condition_number', 'powerlaw_fit', 'esd', 'esd_alpha', 'layer_geometry', 'layer_cka', 'weight_spectra', 'plot_cka', 'plot_geometry'],
    'intervene': ['ablation', 'Steering', 'steering_vector', 'load_steering', 'steer_sweep'],
    'layers': ['Parallel', 'order', 'skip', 'swap', 'repeat', 'parallel', 'redundancy', 'prune_choice', 'lm_loss', 'sweep_skip', 'sweep_swap'],
    'lens.logit': ['LogitLens', 'target_ids', 'LensResult', 'logit_lens'],
    'lens.tuned': ['TunedLens', 'save_lens', 'load_lens', 'train_lens', 'compare', 'tuned_lens'],
    'lens.weights': ['vocab_scores', 'neuron_values', 'neuron_tokens', 'find_neurons', 'head_ov', 'head_tokens', 'ov_tokens'],
    'models': ['FAMILIES', 'BUNDLED', 'Model', 'check_prompts', 'pad_id', 'pad', 'tokenize', 'str_tokens', 'top_tokens', 'fingerprint', 'byte_tokenizer', 'tiny', 'cache_dir', 'smollm2_dir', 'minilm_dir', 'load'],
    'patching': ['logit_diff', 'prob', 'loss', 'kl_to', 'PatchResult', 'patch', 'attribution_patch', 'subject_positions', 'causal_trace'],
    'plot': ['grid'],
    'probesets': ['PROBESETS', 'probeset', 'probesets'],
    'probing': ['split', 'LinearProbe', 'fit', 'control_labels', 'ProbeReport', 'load_probe', 'probe', 'rank_units', 'sparse_probe', 'minimal_pairs'],
    'results': ['CMAPS', 'BLANK', 'CSS', 'colour', 'ink', 'scale', 'at', 'esc', 'show_token', 'frame', 'colourbar', 'grid_html', 'tokens_html', 'bars_html', 'lines_html', 'Result', 'jsonable', 'save_artefact', 'load_artefact'],
    'text': ['TOPICS', 'GENRES', 'prompts', 'corpus_file', 'corpus', 'token_blocks', 'degenerate', 'sample', 'make_corpus'],
    'trace': ['Edit', 'replace', 'add', 'transform', 'Trace', 'all_hooks', 'hooks', 'run', 'run_batches'],
    'widgets.activations': ['activations', 'ActivationView'],
    'widgets.attention': ['pool_pattern', 'head_entropy', 'attention', 'AttentionView'],
    'widgets.base': ['STATIC_CSS', 'static_frame', 'View'],
    'widgets.effects': ['effect_payload', 'EffectView'],
    'widgets.intervene': ['token_diff', 'intervene', 'Outcome', 'InterventionPanel'],
    'widgets.lens': ['lens_payload', 'LensView'],
    'widgets.probe': ['probe_payload', 'pd_numeric', 'ProbeView'],
}
_WHERE = {name: mod for mod, names in _API.items() for name in names}
__all__ = list(_WHERE)

if TYPE_CHECKING:  # what static tools and IDE completion see
    from .activations import TOKENS, FORMAT, Activations, load_activations, collect, concat
    from .arch import ENTRIES, Point, sniff, Stack, Arch, Loc, arch_of, validate
    from .core import SITES, ARGS, RENAMED, site_names, site_shape, SiteError, Site, check_index, parse_site, parse_sites
    from .decoding import buckets, jsd, contrast, repetition_penalty, Generation, dola, contrast_decode, greedy, EarlyExit, early_exit, Speculation, self_speculative
    from .geometry import cka, cka_matrix, twonn, anisotropy, effective_rank, prompt_entropy, curvature, condition_number, powerlaw_fit, esd, esd_alpha, layer_geometry, layer_cka, weight_spectra, plot_cka, plot_geometry
    from .intervene import ablation, Steering, steering_vector, load_steering, steer_sweep
    from .layers import Parallel, order, skip, swap, repeat, parallel, redundancy, prune_choice, lm_loss, sweep_skip, sweep_swap
    from .lens.logit import LogitLens, target_ids, LensResult, logit_lens
    from .lens.tuned import TunedLens, save_lens, load_lens, train_lens, compare, tuned_lens
    from .lens.weights import vocab_scores, neuron_values, neuron_tokens, find_neurons, head_ov, head_tokens, ov_tokens
    from .models import FAMILIES, BUNDLED, Model, check_prompts, pad_id, pad, tokenize, str_tokens, top_tokens, fingerprint, byte_tokenizer, tiny, cache_dir, smollm2_dir, minilm_dir, load
    from .patching import logit_diff, prob, loss, kl_to, PatchResult, patch, attribution_patch, subject_positions, causal_trace
    from .plot import grid
    from .probesets import PROBESETS, probeset, probesets
    from .probing import split, LinearProbe, fit, control_labels, ProbeReport, load_probe, probe, rank_units, sparse_probe, minimal_pairs
    from .results import CMAPS, BLANK, CSS, colour, ink, scale, at, esc, show_token, frame, colourbar, grid_html, tokens_html, bars_html, lines_html, Result, jsonable, save_artefact, load_artefact
    from .text import TOPICS, GENRES, prompts, corpus_file, corpus, token_blocks, degenerate, sample, make_corpus
    from .trace import Edit, replace, add, transform, Trace, all_hooks, hooks, run, run_batches
    from .widgets.activations import activations, ActivationView
    from .widgets.attention import pool_pattern, head_entropy, attention, AttentionView
    from .widgets.base import STATIC_CSS, static_frame, View
    from .widgets.effects import effect_payload, EffectView
    from .widgets.intervene import token_diff, intervene, Outcome, InterventionPanel
    from .widgets.lens import lens_payload, LensView
    from .widgets.probe import probe_payload, pd_numeric, ProbeView

def __getattr__(name):
    if name in _WHERE:
        import importlib
        return getattr(importlib.import_module(f'{__name__}.{_WHERE[name]}'), name)
    raise AttributeError(f"module 'lensbook' has no attribute {name!r}")

def __dir__(): return sorted(list(globals()) + __all__)
