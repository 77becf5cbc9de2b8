"""The Data Studio's use of recipes: fit once, then transform, keep the learned values.

``Recipe.fit(df)`` returns a fitted Recipe (its steps hold their learned values, which
``to_json`` and ``to_code`` carry). Where a hubml without ``fit`` is installed, ``apply``
stands in (statistics computed on the frame it runs on, nothing learned to show).
"""

from __future__ import annotations

from ...recipes import Recipe, step_from_json

__all__ = ["combine", "empty", "fit_step", "learned", "recipe_of", "refit", "step_of",
           "transform", "unfitted_steps"]

_FITS = hasattr(Recipe, "fit") and hasattr(Recipe, "transform")


def empty():
    return Recipe([])


def step_of(step):
    """A Step from a Step or its JSON dict (a RecipeError names the field otherwise)."""
    return step_from_json(step)


def recipe_of(steps):
    return Recipe(list(steps))


def fit_step(step, frame):
    """(one-step fitted recipe, frame after it)."""
    single = Recipe([step_of(step)])
    if _FITS:
        fitted = single.fit(frame)
        return fitted, fitted.transform(frame)
    return single, single.apply(frame)


def combine(fitted, more):
    """The steps of fitted followed by those of more, learned values kept."""
    return Recipe([*fitted.steps, *more.steps])


def refit(recipe, frame):
    """The recipe's steps fitted again on frame (a RecipeError if one no longer fits)."""
    steps = recipe_of(unfitted_steps(recipe))
    if _FITS:
        return steps.fit(frame)
    steps.apply(frame)  # refuse now what would fail later
    return steps


def transform(recipe, frame):
    if _FITS:
        return recipe.transform(frame) if len(recipe) else frame
    return recipe.apply(frame)


def unfitted_steps(recipe):
    if _FITS and hasattr(recipe, "unfitted"):
        return list(recipe.unfitted().steps)
    return list(recipe.steps)


def learned(recipe) -> list:
    """Per step, the values it learned ({} for steps that learn nothing, None: unknown)."""
    if _FITS and hasattr(recipe, "learned"):
        return list(recipe.learned)
    return [None] * len(recipe)
