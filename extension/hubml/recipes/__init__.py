"""Data-processing recipes: steps as data that apply to a DataFrame and export to pandas code.

Every visual data step (the Data Studio) is a step here. A ``Recipe`` applies its steps in
order (``apply(df)`` never changes df), exports a runnable snippet (``to_code()``: exec it
with ``df`` bound to the same frame and you get an equal frame), and round-trips through
plain JSON (``to_json()`` / ``from_json()``), which is how dataset versions and models record
their lineage.

Recipes learn once, as in scikit-learn: ``fitted = recipe.fit(train_df)`` is a new recipe
whose statistics (mean, median, std, min, max, most frequent value, equal-width bin edges,
categories found in the data, ...) are frozen per step (``fitted.learned``) and kept in its
JSON; ``fitted.transform(new_df)`` and ``fitted.to_code()`` use them and never refit.
``recipe.apply(df)`` fits the unfitted steps on df as it goes. Importing this package does
not import pandas.
"""

from __future__ import annotations

from .auto import numeric_recipe
from .base import STEPS, Param, RecipeError, Step
from .cleaning import Fill, Outliers
from .columns import Cast, DropColumns, Rename, SelectColumns
from .counting import CountEncode, FrequencyEncode
from .encoding import Bin, OneHot, OrdinalEncode
from .reading import ReadCSV
from .recipe import Recipe, step_from_json
from .rows import Deduplicate, DropMissing, FilterRows, Sample, Sort
from .scaling import PowerTransform, RobustScale
from .split import SPLIT_COLUMN, Split
from .text import DateParts, TextCleanup
from .transforms import Derive, Impute, LogTransform, MinMaxScale, Standardize

__all__ = [
    "SPLIT_COLUMN", "STEPS", "Param", "Recipe", "RecipeError", "Step", "step_from_json",
    "Bin", "Cast", "CountEncode", "DateParts", "Deduplicate", "Derive", "DropColumns",
    "DropMissing", "Fill", "FilterRows", "FrequencyEncode", "Impute", "LogTransform",
    "MinMaxScale", "OneHot", "OrdinalEncode", "Outliers", "PowerTransform", "ReadCSV",
    "Rename", "RobustScale", "Sample", "SelectColumns", "Sort", "Split", "Standardize",
    "TextCleanup", "numeric_recipe",
]
