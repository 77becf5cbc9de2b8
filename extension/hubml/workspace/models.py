"""Models: registered models of the project's store, their versions, loading them back.

A version registered by hubml records its lineage as tags: the framework, the run, the
dataset versions it was trained on and the recipe. One registered with plain MLflow shows the
framework of its flavor and loads through its adapter or ``mlflow.pyfunc``. Listings page
through all results and, in a shared store (``HUBML_TRACKING_URI``), keep to the models tagged
with the project's id. Store failures are StoreUnavailable (retry), a missing model NotFound.
"""

from __future__ import annotations

from ..errors import NotFound
from .model_flavors import ADAPTER_LOADS_PLAIN, PyfuncModels, framework_of
from .model_register import (
    RECIPE_ARTIFACT,
    RECIPE_IN_ARTIFACT,
    TAG_ALGORITHM,
    TAG_DATASETS,
    TAG_FRAMEWORK,
    TAG_RECIPE,
    TAG_TASK,
    register_model,
)
from .names import check_name, pick_version
from .runs import tracking
from .store import PROJECT_TAG, open_store, project_id, shared_store, store_errors, tracking_uri

__all__ = ["LoadedModel", "Model", "ModelVersion", "list_models", "model_listing",
           "register_model"]

_PAGE = 1000   # MLflow's largest page of registered models


def _client(project):
    import mlflow

    uri = tracking_uri(project)
    return mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)


def _project_filter(project) -> str | None:
    """In a shared store, only the project's models (tagged with its id)."""
    return f"tags.`{PROJECT_TAG}` = '{project_id(project)}'" if shared_store() else None


def _registered_models(project) -> list:
    """Every registered model of the project: all pages, one query each."""
    if not open_store(project):
        return []  # no store yet: don't create one just to list nothing
    client, token, found = _client(project), None, []
    with store_errors("models"):
        while True:
            page = client.search_registered_models(filter_string=_project_filter(project),
                                                   max_results=_PAGE, page_token=token,
                                                   order_by=["name ASC"])
            found += list(page)
            token = page.token
            if not token:
                return found


def list_models(project) -> list[Model]:
    return [Model(project, m.name) for m in _registered_models(project)]


def model_listing(project) -> list[dict]:
    """What the Models panel shows, from one paged query: name, latest version, framework,
    task and aliases of every model of the project, by name."""
    out = []
    for registered in _registered_models(project):
        versions = [ModelVersion(project, registered.name, int(v.version), info=v)
                    for v in registered.latest_versions or []]
        latest = max(versions, key=lambda v: v.version) if versions else None
        out.append({"name": registered.name,
                    "latest_version": latest.version if latest else None,
                    "framework": latest.framework if latest else None,
                    "task": (latest.info.tags.get(TAG_TASK) or None) if latest else None,
                    "aliases": {a: int(v) for a, v in (registered.aliases or {}).items()}})
    return out


