"""scikit-learn Pipeline -> ONNX bytes with skl2onnx (float32 input named ``X``).

Classifiers are converted with ``zipmap=False``, so the outputs are plain arrays:
``label`` (n,) with the original class labels and ``probabilities`` (n, n_classes).
Regressors give ``variable`` (n, 1); k-means gives ``label`` (n,) and ``scores`` (distances).
"""

from __future__ import annotations

import contextlib
import threading
import warnings

__all__ = ["to_onnx_bytes"]

_PATCH_LOCK = threading.Lock()   # the patch below swaps a module global; one conversion at a time


@contextlib.contextmanager
def _int_missing_flags():
    """skl2onnx 1.20 passes Python ``False`` as ``nodes_missing_value_tracks_true`` for
    HistGradientBoosting leaves; onnx >= 1.17 refuses booleans in an int list ("Expected an
    int, got a boolean"), so HistGradientBoosting could not be exported at all. Cast the flag
    to int for the duration of one conversion; if skl2onnx changes its internals the
    conversion simply runs unpatched."""
    try:
        from skl2onnx.common import tree_ensemble
    except ImportError:
        yield
        return
    original = getattr(tree_ensemble, "add_node", None)
    if original is None:
        yield
        return

    def add_node(*args, nodes_missing_value_tracks_true=0, **kwargs):
        return original(*args, nodes_missing_value_tracks_true=int(nodes_missing_value_tracks_true),
                        **kwargs)

    tree_ensemble.add_node = add_node
    try:
        yield
    finally:
        tree_ensemble.add_node = original


def to_onnx_bytes(pipeline, classifier: bool) -> bytes:
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType

    options = {id(pipeline.steps[-1][1]): {"zipmap": False}} if classifier else None
    inputs = [("X", FloatTensorType([None, int(pipeline.n_features_in_)]))]
    with _PATCH_LOCK, _int_missing_flags(), warnings.catch_warnings():
        # skl2onnx reads SVC.probA_, deprecated in scikit-learn 1.9; nothing for users to do
        warnings.filterwarnings("ignore", message=".*probability=True.*", category=FutureWarning)
        onx = convert_sklearn(pipeline, initial_types=inputs, options=options)
    return onx.SerializeToString()
