"""Batch scoring: a dataset version through a model version into a new dataset version.

The input is read in chunks of ``batch_rows`` rows (pyarrow batches of the version's Parquet
file, only the columns the model needs), so memory holds one chunk plus the predictions,
not the whole input. The new version holds the predictions and the ``keep`` columns (an id
to join them back on); its lineage names the input version as its parent and the model
version as its source.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from threadpoolctl import threadpool_limits

from ..errors import InvalidInput
from ._messages import msg

__all__ = ["batch_predict"]


def _chunks(dv, columns: list[str], batch_rows: int):
    """(n_rows, iterator of pyarrow RecordBatches) of the version's ``columns``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if dv.meta.get("store") == "sql":   # a database table: loaded whole, then sliced
        table = pa.Table.from_pandas(dv.load(columns=columns), preserve_index=False)
        return table.num_rows, iter(table.to_batches(max_chunksize=batch_rows))
    pf = pq.ParquetFile(str(dv.path / "data.parquet"))
    return pf.metadata.num_rows, pf.iter_batches(batch_size=batch_rows, columns=columns)


def _array(batch, columns):
    import numpy as np

    out = np.empty((batch.num_rows, len(columns)), dtype=np.float64)
    for i, name in enumerate(columns):
        col = batch.column(name)
        out[:, i] = col.to_numpy(zero_copy_only=False) if col.null_count == 0 else \
            col.cast("float64").to_numpy(zero_copy_only=False)
    return out


def batch_predict(project, spec, dataset: str, version: int | None, output: str,
                  keep=(), prediction_column: str = "prediction", batch_rows: int = 65536,
                  progress: bool = True):
    """Score version ``version`` (None: latest) of ``dataset`` with the model of ``spec``
    (a ModelSpec) into the next version of dataset ``output``; returns that version."""
    import numpy as np
    import pyarrow as pa
    from tqdm import tqdm

    from .model import load_served

    mv = project.model(spec.name).version(spec.version, spec.alias)
    served = load_served(mv, compile="off")   # batch: the native model, all its threads
    dv = project.dataset(dataset).version(version)
    keep = list(keep)
    if prediction_column in keep:
        raise InvalidInput(msg("batch.output_columns", column=prediction_column),
                           details={"field": "prediction_column"})
    available = [c["name"] for c in dv.schema()]
    columns = served.columns or available
    missing = [c for c in [*columns, *keep] if c not in available]
    if missing:
        raise InvalidInput(msg("serve.columns.missing", missing=", ".join(map(repr, missing)),
                               expected=", ".join(columns)),
                           details={"missing": missing, "dataset": dataset})
    needed = list(dict.fromkeys([*columns, *keep]))
    total, batches = _chunks(dv, needed, batch_rows)
    predictions, kept = [], {c: [] for c in keep}

    def predict(batch):
        if served.kind == "frame":
            frame = batch.to_pandas()
            return served.predict_frame({c: frame[c] for c in columns})
        return served.predict_array(_array(batch, columns))

    # one chunk per core, each model call on one thread: the model's own thread pool would
    # meet at a barrier per tree and chunk (1,600 for 100 trees x 16 chunks), slow on a busy
    # machine; at most 2 chunks per core are in memory at once
    workers = max(1, len(os.sched_getaffinity(0)))
    with tqdm(total=total, unit="rows", desc=f"{spec} on {dataset} v{dv.version}",
              disable=not progress, file=sys.stderr) as bar, \
            threadpool_limits(limits=1), ThreadPoolExecutor(workers) as pool:
        pending: deque = deque()
        done = 0

        def collect():
            nonlocal done
            batch, future = pending.popleft()
            try:
                out = future.result()
            except (ValueError, TypeError) as exc:   # nothing is saved
                raise InvalidInput(msg("batch.model_failed", first=done,
                                       last=done + batch.num_rows - 1, dataset=dataset,
                                       version=dv.version,
                                       problem=str(exc).splitlines()[0][:300]),
                                   details={"dataset": dataset}) from None
            done += batch.num_rows
            predictions.append(np.asarray(out))
            for c in keep:
                kept[c].append(batch.column(c))
            bar.update(batch.num_rows)

        for batch in batches:
            pending.append((batch, pool.submit(predict, batch)))
            if len(pending) >= 2 * workers:
                collect()
        while pending:
            collect()
    values = np.concatenate(predictions) if predictions else np.array([])
    data = {c: pa.chunked_array(parts, type=parts[0].type) if parts else pa.array([])
            for c, parts in kept.items()}
    if values.ndim == 2:   # one column per output (probabilities, several targets)
        for j in range(values.shape[1]):
            data[f"{prediction_column}_{j}"] = pa.array(values[:, j])
    else:
        data[prediction_column] = pa.array(values.tolist() if values.dtype.kind == "O"
                                           else values)
    source = {"type": "batch_predict", "model": mv.name, "model_version": mv.version,
              "model_uri": mv.uri, "framework": served.framework}
    return project.save_dataset(output, pa.table(data),
                                description=f"predictions of {mv.name} v{mv.version} on "
                                            f"{dataset} v{dv.version}",
                                source=source, parents=[dv], force=True,
                                allow_schema_change=True)
