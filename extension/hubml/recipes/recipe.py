"""Recipe: an ordered, immutable list of steps that applies to a DataFrame and exports to code.

Example::

    recipe = Recipe([{"step": "impute", "columns": ["age"], "strategy": "median"},
                     Standardize(columns=["age"])])
    out = recipe.apply(df)                  # df is not changed
    print(recipe.to_code())                 # plain pandas; exec on df gives a frame equal to out
    assert Recipe.from_json(recipe.to_json()) == recipe
"""

from __future__ import annotations

import json

from ._messages import msg
from .base import STEPS, RecipeError, Step, _shallow_copy, check_var

__all__ = ["Recipe", "step_from_json"]


def step_from_json(obj) -> Step:
    """The step a ``{"step": type, **params}`` object describes."""
    if isinstance(obj, Step):
        return obj
    if not isinstance(obj, dict) or not isinstance(obj.get("step"), str):
        raise RecipeError(msg("recipe.json.not_step", got=_short(obj)), field="step")
    params = dict(obj)
    name = params.pop("step")
    if name not in STEPS:
        raise RecipeError(msg("recipe.json.unknown", name=name, known=", ".join(sorted(STEPS))),
                          field="step")
    return STEPS[name](**params)


def _short(obj) -> str:
    text = repr(obj)
    return text if len(text) <= 60 else text[:57] + "..."


class Recipe:
    """Steps applied in order; build it from Step objects or their JSON dicts."""

    def __init__(self, steps=()):
        if isinstance(steps, (str, bytes, dict)) or not hasattr(steps, "__iter__"):
            raise RecipeError(msg("recipe.json.not_list", got=type(steps).__name__))
        built = []
        for index, step in enumerate(steps, 1):
            try:
                built.append(step_from_json(step))
            except RecipeError as exc:
                raise exc.at(index) from None
        self._steps = tuple(built)

    # -- JSON -------------------------------------------------------------------------
    @classmethod
    def from_json(cls, obj) -> Recipe:
        """From ``to_json()`` output (a list of step objects), or that list as JSON text."""
        if isinstance(obj, (str, bytes)):
            try:
                obj = json.loads(obj)
            except ValueError as exc:
                raise RecipeError(msg("recipe.json.not_list",
                                      got=f"invalid JSON ({exc})")) from None
        if not isinstance(obj, list):
            raise RecipeError(msg("recipe.json.not_list", got=type(obj).__name__))
        return cls(obj)

    def to_json(self) -> list[dict]:
        """Plain JSON values: ``[{"step": type, **params}, ...]``."""
        return [step.to_json() for step in self._steps]

    # -- the contract -----------------------------------------------------------------
    def validate(self, df) -> None:
        """Check the whole recipe against df without keeping the result."""
        self.apply(df)

    def apply(self, df):
        """A new DataFrame with every step applied in order; df is not changed.

        A failing step raises RecipeError "step 3 (impute), field 'columns': ..." with
        ``details = {"step": 3, "type": "impute", "field": "columns"}``.
        """
        import pandas as pd

        if not isinstance(df, pd.DataFrame):
            raise RecipeError(msg("recipe.not_frame", got=type(df).__name__))
        out = _shallow_copy(df)
        for index, step in enumerate(self._steps, 1):
            try:
                out = step.apply(out)
            except RecipeError as exc:
                raise exc.at(index) from exc.__cause__
        return out

    def to_code(self, var: str = "df") -> str:
        """A runnable pandas snippet that turns the frame named var into apply's result."""
        check_var(var)
        imports = {name for step in self._steps for name in step.imports} | {"pandas"}
        lines = ["import numpy as np"] if "numpy" in imports else []
        lines.append("import pandas as pd")
        for index, step in enumerate(self._steps, 1):
            summary = json.dumps(step.get_params(), ensure_ascii=False)
            lines += ["", f"# step {index}: {step.type} {_comment(summary)}", step.to_code(var)]
        return "\n".join(lines) + "\n"

    # -- a sequence, immutable ----------------------------------------------------------
    @property
    def steps(self) -> tuple[Step, ...]:
        return self._steps

    def __len__(self) -> int:
        return len(self._steps)

    def __iter__(self):
        return iter(self._steps)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Recipe(self._steps[index])
        return self._steps[index]

    def append(self, step) -> Recipe:
        """A new recipe with step (a Step or its JSON dict) added at the end."""
        return Recipe([*self._steps, _step_at(step, len(self._steps) + 1)])

    def __add__(self, other) -> Recipe:
        if not isinstance(other, Recipe):
            return NotImplemented
        return Recipe([*self._steps, *other._steps])

    def __eq__(self, other):
        return isinstance(other, Recipe) and self._steps == other._steps

    __hash__ = None

    def __repr__(self) -> str:
        if not self._steps:
            return "Recipe([])"
        inner = ",\n".join(f"    {step!r}" for step in self._steps)
        return f"Recipe([\n{inner},\n])"


def _step_at(obj, index: int) -> Step:
    try:
        return step_from_json(obj)
    except RecipeError as exc:
        raise exc.at(index) from None


def _comment(text: str) -> str:
    """One safe comment line (no newline can end the comment early)."""
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197] + "..."
