"""Registering a model: the adapters' own and the user's own (a scikit-learn estimator or
Pipeline, a Keras model, a torch Module, an H2O model), logged with the framework's MLflow flavor
in a run of the project and registered with its lineage as tags.

The recipe (fitted: with its learned values) is logged as the model's artifact ``recipe.json``
and, when short enough, also as the tag ``hubml.recipe``; tag values are size-limited, so a
longer one leaves the tag ``{"$artifact": "recipe.json"}`` and readers take the artifact."""

from __future__ import annotations

import contextlib
import json

from ..errors import Conflict, InvalidInput
from .names import check_name
from .runs import Run, active_run, start_run, tracking
from .store import PROJECT_TAG, project_id, shared_store, store_errors, tracking_uri

__all__ = ["RECIPE_ARTIFACT", "RECIPE_IN_ARTIFACT", "TAG_ALGORITHM", "TAG_DATASETS",
           "TAG_FRAMEWORK", "TAG_RECIPE", "TAG_TASK", "register_model"]

TAG_FRAMEWORK = "hubml.framework"
TAG_DATASETS = "hubml.datasets"
TAG_RECIPE = "hubml.recipe"
TAG_ALGORITHM = "hubml.algorithm"
TAG_TASK = "hubml.task"
RECIPE_ARTIFACT = "recipe.json"
RECIPE_IN_ARTIFACT = {"$artifact": RECIPE_ARTIFACT}
_TAG_LIMIT = 8000  # MLflow's run tag limit; registry stores may keep less than they accept


def _recipe_json(recipe):
    if recipe is None:
        return None
    if hasattr(recipe, "to_json"):
        return recipe.to_json()
    try:
        json.dumps(recipe, allow_nan=False)
    except (TypeError, ValueError):
        raise InvalidInput("recipe must be a hubml Recipe (fitted or not) or its JSON",
                           details={"field": "recipe"}) from None
    return recipe


def _log_recipe(model_id, recipe_json) -> None:
    """recipe.json into the logged model's artifacts (it follows the model version)."""
    import os
    import tempfile

    import mlflow

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, RECIPE_ARTIFACT)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(recipe_json, f, ensure_ascii=False, allow_nan=False)
        mlflow.MlflowClient().log_model_artifact(model_id, path)


def _client(project):
    import mlflow

    uri = tracking_uri(project)
    return mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)


def _datasets_json(dataset) -> list[dict]:
    from .datasets import DatasetVersion

    items = dataset if isinstance(dataset, (list, tuple)) else [dataset] if dataset else []
    out = []
    for item in items:
        if not isinstance(item, DatasetVersion):
            raise InvalidInput("dataset must be a dataset version (p.dataset(name).latest) or a "
                               "list of them", details={"field": "dataset"})
        out.append({"dataset": item.name, "version": item.version})
    return out


def _run_context(project, name: str, run: Run | None):
    """The run to log into: ``run``, else the project's open ``with p.start_run()``, else a new
    one. Inside an active run MLflow cannot start another, so the active one is reused."""
    import mlflow

    run = run or active_run(project)
    active = mlflow.active_run()
    if run is None:
        if active is not None:
            raise InvalidInput(f"an MLflow run ({active.info.run_id}) started outside hubml is "
                               "active; pass run= (a run of p.start_run()) or end it first",
                               details={"field": "run"})
        return start_run(project, f"register-{name}")
    if active is not None and active.info.run_id == run.id:
        return contextlib.nullcontext()  # inside `with p.start_run() as run`
    # resume a finished run (nested: another run of the project may be active)
    return mlflow.start_run(run_id=run.id, nested=active is not None)


def _claim_name(project, name: str) -> None:
    """In a shared store a registered model name is global: refuse another project's."""
    if not shared_store():
        return
    try:
        existing = _client(project).get_registered_model(name)
    except Exception as exc:
        if getattr(exc, "error_code", "") == "RESOURCE_DOES_NOT_EXIST":
            return
        raise
    if existing.tags.get(PROJECT_TAG) != project_id(project):
        raise Conflict(f"the shared tracking store already has a model named {name!r} of "
                       "another project; choose another name", details={"field": "name"})


def register_model(project, name: str, model, framework: str, run: Run | None = None,
                   dataset=None, X_example=None, recipe=None, algorithm: str | None = None,
                   task: str | None = None, description: str = ""):
    import mlflow

    from .. import frameworks
    from .models import ModelVersion

    check_name("model", name)
    fw = frameworks.get(framework)
    lineage = _datasets_json(dataset)
    model = fw.adopt(model, X_example=X_example, task=task)
    task = task or fw.task_of(model)
    if recipe is None and lineage:
        recipe = project.dataset(lineage[0]["dataset"]).version(lineage[0]["version"]).meta.get(
            "recipe")
    recipe_json = _recipe_json(recipe)
    recipe_tag = json.dumps(recipe_json, ensure_ascii=False)
    if len(recipe_tag) > _TAG_LIMIT:
        recipe_tag = json.dumps(RECIPE_IN_ARTIFACT)
    signature = None
    example = None
    if X_example is not None:
        example = X_example.head(5) if hasattr(X_example, "head") else X_example[:5]
        signature = mlflow.models.infer_signature(example, fw.predict(model, example))
    classes = fw.classes(model)
    metadata = {"hubml": {"framework": framework, "algorithm": algorithm, "task": task,
                          "classes": [c.item() if hasattr(c, "item") else c for c in classes]
                          if classes is not None else None}}
    tags = {TAG_FRAMEWORK: framework, TAG_DATASETS: json.dumps(lineage),
            TAG_RECIPE: recipe_tag, TAG_ALGORITHM: algorithm or "",
            TAG_TASK: task or ""}

    with tracking(project), store_errors(f"model {name!r}"):
        _claim_name(project, name)
        with _run_context(project, name, run):
            info = fw.log_model(model, "model", signature=signature, input_example=example,
                                metadata=metadata)
            if recipe_json is not None:
                _log_recipe(info.model_id, recipe_json)
            registered = mlflow.register_model(info.model_uri, name, tags=tags)
        client = _client(project)
        client.set_registered_model_tag(name, PROJECT_TAG, project_id(project))
        if description:
            client.update_model_version(name, registered.version, description)
    return ModelVersion(project, name, int(registered.version))
