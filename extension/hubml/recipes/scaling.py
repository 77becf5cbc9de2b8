"""Scalers that resist outliers and skew: robust scaling (median and IQR) and the Yeo-Johnson
power transform (scikit-learn's PowerTransformer), their statistics learned by ``fit``."""

from __future__ import annotations

import math

from ._messages import msg
from .base import Param, Step
from .learned import literal
from .transforms import _Numeric

__all__ = ["PowerTransform", "RobustScale"]


class RobustScale(_Numeric):
    """Center on the median and divide by the interquartile range (q75 - q25), like
    scikit-learn's RobustScaler: outliers barely move the statistics. A column whose IQR is 0
    is only centered.

    Learned: ``{column: {"center": median, "scale": IQR}}`` from the training frame.
    """

    type = "robust_scale"
    params = (Param("columns", "columns", description="Numeric columns to scale."),)

    def _stats(self, s):
        return s.median(), s.quantile(0.75) - s.quantile(0.25), "the median and quartiles"

    def _formula(self, col, column):
        if self._learned is None:
            return (f"({col} - {col}.median()) / "
                    f"(({col}.quantile(0.75) - {col}.quantile(0.25)) or 1.0)")
        return super()._formula(col, column)


def _yeo_johnson_code(x: str, lmbda: float) -> str:
    """The Yeo-Johnson transform of the float Series x with lambda, as code."""
    pos, neg = f"{x}.clip(lower=0)", f"{x}.clip(upper=0)"
    if abs(lmbda) < 1e-12:
        positive = f"np.log1p({pos})"
    else:
        positive = f"(({pos} + 1) ** {lmbda!r} - 1) / {lmbda!r}"
    if abs(lmbda - 2) < 1e-12:
        negative = f"-np.log1p(-{neg})"
    else:
        negative = f"-((1 - {neg}) ** {2 - lmbda!r} - 1) / {2 - lmbda!r}"
    return f"({positive}).where({x} >= 0, {negative})"


def _yeo_johnson(x, lmbda: float):
    """What ``_yeo_johnson_code`` writes, computed (x: a float64 Series)."""
    import numpy as np

    pos, neg = x.clip(lower=0), x.clip(upper=0)
    positive = np.log1p(pos) if abs(lmbda) < 1e-12 else ((pos + 1) ** lmbda - 1) / lmbda
    if abs(lmbda - 2) < 1e-12:
        negative = -np.log1p(-neg)
    else:
        negative = -((1 - neg) ** (2 - lmbda) - 1) / (2 - lmbda)
    return positive.where(x >= 0, negative)


class PowerTransform(Step):
    """Make skewed numeric columns more Gaussian with the Yeo-Johnson transform (works for
    negative values too), then standardize (optional), like scikit-learn's PowerTransformer.

    Learned per column: ``lambda`` (scipy's yeojohnson_normmax on the training values; 1.0,
    the identity, for a column with fewer than two distinct values) and, with standardize,
    the ``mean`` and ``std`` of the transformed training values (a std of 0 becomes 1).
    The unfitted recipe's exported code computes lambda with scipy.
    """

    type = "power_transform"
    imports = ("pandas", "numpy")
    params = (
        Param("columns", "columns", description="Numeric columns to transform."),
        Param("standardize", "bool", True, description="Also center on the mean and divide "
              "by the standard deviation of the transformed values."),
    )

    def _validate(self, df):
        self.need_columns(df, self._params["columns"], "columns")
        self.need_numeric(df, self._params["columns"], "columns")

    def _fit(self, df):
        import numpy as np

        learned = {}
        for column in self._params["columns"]:
            s = df[column].astype("float64")
            values = s.dropna().to_numpy()
            if len(values) == 0:
                raise self.error(msg("recipe.column.all_missing", name=column,
                                     what="the power transform"), "columns")
            if not np.isfinite(values).all():
                raise self.error(msg("recipe.column.not_finite", name=column,
                                     what="the power transform"), "columns")
            lmbda = _lambda(values)
            entry = {"lambda": lmbda}
            if self._params["standardize"]:
                with np.errstate(all="ignore"):
                    out = _yeo_johnson(s, lmbda)
                mean, std = float(out.mean()), float(out.std(ddof=0))
                if not (math.isfinite(mean) and math.isfinite(std)):
                    raise self.error(msg("recipe.column.not_finite", name=column,
                                         what="the power transform"), "columns")
                entry.update(mean=mean, std=std or 1.0)
            learned[column] = entry
        return learned

    def _apply(self, df):
        import numpy as np

        for column in self._params["columns"]:
            s = df[column].astype("float64")
            with np.errstate(all="ignore"):  # both branches are computed, one is kept
                out = _yeo_johnson(s, self.value(column, "lambda"))
            if self._params["standardize"]:
                out = (out - self.value(column, "mean")) / self.value(column, "std")
            df[column] = out
        return df

    def _code(self, var):
        lines = []
        for column in self._params["columns"]:
            col = f"{var}[{column!r}]"
            lines.append(f"{col} = {col}.astype('float64')")
            if self._learned is None:  # compute what fit learns, from this frame
                lines += ["from scipy import stats",
                          f"_lambda = stats.yeojohnson_normmax({col}.dropna().to_numpy()) "
                          f"if {col}.nunique() > 1 else 1.0",
                          "_lambda = float(_lambda)",
                          *_code_lambda_form(col, var, column, self._params["standardize"])]
                continue
            lmbda = self.value(column, "lambda")
            lines.append(f"with np.errstate(all='ignore'):\n"
                         f"    {col} = {_yeo_johnson_code(col, lmbda)}")
            if self._params["standardize"]:
                mean, std = self.value(column, "mean"), self.value(column, "std")
                lines.append(f"{col} = ({col} - {literal(mean)}) / {literal(std)}")
        return lines


def _code_lambda_form(col: str, var: str, column: str, standardize: bool) -> list[str]:
    """Unfitted code: the transform with lambda in the variable _lambda."""
    lines = ["with np.errstate(all='ignore'):",
             f"    _pos, _neg = {col}.clip(lower=0), {col}.clip(upper=0)",
             "    _positive = np.log1p(_pos) if abs(_lambda) < 1e-12 else "
             "((_pos + 1) ** _lambda - 1) / _lambda",
             "    _negative = (-np.log1p(-_neg) if abs(_lambda - 2) < 1e-12 else "
             "-((1 - _neg) ** (2 - _lambda) - 1) / (2 - _lambda))",
             f"    {col} = _positive.where({col} >= 0, _negative)"]
    if standardize:
        lines.append(f"{col} = ({col} - {col}.mean()) / ({col}.std(ddof=0) or 1.0)")
    return lines


def _lambda(values) -> float:
    import numpy as np

    if len(np.unique(values)) < 2:
        return 1.0
    from scipy import stats

    with np.errstate(all="ignore"):
        return float(stats.yeojohnson_normmax(values))
