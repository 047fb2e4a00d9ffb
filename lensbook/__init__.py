__version__ = "0.1.0"
# The public API, written by tools/facade.py from each module's __all__ (do not edit by hand; run it after
# nbdev_export). `import lensbook` stays light: a name's module is imported when the name is first used.
from typing import TYPE_CHECKING
_API = {
    'activations': ['REDUCE', 'Activations', 'load_activations', 'collect', 'concat'],
    'activity': ['TokenActivity', 'token_activity'],
    'arch': ['ENTRIES', 'Point', 'sniff', 'Stack', 'Arch', 'Loc', 'validate', 'Checks', 'arch_of'],
    'attention_aggregate': ['BUILTIN', 'token_classes', 'AttentionMass', 'attention_mass', 'AttentionFlow', 'attention_flow'],
    'attention_edits': ['TARGETS', 'knockout', 'interpolate'],
    'attention_maps': ['pool_pattern', 'head_entropy', 'AttentionResult', 'attention'],
    'attribution': ['frozen_norm', 'LogitAttribution', 'logit_attribution'],
    'contrastive': ['AMATEUR_KINDS', 'GATES', 'Amateur', 'layer_amateur', 'edit_amateur', 'prompt_amateur', 'model_amateur', 'contrast_scores', 'Contrastive', 'contrastive_decode', 'ContrastiveProcessor'],
    'core': ['SITES', 'ARGS', 'RENAMED', 'site_names', 'SiteError', 'Site', 'check_int', 'check_index', 'check_ints', 'check_number', 'check_finite', 'check_choice', 'check_callable', 'parse_site', 'dictionary_site', 'site_shape', 'parse_sites'],
    'decoding': ['DIVERGENCES', 'buckets', 'kl_to_mid', 'jsd', 'contrast', 'penalize_repeats', 'Generation', 'dola', 'contrast_decode', 'greedy', 'EarlyExit', 'early_exit'],
    'dictionary': ['SAE_ARCHITECTURES', 'SAE_NORMALIZE', 'hook_to_site', 'site_to_hook', 'SAE', 'load_sae', 'FeatureActivity', 'feature_activity'],
    'dictionary_training': ['train_sae', 'train_transcoder', 'evaluate_sae', 'SAEEval', 'load_sae_eval', 'cached_sae', 'cached_transcoder'],
    'examples': ['StreamHistogram', 'unit_fn', 'TopExamples', 'top_examples', 'Selectivity', 'selectivity', 'clamp'],
    'geometry': ['cka', 'cka_matrix', 'twonn', 'anisotropy', 'effective_rank', 'prompt_entropy', 'curvature', 'GeometryResult', 'layer_geometry', 'CKAResult', 'layer_cka'],
    'gradients': ['Attribution', 'gradient_attribution', 'Faithfulness', 'faithfulness'],
    'heads': ['DETECTORS', 'repeated_random', 'HeadScores', 'head_detectors'],
    'intervene': ['ablation', 'Steering', 'load_steering', 'steering_vector', 'SteerSweep', 'steer_sweep'],
    'layers': ['Parallel', 'order', 'skip', 'swap', 'repeat', 'parallel', 'Redundancy', 'redundancy', 'prune_choice', 'lm_loss', 'LayerLoss', 'sweep_skip', 'sweep_swap'],
    'lens.jacobian': ['JacobianLens', 'fit_jacobian_lens', 'load_jacobian_lens', 'jacobian_lens'],
    'lens.logit': ['LogitLens', 'target_ids', 'LensResult', 'logit_lens'],
    'lens.patchscope': ['IDENTITY', 'Patchscope', 'Verbalization', 'verbalize'],
    'lens.tuned': ['TunedLens', 'load_lens', 'train_lens', 'LensComparison', 'compare_lenses', 'tuned_lens'],
    'lens.weights': ['vocab_scores', 'TokenTable', 'decode_direction', 'neuron_values', 'neuron_tokens', 'find_neurons', 'head_ov', 'head_tokens', 'ov_tokens'],
    'memory': ['WORKLOADS', 'weights_bytes', 'MemoryPlan', 'free_mb', 'plan'],
    'models': ['FAMILIES', 'BUNDLED', 'Model', 'check_prompts', 'pad_id', 'pad', 'tokenize', 'str_tokens', 'top_tokens', 'fingerprint', 'byte_tokenizer', 'tiny', 'cache_dir', 'file_lock', 'smollm2_dir', 'minilm_dir', 'load'],
    'outcomes': ['token_diff', 'Outcome', 'compare', 'patch_outcome'],
    'patching': ['logit_diff', 'prob', 'loss', 'kl_to', 'PatchResult', 'patch', 'attribution_patch', 'subject_positions', 'causal_trace', 'patch_units'],
    'plot': ['plain', 'grid'],
    'probesets': ['PROBESETS', 'probeset', 'probeset_summary'],
    'probing': ['PROBE_LABELS', 'PAIR_LABELS', 'stratified_split', 'LinearProbe', 'fit_probe', 'control_labels', 'ProbeReport', 'load_probe', 'probe', 'rank_units', 'SparseProbeResult', 'sparse_probe', 'MinimalPairsResult', 'minimal_pairs'],
    'results': ['CMAPS', 'show_token', 'Result', 'save_artefact', 'load_artefact'],
    'spectra': ['condition_number', 'powerlaw_fit', 'esd', 'esd_alpha', 'SpectraResult', 'weight_spectra'],
    'speculative': ['Speculation', 'self_speculative', 'SkipSearch', 'search_skip'],
    'sublayers': ['Dropped', 'drop_sublayers', 'SublayerRedundancy', 'sublayer_redundancy', 'forward_speed', 'SublayerDrop', 'drop_search'],
    'text': ['TOPICS', 'GENRES', 'openings', 'corpus_file', 'corpus', 'token_blocks', 'degenerate', 'sample', 'make_corpus'],
    'trace': ['Edit', 'replace', 'add', 'transform', 'Trace', 'all_hooks', 'hooks', 'run', 'run_batches'],
    'widgets.activations': ['ActivationView'],
    'widgets.attention': ['AttentionView'],
    'widgets.attribution': ['DLAView', 'TokenAttributionView'],
    'widgets.base': ['Snapshot', 'View'],
    'widgets.effects': ['EffectView'],
    'widgets.examples': ['ExamplesView'],
    'widgets.features': ['FeatureView'],
    'widgets.intervene': ['OutcomeView', 'InterventionPanel'],
    'widgets.lens': ['LensView'],
    'widgets.probe': ['ProbeView'],
}
_WHERE = {name: mod for mod, names in _API.items() for name in names}
__all__ = list(_WHERE)

