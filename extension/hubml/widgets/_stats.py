"""Exact column statistics and frame aggregates, computed in the kernel with numpy/pandas.

Shared by the Data Studio, the DatasetExplorer and the ModelCard: nothing here knows about
widgets. A column summary is plain JSON-able values (what a header, a chart or a test reads):
``kind`` (number, datetime, timedelta, bool, category, text, empty), ``rows``, ``nulls``,
``distinct``, and by kind ``min``/``max``/``mean``/``std``/``quantiles``/``histogram``
(numbers, dates, durations) or ``top`` (the most frequent values with their counts).

Numbers are sorted once per column: min, max, quantiles, the distinct count and the histogram
counts all come from that one sorted array (``searchsorted`` on the bin edges), which is
cheaper than ``nunique`` + ``quantile`` + ``np.histogram`` separately.
"""

from __future__ import annotations

import math

__all__ = ["QUANTILES", "as_i8", "column_kind", "column_summary", "correlation", "frame_summary",
           "missing_overview", "sample_rows", "time_unit"]

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
BINS = 20
TOP = 5
SPEARMAN_ROWS = 200_000  # Spearman ranks above this many rows are computed on a sample


def column_kind(dtype) -> str:
    import pandas as pd
    from pandas.api import types

    if types.is_bool_dtype(dtype):
        return "bool"
    if isinstance(dtype, pd.CategoricalDtype):
        return "category"
    if types.is_numeric_dtype(dtype) and not types.is_complex_dtype(dtype):
        return "number"
    if types.is_datetime64_any_dtype(dtype):
        return "datetime"
    if types.is_timedelta64_dtype(dtype):
        return "timedelta"
    return "text"