class ModelVersion:
    def __init__(self, project, name: str, version: int, info=None):
        self.project, self.name, self.version = project, name, version
        self._info, self._framework = info, None
        self._aliases: list[str] | None = None   # known from the registered model

    def __repr__(self) -> str:
        return f"<hubml.ModelVersion {self.name!r} v{self.version}>"

    @property
    def uri(self) -> str:
        return f"models:/{self.name}/{self.version}"

    @property
    def info(self):
        if self._info is None:
            open_store(self.project)
            with store_errors(f"model {self.name!r} version {self.version}"):
                self._info = _client(self.project).get_model_version(self.name,
                                                                     str(self.version))
        return self._info

    @property
    def framework(self) -> str:
        """The hubml framework it was registered with, else that of its MLflow flavor."""
        if self._framework is None:
            self._framework = self.info.tags.get(TAG_FRAMEWORK) or framework_of(self.flavors())
        return self._framework

    def flavors(self) -> dict:
        """The flavors of the version's MLmodel file."""
        from mlflow.models import Model as MLmodel

        with store_errors(f"model {self.name!r} version {self.version}"):
            with tracking(self.project, create=False):
                return dict(MLmodel.load(self.uri).flavors)

    def lineage(self) -> dict:
        import json

        tags = self.info.tags
        return {"run_id": self.info.run_id,
                "datasets": json.loads(tags.get(TAG_DATASETS, "[]")),
                "recipe": self._lineage_recipe()}

    def _lineage_recipe(self):
        """The recipe for listings: a version whose artifact cannot be read still lists
        (with the tag's pointer to recipe.json) instead of failing the whole listing."""
        try:
            return self.recipe_json()
        except Exception:  # noqa: BLE001 - store errors are raised by .recipe, not here
            return RECIPE_IN_ARTIFACT

    def recipe_json(self):
        """The recipe's JSON as registered (with learned values if it was fitted), or None."""
        import json

        recipe = json.loads(self.info.tags.get(TAG_RECIPE, "null"))
        if recipe == RECIPE_IN_ARTIFACT:  # too long for a tag
            import tempfile
            from pathlib import Path

            import mlflow

            with store_errors(f"model {self.name!r} version {self.version}"), \
                    tracking(self.project, create=False), tempfile.TemporaryDirectory() as tmp:
                path = mlflow.artifacts.download_artifacts(
                    artifact_uri=f"{self.uri}/{RECIPE_ARTIFACT}", dst_path=tmp)
                recipe = json.loads(Path(path).read_text("utf-8"))
        return recipe

    @property
    def recipe(self):
        """The registered recipe as a ``hubml.recipes.Recipe`` (fitted if it was), or None:
        ``mv.recipe.transform(raw_df)`` prepares raw rows as the training rows were."""
        from ..recipes import Recipe

        recipe = self.recipe_json()
        return None if recipe is None else Recipe.from_json(recipe)

    def load(self) -> LoadedModel:
        from .. import frameworks

        framework = self.framework
        plain = TAG_FRAMEWORK not in self.info.tags
        fw = (frameworks.get(framework) if not plain or framework in ADAPTER_LOADS_PLAIN
              else PyfuncModels())
        with store_errors(f"model {self.name!r} version {self.version}"):
            with tracking(self.project, create=False):
                native = fw.load_model(self.uri)
        return LoadedModel(fw, native, self)

    def to_json(self) -> dict:
        info = self.info
        return {"name": self.name, "version": self.version, "framework": self.framework,
                "algorithm": info.tags.get(TAG_ALGORITHM) or None,
                "task": info.tags.get(TAG_TASK) or None,
                "run_id": info.run_id, "created": info.creation_timestamp,
                "aliases": self._aliases if self._aliases is not None else
                list(getattr(info, "aliases", []) or []),
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

    def registered(self):
        """MLflow's RegisteredModel (with aliases and tags); NotFound if the project has none
        of this name (in a shared store: none tagged with the project's id)."""
        if not open_store(self.project):
            raise self._missing()
        try:
            with store_errors(f"model {self.name!r}"):
                model = _client(self.project).get_registered_model(self.name)
        except NotFound:
            raise self._missing() from None
        if shared_store() and model.tags.get(PROJECT_TAG) != project_id(self.project):
            raise self._missing()
        return model

    def exists(self) -> bool:
        try:
            self.registered()
        except NotFound:
            return False
        return True

    def versions(self) -> list[ModelVersion]:
        try:
            registered = self.registered()
        except NotFound:
            return []
        client, token, found = _client(self.project), None, []
        with store_errors(f"model {self.name!r}"):
            while True:
                page = client.search_model_versions(f"name = '{self.name}'", page_token=token)
                found += list(page)
                token = page.token
                if not token:
                    break
        out = sorted((ModelVersion(self.project, self.name, int(v.version), info=v)
                      for v in found), key=lambda v: v.version)
        for mv in out:  # MLflow's search leaves the versions' aliases out
            mv._aliases = sorted(a for a, v in (registered.aliases or {}).items()
                                 if int(v) == mv.version)
        return out

    def version(self, version=None, alias: str | None = None) -> ModelVersion:
        if alias is not None:
            check_name("alias", alias)
            number = self.aliases().get(alias)
            if number is None:
                raise NotFound(f"model {self.name!r} has no alias {alias!r}")
            return ModelVersion(self.project, self.name, number)
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
        return {alias: int(v) for alias, v in (self.registered().aliases or {}).items()}

    def set_alias(self, alias: str, version) -> None:
        check_name("alias", alias)
        target = self.version(version)
        with store_errors(f"model {self.name!r}"):
            _client(self.project).set_registered_model_alias(self.name, alias,
                                                             str(target.version))

    def delete_alias(self, alias: str) -> None:
        check_name("alias", alias)
        if alias not in self.aliases():
            raise NotFound(f"model {self.name!r} has no alias {alias!r}")
        with store_errors(f"model {self.name!r}"):
            _client(self.project).delete_registered_model_alias(self.name, alias)
