"""Recipe: an ordered, immutable list of steps that applies to a DataFrame and exports to code.

Example::

    recipe = Recipe([{"step": "impute", "columns": ["age"], "strategy": "median"},
                     Standardize(columns=["age"])])
    fitted = recipe.fit(train)              # a new, fitted recipe; recipe is unchanged
    fitted.learned                          # [{"values": {"age": 41.0}}, {"age": {...}}]
    out = fitted.transform(test)            # train's median and scale; never refits
    print(fitted.to_code())                 # plain pandas, the learned constants written in:
                                            # exec on any frame == fitted.transform(frame)
    assert Recipe.from_json(fitted.to_json()) == fitted   # learned values kept in the JSON

``apply(df)`` fits the steps that are not fitted yet on df (as the frame reaches them) and
uses the learned values of those that are, so ``recipe.apply(df) == recipe.fit_transform(df)``
for an unfitted recipe and ``fitted.apply(df) == fitted.transform(df)`` for a fitted one.
The ``to_code()`` of an unfitted recipe computes the statistics in the code, from the frame
it runs on. Unseen values and missing columns at transform time: see each step's docstring;
a missing column is a RecipeError naming the step, the field and the column.
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
    learned = params.pop("learned", None)
    step = STEPS[name](**params)
    return step if learned is None else step.with_learned(learned)


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
        """Plain JSON values: ``[{"step": type, **params}, ...]``, each with
        ``"learned": {...}`` once fitted."""
        return [step.to_json() for step in self._steps]

    # -- learning once ----------------------------------------------------------------
    @property
    def is_fitted(self) -> bool:
        """True when every step that learns from data holds its learned values (a recipe
        whose steps learn nothing, an empty one too, is fitted as it is)."""
        return all(step.is_fitted for step in self._steps)

    @property
    def learned(self) -> list[dict | None]:
        """Per step, what it learned (``{}`` for steps that learn nothing, None if unfitted)."""
        return [step.learned for step in self._steps]

    def fit(self, df) -> Recipe:
        """A new recipe whose steps learned their values from df, each on the frame as the
        earlier steps left it. This recipe is unchanged; fitting again refits every step."""
        return self._fit(df)[0]

    def fit_transform(self, df):
        """``fit(df).transform(df)``, in one pass."""
        return self._fit(df)[1]

    def transform(self, df):
        """A new DataFrame made with the learned values (df is not changed); refuses an
        unfitted recipe."""
        for index, step in enumerate(self._steps, 1):
            if not step.is_fitted:
                raise RecipeError(msg("recipe.recipe_not_fitted", index=index, type=step.type))
        return self.apply(df)

    def for_prediction(self) -> Recipe:
        """The steps that prepare each row on its own, learned values kept: without the steps
        that drop, reorder or sample rows (filter_rows, drop_missing, deduplicate, sort,
        sample, outliers with action 'drop'), the split step and read_csv. Serving and batch
        scoring use it so that predictions line up with the input rows."""
        return Recipe([step for step in self._steps if step.for_each_row()])

    def unfitted(self) -> Recipe:
        """The same steps with nothing learned."""
        return Recipe([step.unfitted() for step in self._steps])

    def _fit(self, df):
        out, steps = self._frame(df), []
        for index, step in enumerate(self._steps, 1):
            try:
                fitted = step.fit(out)
                out = fitted.transform(out)
            except RecipeError as exc:
                raise exc.at(index) from exc.__cause__
            steps.append(fitted)
        return Recipe(steps), out

    @staticmethod
    def _frame(df):
        import pandas as pd

        if not isinstance(df, pd.DataFrame):
            raise RecipeError(msg("recipe.not_frame", got=type(df).__name__))
        return _shallow_copy(df)

    # -- the contract -----------------------------------------------------------------
    def validate(self, df) -> None:
        """Check the whole recipe against df without keeping the result."""
        self.apply(df)

    def apply(self, df):
        """A new DataFrame with every step applied in order; df is not changed.

        Steps not fitted yet are fitted on the frame as it reaches them (see the module
        docstring). A failing step raises RecipeError "step 3 (impute), field 'columns': ..."
        with ``details = {"step": 3, "type": "impute", "field": "columns"}``.
        """
        out = self._frame(df)
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
        if any(step.learned for step in self._steps) and self.is_fitted:
            lines.append("# fitted recipe: the values it learned are written in as constants")
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
        fitted = "  # fitted" if self.is_fitted else ""
        return f"Recipe([\n{inner},\n]){fitted}"


def _step_at(obj, index: int) -> Step:
    try:
        return step_from_json(obj)
    except RecipeError as exc:
        raise exc.at(index) from None


def _comment(text: str) -> str:
    """One safe comment line (no newline can end the comment early)."""
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197] + "..."