def _plain(value):
    """A JSON-able scalar (numpy and pandas scalars become Python ones; NaN becomes None)."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, TypeError):
            pass
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else value
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _numbers(series, kind: str):
    """The non-null values as a numpy array (int64 nanoseconds for dates and durations)."""
    import numpy as np

    values = series.dropna() if series.hasnans else series
    if kind in ("datetime", "timedelta"):
        return as_i8(values) if len(values) else np.empty(0, "i8")
    dtype = values.dtype
    if getattr(dtype, "kind", "O") in "iuf":
        return values.to_numpy()
    if str(dtype).lower().startswith(("int", "uint")):
        return values.to_numpy(dtype="int64")
    return values.to_numpy(dtype="float64")


def as_i8(series):
    """Dates and durations as int64 counts of their unit (UTC for time-zone-aware dates)."""
    import pandas as pd

    index = (pd.TimedeltaIndex(series) if column_kind(series.dtype) == "timedelta"
             else pd.DatetimeIndex(series))
    return index.asi8


def time_unit(dtype) -> str:
    import numpy as np

    return getattr(dtype, "unit", None) or np.datetime_data(dtype)[0]


def _from_i8(value, series, kind):
    import pandas as pd

    if value is None:
        return None
    unit = time_unit(series.dtype)
    if kind == "datetime":
        stamp = pd.Timestamp(int(value), unit=unit)
        tz = getattr(series.dtype, "tz", None)
        return str(stamp.tz_localize("UTC").tz_convert(tz) if tz else stamp)
    return str(pd.Timedelta(int(value), unit=unit))


def _number_summary(series, kind: str, out: dict, bins: int) -> None:
    import numpy as np
    import pandas as pd

    values = _numbers(series, kind)
    if values.dtype.kind == "f":
        finite = np.isfinite(values)
        if not finite.all():
            out["infinite"] = int((~finite).sum())
            values = values[finite]
    if not values.size:
        out["distinct"] = 0
        return
    if values.dtype.kind in "iu" and kind == "number":
        lo_int, hi_int = int(values.min()), int(values.max())
        if hi_int - lo_int <= 4 * values.size:
            _integer_summary(values, lo_int, hi_int, out, bins)
            return
    if values.dtype.kind in "iuM m" and values.size > 4096 \
            and pd.unique(values[:: values.size // 2048]).size < 1024:  # a sample repeats
        # dates, durations and wide-ranging integers often repeat: sorting the distinct
        # values (a hash pass) and counting them is cheaper than sorting every value
        codes, uniques = pd.factorize(values, sort=True)
        if uniques.size <= values.size // 8:
            _repeated_summary(values, np.asarray(uniques), np.bincount(codes), kind, series,
                              out, bins)
            return
    ordered = np.sort(values)
    out["distinct"] = int(np.count_nonzero(ordered[1:] != ordered[:-1]) + 1)
    positions = np.array(QUANTILES) * (ordered.size - 1)
    low = np.floor(positions).astype(np.int64)
    high = np.minimum(low + 1, ordered.size - 1)
    as_float = ordered.astype("float64", copy=False)
    quantiles = as_float[low] + (as_float[high] - as_float[low]) * (positions - low)
    lo, hi = float(ordered[0]), float(ordered[-1])
    mean = float(values.mean(dtype="float64"))
    std = float(values.std(dtype="float64", ddof=1)) if values.size > 1 else None
    if kind == "number":
        out.update(min=_plain(ordered[0]), max=_plain(ordered[-1]), mean=mean, std=std,
                   quantiles={str(q): float(v) for q, v in zip(QUANTILES, quantiles,
                                                               strict=True)})
    else:
        convert = lambda v: _from_i8(v, series, kind)  # noqa: E731
        out.update(min=convert(ordered[0]), max=convert(ordered[-1]), mean=convert(mean),
                   quantiles={str(q): convert(v) for q, v in zip(QUANTILES, quantiles,
                                                                 strict=True)})
    if out["distinct"] <= bins and values.dtype.kind in "iu" and kind == "number":
        # few integer values: one bar per value reads better than equal-width bins
        uniques, counts = np.unique(ordered, return_counts=True)
        out["top"] = [[_plain(u), int(c)] for u, c in zip(uniques, counts, strict=True)]
    edges = np.linspace(lo, hi, bins + 1) if hi > lo else np.array([lo, lo + 1.0])
    cuts = np.searchsorted(as_float, edges, side="left")
    cuts[-1] = ordered.size  # the last bin holds the maximum
    counts = np.diff(cuts)
    out["histogram"] = {"edges": [float(e) for e in edges], "counts": [int(c) for c in counts]}


def _repeated_summary(values, uniques, counts, kind, series, out: dict, bins: int) -> None:
    """Statistics from the sorted distinct values and their counts."""
    import numpy as np

    out["distinct"] = int(uniques.size)
    cum = np.cumsum(counts)
    positions = np.array(QUANTILES) * (values.size - 1)
    low = np.floor(positions).astype(np.int64)
    as_float = uniques.astype("float64")
    at = lambda p: as_float[np.searchsorted(cum, p, side="right")]  # noqa: E731
    quantiles = at(low) + (at(np.minimum(low + 1, values.size - 1)) - at(low)) * (positions - low)
    mean = float(values.mean(dtype="float64"))
    lo, hi = as_float[0], as_float[-1]
    if kind == "number":
        std = float(values.std(dtype="float64", ddof=1)) if values.size > 1 else None
        out.update(min=_plain(uniques[0]), max=_plain(uniques[-1]), mean=mean, std=std,
                   quantiles={str(q): float(v) for q, v in zip(QUANTILES, quantiles,
                                                               strict=True)})
    else:
        convert = lambda v: _from_i8(v, series, kind)  # noqa: E731
        out.update(min=convert(uniques[0]), max=convert(uniques[-1]), mean=convert(mean),
                   quantiles={str(q): convert(v) for q, v in zip(QUANTILES, quantiles,
                                                                 strict=True)})
    if kind == "number" and uniques.size <= bins:
        out["top"] = [[_plain(u), int(c)] for u, c in zip(uniques, counts, strict=True)]
    edges = np.linspace(lo, hi, bins + 1) if hi > lo else np.array([lo, lo + 1.0])
    cuts = np.searchsorted(as_float, edges, side="left")
    cuts[-1] = uniques.size
    upto = np.concatenate([[0], cum])
    out["histogram"] = {"edges": [float(e) for e in edges],
                        "counts": [int(c) for c in np.diff(upto[cuts])]}


def _integer_summary(values, lo: int, hi: int, out: dict, bins: int) -> None:
    """Integers in a small range: one bincount gives distinct, quantiles and histogram."""
    import numpy as np

    counts = np.bincount((values - lo).astype(np.intp, copy=False), minlength=hi - lo + 1)
    present = np.flatnonzero(counts)
    out["distinct"] = int(present.size)
    cum = np.cumsum(counts)
    positions = np.array(QUANTILES) * (values.size - 1)
    low = np.floor(positions).astype(np.int64)
    at = lambda p: np.searchsorted(cum, p, side="right") + lo  # noqa: E731 value at rank p
    quantiles = at(low) + (at(np.minimum(low + 1, values.size - 1)) - at(low)) * (positions - low)
    mean = float(values.mean(dtype="float64"))
    std = float(values.std(dtype="float64", ddof=1)) if values.size > 1 else None
    out.update(min=lo, max=hi, mean=mean, std=std,
               quantiles={str(q): float(v) for q, v in zip(QUANTILES, quantiles, strict=True)})
    if present.size <= bins:
        out["top"] = [[int(v + lo), int(counts[v])] for v in present]
    edges = np.linspace(lo, hi, bins + 1) if hi > lo else np.array([lo, lo + 1.0])
    cuts = np.searchsorted(np.arange(lo, hi + 1), edges, side="left")
    cuts[-1] = hi - lo + 1
    upto = np.concatenate([[0], cum])
    out["histogram"] = {"edges": [float(e) for e in edges],
                        "counts": [int(c) for c in np.diff(upto[cuts])]}


def _value_summary(series, out: dict, top: int) -> None:
    import numpy as np
    import pandas as pd

    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        counts = np.bincount(codes[codes >= 0], minlength=len(series.cat.categories))
        present = np.flatnonzero(counts)
        order = present[np.argsort(-counts[present], kind="stable")][:top]
        out["distinct"] = int(present.size)
        out["top"] = [[_plain(series.cat.categories[i]), int(counts[i])] for i in order]
        return
    counts = series.value_counts(dropna=True, sort=True)
    out["distinct"] = int(len(counts))
    out["top"] = [[_plain(k), int(v)] for k, v in counts.iloc[:top].items()]
    if out["kind"] == "text" and len(counts):
        try:
            keys = counts.index
            out["min"], out["max"] = _plain(keys.min()), _plain(keys.max())
        except TypeError:  # mixed types: no order
            pass


def column_summary(series, bins: int = BINS, top: int = TOP) -> dict:
    """Exact statistics of one column (see the module docstring for the keys)."""
    kind = column_kind(series.dtype)
    rows = len(series)
    nulls = int(series.isna().sum())
    out = {"name": str(series.name), "dtype": str(series.dtype), "kind": kind, "rows": rows,
           "nulls": nulls}
    if nulls == rows:
        out.update(kind="empty" if rows else kind, distinct=0)
        return out
    try:
        if kind in ("number", "datetime", "timedelta"):
            _number_summary(series, kind, out, bins)
        else:
            if kind == "bool":
                out["mean"] = float(series.dropna().astype(bool).mean())
            _value_summary(series, out, top)
    except TypeError:  # unhashable or unorderable objects (lists in cells): counts only
        out["distinct"] = None
    return out


def frame_summary(df, columns=None, workers: int = 1) -> dict:
    """{column name: column_summary} for the given columns (default all); columns run in
    ``workers`` threads (numpy's sorts and pandas' hashing release the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    names = list(df.columns if columns is None else columns)
    if workers <= 1 or len(names) < 2:
        return {str(name): column_summary(df[name]) for name in names}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        found = list(pool.map(lambda name: column_summary(df[name]), names))
    return {str(name): summary for name, summary in zip(names, found, strict=True)}


def missing_overview(df) -> list[dict]:
    """Missing values per column, most missing first: [{name, nulls, share}]."""
    counts = df.isna().sum()
    rows = max(len(df), 1)
    found = [{"name": str(k), "nulls": int(v), "share": int(v) / rows}
             for k, v in counts.items()]
    return sorted(found, key=lambda item: -item["nulls"])


def sample_rows(df, n: int, seed: int = 0):
    """(frame, sampled) with at most n rows, a fixed random sample when df is larger."""
    if len(df) <= n:
        return df, False
    return df.sample(n=n, random_state=seed), True


def _centred(frame, columns):
    """(x, masks): the columns centred on their means as one Fortran-ordered float64 matrix,
    missing and infinite values as 0; masks[j] is the present-mask of a column with gaps."""
    import numpy as np

    x = np.empty((len(frame), len(columns)), dtype="float64", order="F")
    masks = {}
    for j, name in enumerate(columns):
        values = frame[name].to_numpy(dtype="float64", na_value=np.nan)
        present = np.isfinite(values)
        if present.all():
            np.subtract(values, values.mean(), out=x[:, j])
        else:
            mean = values[present].mean() if present.any() else 0.0
            np.subtract(values, mean, out=x[:, j])
            x[~present, j] = 0.0
            masks[j] = present
    return x, masks


def _pairwise_pearson(x, masks):
    """Pearson with pairwise-complete rows. One X'X product does the columns without gaps;
    a column with gaps corrects its pair sums by the (few) rows it lacks, since every
    centred column sums to 0 over its present rows."""
    import numpy as np

    rows, k = x.shape
    sxy = x.T @ x
    n = np.full((k, k), float(rows))
    sx = np.zeros((k, k))                                 # sum x_i where j is present
    sxx = np.repeat(np.diag(sxy)[:, None], k, axis=1)     # sum x_i^2 where j is present
    missing = {j: np.flatnonzero(~present) for j, present in masks.items()}
    for j, where in missing.items():
        lacking = x[where]                                # rows j lacks, every column
        sx[:, j] = -lacking.sum(axis=0)
        sxx[:, j] -= (lacking * lacking).sum(axis=0)
        n[:, j] -= where.size
        n[j, :] -= where.size
    for i in missing:
        for j in missing:
            if i != j:  # both lack a row: counted twice above
                n[i, j] += np.count_nonzero(~masks[i][missing[j]])
            else:
                n[i, i] = rows - missing[i].size
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = n * sxy - sx * sx.T
        var = (n * sxx - sx * sx) * (n * sxx.T - sx.T * sx.T)
        r = cov / np.sqrt(var)
    r[(n < 2) | ~np.isfinite(r)] = np.nan
    return np.clip(r, -1.0, 1.0)


def correlation(df, method: str = "pearson", columns=None, seed: int = 0) -> dict:
    """{"columns", "matrix" (lists, None where undefined), "method", "rows", "sampled"}.

    Pearson is exact on every row. Spearman ranks each column; above SPEARMAN_ROWS rows it
    ranks a fixed random sample of that many rows and says so (``sampled``)."""
    import numpy as np

    if method not in ("pearson", "spearman"):
        from ..errors import InvalidInput
        from ._messages import msg

        raise InvalidInput(msg("studio.corr.method", method=method),
                           details={"field": "method"})
    if columns is None:
        columns = [c for c in df.columns if column_kind(df[c].dtype) == "number"]
    frame, sampled = (df, False)
    if method == "spearman":
        frame, sampled = sample_rows(df[list(columns)], SPEARMAN_ROWS, seed)
    if not len(columns):
        return {"columns": [], "matrix": [], "method": method, "rows": len(frame),
                "sampled": sampled}
    if method == "spearman":
        frame = frame[list(columns)].apply(
            lambda s: s.where(np.isfinite(s.to_numpy(dtype="float64", na_value=np.nan)))
            .rank(method="average"))
    r = _pairwise_pearson(*_centred(frame, list(columns)))
    rows = [[None if math.isnan(v) else round(float(v), 4) for v in row] for row in r]
    return {"columns": [str(c) for c in columns], "matrix": rows, "method": method,
            "rows": len(frame), "sampled": sampled}