if TYPE_CHECKING:  # what static tools and IDE completion see
    from .activations import REDUCE, Activations, load_activations, collect, concat
    from .activity import TokenActivity, token_activity
    from .arch import ENTRIES, Point, sniff, Stack, Arch, Loc, validate, Checks, arch_of
    from .attention_aggregate import BUILTIN, token_classes, AttentionMass, attention_mass, AttentionFlow, attention_flow
    from .attention_edits import TARGETS, knockout, interpolate
    from .attention_maps import pool_pattern, head_entropy, AttentionResult, attention
    from .attribution import frozen_norm, LogitAttribution, logit_attribution
    from .contrastive import AMATEUR_KINDS, GATES, Amateur, layer_amateur, edit_amateur, prompt_amateur, model_amateur, contrast_scores, Contrastive, contrastive_decode, ContrastiveProcessor
    from .core import SITES, ARGS, RENAMED, site_names, SiteError, Site, check_int, check_index, check_ints, check_number, check_finite, check_choice, check_callable, parse_site, dictionary_site, site_shape, parse_sites
    from .decoding import DIVERGENCES, buckets, kl_to_mid, jsd, contrast, penalize_repeats, Generation, dola, contrast_decode, greedy, EarlyExit, early_exit
    from .dictionary import SAE_ARCHITECTURES, SAE_NORMALIZE, hook_to_site, site_to_hook, SAE, load_sae, FeatureActivity, feature_activity
    from .dictionary_training import train_sae, train_transcoder, evaluate_sae, SAEEval, load_sae_eval, cached_sae, cached_transcoder
    from .examples import StreamHistogram, unit_fn, TopExamples, top_examples, Selectivity, selectivity, clamp
    from .geometry import cka, cka_matrix, twonn, anisotropy, effective_rank, prompt_entropy, curvature, GeometryResult, layer_geometry, CKAResult, layer_cka
    from .gradients import Attribution, gradient_attribution, Faithfulness, faithfulness
    from .heads import DETECTORS, repeated_random, HeadScores, head_detectors
    from .intervene import ablation, Steering, load_steering, steering_vector, SteerSweep, steer_sweep
    from .layers import Parallel, order, skip, swap, repeat, parallel, Redundancy, redundancy, prune_choice, lm_loss, LayerLoss, sweep_skip, sweep_swap
    from .lens.jacobian import JacobianLens, fit_jacobian_lens, load_jacobian_lens, jacobian_lens
    from .lens.logit import LogitLens, target_ids, LensResult, logit_lens
    from .lens.patchscope import IDENTITY, Patchscope, Verbalization, verbalize
    from .lens.tuned import TunedLens, load_lens, train_lens, LensComparison, compare_lenses, tuned_lens
    from .lens.weights import vocab_scores, TokenTable, decode_direction, neuron_values, neuron_tokens, find_neurons, head_ov, head_tokens, ov_tokens
    from .memory import WORKLOADS, weights_bytes, MemoryPlan, free_mb, plan
    from .models import FAMILIES, BUNDLED, Model, check_prompts, pad_id, pad, tokenize, str_tokens, top_tokens, fingerprint, byte_tokenizer, tiny, cache_dir, file_lock, smollm2_dir, minilm_dir, load
    from .outcomes import token_diff, Outcome, compare, patch_outcome
    from .patching import logit_diff, prob, loss, kl_to, PatchResult, patch, attribution_patch, subject_positions, causal_trace, patch_units
    from .plot import plain, grid
    from .probesets import PROBESETS, probeset, probeset_summary
    from .probing import PROBE_LABELS, PAIR_LABELS, stratified_split, LinearProbe, fit_probe, control_labels, ProbeReport, load_probe, probe, rank_units, SparseProbeResult, sparse_probe, MinimalPairsResult, minimal_pairs
    from .results import CMAPS, show_token, Result, save_artefact, load_artefact
    from .spectra import condition_number, powerlaw_fit, esd, esd_alpha, SpectraResult, weight_spectra
    from .speculative import Speculation, self_speculative, SkipSearch, search_skip
    from .sublayers import Dropped, drop_sublayers, SublayerRedundancy, sublayer_redundancy, forward_speed, SublayerDrop, drop_search
    from .text import TOPICS, GENRES, openings, corpus_file, corpus, token_blocks, degenerate, sample, make_corpus
    from .trace import Edit, replace, add, transform, Trace, all_hooks, hooks, run, run_batches
    from .widgets.activations import ActivationView
    from .widgets.attention import AttentionView
    from .widgets.attribution import DLAView, TokenAttributionView
    from .widgets.base import Snapshot, View
    from .widgets.effects import EffectView
    from .widgets.examples import ExamplesView
    from .widgets.features import FeatureView
    from .widgets.intervene import OutcomeView, InterventionPanel
    from .widgets.lens import LensView
    from .widgets.probe import ProbeView

def __getattr__(name):
    if name in _WHERE:
        import importlib
        return getattr(importlib.import_module(f'{__name__}.{_WHERE[name]}'), name)
    raise AttributeError(f"module 'lensbook' has no attribute {name!r}")

def __dir__(): return sorted(list(globals()) + __all__)
