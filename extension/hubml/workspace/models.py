"""Models: register a fitted model with its framework's MLflow flavor, load it back.

A version records its lineage as tags: the framework, the run, the dataset versions it
was trained on and the recipe. The same version also loads with ``mlflow.pyfunc``.
"""

from __future__ import annotations

import contextlib
import json
import os

from ..errors import InvalidInput, NotFound
from .names import check_name, pick_version
from .runs import Run, start_run, tracking, tracking_uri

__all__ = ["LoadedModel", "Model", "ModelVersion", "list_models", "register_model"]

TAG_FRAMEWORK = "hubml.framework"
TAG_DATASETS = "hubml.datasets"
TAG_RECIPE = "hubml.recipe"
TAG_ALGORITHM = "hubml.algorithm"
TAG_TASK = "hubml.task"


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


def register_model(project, name: str, model, framework: str, run: Run | None = None,
                   dataset=None, X_example=None, recipe=None, algorithm: str | None = None,
                   task: str | None = None, description: str = "") -> ModelVersion:
    import mlflow

    from .. import frameworks

    check_name("model", name)
    fw = frameworks.get(framework)
    lineage = _datasets_json(dataset)
    if recipe is None and lineage:
        recipe = project.dataset(lineage[0]["dataset"]).version(lineage[0]["version"]).meta.get(
            "recipe")
    recipe_json = recipe.to_json() if hasattr(recipe, "to_json") else recipe
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
            TAG_RECIPE: json.dumps(recipe_json), TAG_ALGORITHM: algorithm or "",
            TAG_TASK: task or ""}

    with tracking(project):
        active = mlflow.active_run()
        if run is None:
            context = start_run(project, f"register-{name}")
        elif active is not None and active.info.run_id == run.id:
            context = contextlib.nullcontext()  # inside `with p.start_run() as run`
        else:
            context = mlflow.start_run(run_id=run.id)  # resume a finished run
        with context:
            info = fw.log_model(model, "model", signature=signature, input_example=example,
                                metadata=metadata)
            registered = mlflow.register_model(info.model_uri, name, tags=tags)
    if description:
        _client(project).update_model_version(name, registered.version, description)
    return ModelVersion(project, name, int(registered.version))


class ModelVersion:
    def __init__(self, project, name: str, version: int):
        self.project, self.name, self.version = project, name, version

    def __repr__(self) -> str:
        return f"<hubml.ModelVersion {self.name!r} v{self.version}>"

    @property
    def uri(self) -> str:
        return f"models:/{self.name}/{self.version}"

    @property
    def info(self):
        return _client(self.project).get_model_version(self.name, str(self.version))

    @property
    def framework(self) -> str:
        return self.info.tags[TAG_FRAMEWORK]

    def lineage(self) -> dict:
        tags = self.info.tags
        return {"run_id": self.info.run_id,
                "datasets": json.loads(tags.get(TAG_DATASETS, "[]")),
                "recipe": json.loads(tags.get(TAG_RECIPE, "null"))}

    def load(self) -> LoadedModel:
        from .. import frameworks

        fw = frameworks.get(self.framework)
        with tracking(self.project):
            native = fw.load_model(self.uri)
        return LoadedModel(fw, native, self)

    def to_json(self) -> dict:
        info = self.info
        return {"name": self.name, "version": self.version, "framework": self.framework,
                "algorithm": info.tags.get(TAG_ALGORITHM) or None,
                "task": info.tags.get(TAG_TASK) or None,
                "run_id": info.run_id, "created": info.creation_timestamp,
                "aliases": list(getattr(info, "aliases", []) or []),
                "description": info.description or "", "lineage": self.lineage()}


class LoadedModel:
    """What ``p.model(name).load()`` returns: ``predict`` (and ``predict_proba``) on DataFrames."""

    def __init__(self, framework, native, version: ModelVersion):
        self.framework, self.native, self.version = framework, native, version

    def __repr__(self) -> str:
        return f"<hubml.LoadedModel {self.version.name!r} v{self.version.version}>"

    def predict(self, X):
        return self.framework.predict(self.native, X)

    def predict_proba(self, X):
        return self.framework.predict_proba(self.native, X)

    @property
    def classes(self):
        return self.framework.classes(self.native)


class Model:
    def __init__(self, project, name: str):
        self.project, self.name = project, check_name("model", name)

    def __repr__(self) -> str:
        return f"<hubml.Model {self.name!r} in {self.project.name!r}>"

    def _missing(self):
        known = ", ".join(m.name for m in self.project.models()) or "none yet"
        return NotFound(f"no model named {self.name!r} in project {self.project.name!r}; "
                        f"models: {known}")

    def versions(self) -> list[ModelVersion]:
        import mlflow

        try:
            found = _client(self.project).search_model_versions(f"name = '{self.name}'")
        except mlflow.exceptions.MlflowException:
            found = []
        return sorted((ModelVersion(self.project, self.name, int(v.version)) for v in found),
                      key=lambda v: v.version)

    def version(self, version=None, alias: str | None = None) -> ModelVersion:
        import mlflow

        if alias is not None:
            check_name("alias", alias)
            try:
                mv = _client(self.project).get_model_version_by_alias(self.name, alias)
            except mlflow.exceptions.MlflowException:
                raise NotFound(f"model {self.name!r} has no alias {alias!r}") from None
            return ModelVersion(self.project, self.name, int(mv.version))
        versions = self.versions()
        if not versions:
            raise self._missing()
        return pick_version(versions, version, f"model {self.name!r}")

    @property
    def latest(self) -> ModelVersion:
        return self.version()

    def load(self, version=None, alias: str | None = None) -> LoadedModel:
        return self.version(version, alias).load()

    def aliases(self) -> dict[str, int]:
        import mlflow

        try:
            model = _client(self.project).get_registered_model(self.name)
        except mlflow.exceptions.MlflowException:
            raise self._missing() from None
        return {alias: int(v) for alias, v in (model.aliases or {}).items()}

    def set_alias(self, alias: str, version) -> None:
        check_name("alias", alias)
        target = self.version(version)
        _client(self.project).set_registered_model_alias(self.name, alias, str(target.version))

    def delete_alias(self, alias: str) -> None:
        check_name("alias", alias)
        if alias not in self.aliases():
            raise NotFound(f"model {self.name!r} has no alias {alias!r}")
        _client(self.project).delete_registered_model_alias(self.name, alias)


def list_models(project) -> list[Model]:
    import mlflow

    if not (project.hubml_dir / "mlflow.db").exists() and "HUBML_TRACKING_URI" not in os.environ:
        return []  # no store yet: don't create one just to list nothing
    try:
        registered = _client(project).search_registered_models()
    except mlflow.exceptions.MlflowException:
        return []
    return sorted((Model(project, m.name) for m in registered), key=lambda m: m.name)
