"""The Data Studio's use of recipes: fit once, then transform, keep the learned values.

``Recipe.fit(df)`` returns a fitted Recipe whose steps hold their learned values (which
``to_json``, ``to_code`` and ``learned`` carry); ``transform`` reuses them and never refits.
A step is fitted on the frame as the steps before it left it, exactly as ``Recipe.fit`` does,
so a recipe built here one step at a time equals ``Recipe(steps).fit(source)``.
"""

from __future__ import annotations

from ...recipes import Recipe, step_from_json

__all__ = ["combine", "empty", "fit_step", "learned", "recipe_of", "refit", "step_of",
           "transform", "unfitted_steps"]


def empty():
    return Recipe([])


def step_of(step):
    """A Step from a Step or its JSON dict (a RecipeError names the field otherwise)."""
    return step_from_json(step)


def recipe_of(steps):
    return Recipe(list(steps))


def fit_step(step, frame):
    """(one-step fitted recipe, frame after it)."""
    fitted = Recipe([step_of(step).unfitted()]).fit(frame)
    return fitted, fitted.transform(frame)


def combine(fitted, more):
    """The steps of fitted followed by those of more, learned values kept."""
    return Recipe([*fitted.steps, *more.steps])


def refit(recipe, frame):
    """The recipe's steps fitted again on frame (a RecipeError if one no longer fits)."""
    return recipe.unfitted().fit(frame)


def transform(recipe, frame):
    return recipe.transform(frame) if len(recipe) else frame


def unfitted_steps(recipe):
    return list(recipe.unfitted().steps)


def learned(recipe) -> list:
    """Per step, the values it learned ({} for steps that learn nothing)."""
    return list(recipe.learned)
