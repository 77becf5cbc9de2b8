"""Every template, created through REST for a project's own messy dataset and target, runs
from an unrelated folder, and what it makes shows up in the REST listings (so in the panels).

The project "penguins" holds a table like a real export: numbers with missing values, a
free-text column, a category column with gaps and an ISO date column. Each script is created
through ``POST projects/penguins/scripts`` with ``dataset`` and ``target`` and run with the
command its docstring gives, from a temporary folder; the notebook is executed with nbclient.
"""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import nbclient
import nbformat
import numpy as np
import pandas as pd
import pytest

import hubml
from hubml.templates import WIDGET_TEMPLATES, templates
from tests.server.helpers import error_of

# template -> (target, what it makes: "models" or "datasets", its name)
MAKES = {
    "train-sklearn": ("species", "models", "penguins-sklearn"),
    "train-keras": ("species", "models", "penguins-keras"),
    "train-pytorch": ("body_mass_g", "models", "penguins-torch"),
    "train-h2o": ("species", "models", "penguins-h2o"),
    "predict": ("species", "datasets", "penguins-predictions"),
    "data-preparation": ("species", "datasets", "penguins-prepared"),
}


def messy_penguins(n: int = 150, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    species = rng.choice(["Adelie", "Gentoo", "Chinstrap"], n)
    bill = rng.normal(44, 5, n) + (species == "Gentoo") * 4
    bill[rng.random(n) < 0.1] = np.nan
    flipper = pd.array(rng.integers(170, 230, n), dtype="Int64")
    flipper[rng.random(n) < 0.1] = pd.NA
    island = pd.Series(rng.choice(["Biscoe", "Dream", "Torgersen"], n), dtype="category")
    island[rng.random(n) < 0.1] = np.nan
    comments = [None if i % 4 == 0 else f"Nest {rng.integers(1000)}: {word} seen at dawn"
                for i, word in enumerate(rng.choice(["adult", "chick", "pair"], n))]
    return pd.DataFrame({
        "bill length (mm)": bill,
        "flipper_length_mm": flipper,
        "island": island,
        "comments": pd.Series(comments, dtype="str"),
        "date_egg": pd.Timestamp("2007-11-01") + pd.to_timedelta(rng.integers(0, 900, n), "D"),
        "body_mass_g": np.where(species == "Gentoo", 5000, 3700) + rng.normal(0, 300, n),
        "species": species,
    })


@pytest.fixture(scope="module")
def penguins_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("penguins-root")
    old = os.environ.get("HUBML_PROJECT_ROOTS")
    os.environ["HUBML_PROJECT_ROOTS"] = str(root)
    try:
        p = hubml.create_project("penguins")
        p.save_dataset("old-notes", pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}))
        p.save_dataset("penguins", messy_penguins())     # created last: the default
    finally:
        if old is None:
            del os.environ["HUBML_PROJECT_ROOTS"]
        else:
            os.environ["HUBML_PROJECT_ROOTS"] = old
    return root


@pytest.fixture
def penguins(penguins_root, monkeypatch):
    monkeypatch.setenv("HUBML_PROJECT_ROOTS", str(penguins_root))
    monkeypatch.delenv("HUBML_TRACKING_URI", raising=False)
    return penguins_root / "penguins"


def docstring_command(path: Path) -> str:
    """The ``python ...`` line the script's docstring tells the reader to type."""
    found = re.search(r"^ {4}(python .+)$", path.read_text("utf-8"), re.MULTILINE)
    assert found, path.read_text("utf-8")[:600]
    return found.group(1)


def run_as_told(path: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONUNBUFFERED": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(["bash", "-c", docstring_command(path)], cwd=cwd, env=env,
                          timeout=600, capture_output=True, text=True, stdin=subprocess.DEVNULL)


def test_every_template_is_covered():
    # the widget notebooks run in tests/server/test_widget_templates.py
    assert {t.id for t in templates()} == set(MAKES) | set(WIDGET_TEMPLATES)


def register_sklearn_model(project_path: Path) -> None:
    """What the scikit-learn template registers, for the prediction template to load."""
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    p = hubml.project("penguins")
    if "penguins-sklearn" in [m.name for m in p.models()]:
        return
    data = p.dataset("penguins").latest
    df = data.load()
    X = df.drop(columns=["species"])
    numeric = ["bill length (mm)", "flipper_length_mm", "body_mass_g"]
    model = make_pipeline(ColumnTransformer([
        ("n", SimpleImputer(strategy="median"), numeric),
        ("c", make_pipeline(SimpleImputer(strategy="most_frequent"),
                            OneHotEncoder(handle_unknown="ignore")), ["island"])]),
        RandomForestClassifier(n_estimators=10, random_state=0)).fit(X, df["species"])
    p.register_model("penguins-sklearn", model, framework="sklearn", dataset=data, X_example=X)


@pytest.mark.parametrize("template_id", list(MAKES))
async def test_template_runs_on_the_projects_messy_dataset_from_any_folder(
        api, penguins, tmp_path, template_id):
    target, kind, made = MAKES[template_id]
    names = [item["name"] for item in (await api("GET", f"projects/penguins/{kind}"))[1][kind]]
    assert made not in names
    code, body = await api("POST", "projects/penguins/scripts",
                           {"template": template_id, "name": f"my-{template_id}",
                            "dataset": "penguins", "target": target})
    assert code == 201, body
    assert body["dataset"] == "penguins" and body["target"] == target
    assert body["task"] == ("regression" if target == "body_mass_g" else "multiclass")
    path = penguins / body["path"]
    text = path.read_text("utf-8")
    assert "breast-cancer" not in text and "diagnosis" not in text
    elsewhere = tmp_path / "unrelated folder"
    elsewhere.mkdir()
    if path.suffix == ".ipynb":
        notebook = nbformat.read(path, as_version=4)
        nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}}).execute()
    else:
        if template_id == "predict":
            register_sklearn_model(penguins)
        run = run_as_told(path, elsewhere)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        assert list(elsewhere.iterdir()) == []       # nothing written to the current folder
    listing = (await api("GET", f"projects/penguins/{kind}"))[1][kind]
    entry = next((item for item in listing if item["name"] == made), None)
    assert entry is not None, [item["name"] for item in listing]
    if kind == "models":
        assert made in [m.name for m in hubml.project("penguins").models()]
        detail = (await api("GET", f"projects/penguins/models/{made}/versions/1"))[1]
        assert detail["metrics"] and detail["lineage"]["datasets"][0]["dataset"] == "penguins"
    else:
        version = (await api("GET", f"projects/penguins/datasets/{made}/versions/1"))[1]
        assert version["lineage"]["parents"][0]["dataset"] == "penguins"


async def test_the_docstring_command_works_from_the_home_folder(api, penguins):
    code, body = await api("POST", "projects/penguins/scripts",
                           {"template": "train-sklearn", "name": "from-home",
                            "dataset": "penguins", "target": "species"})
    assert code == 201, body
    path = penguins / body["path"]
    command = docstring_command(path)
    assert shlex.split(command)[1] == str(path)    # the project is not under this HOME
    run = run_as_told(path, Path.home())
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


async def test_defaults_are_the_latest_dataset_and_a_target_like_column(api, penguins):
    p = hubml.create_project("defaults")
    p.save_dataset("first", messy_penguins(30))
    labelled = messy_penguins(40).rename(columns={"island": "Label"})
    p.save_dataset("second", labelled)                    # created last
    p.save_dataset("first", messy_penguins(30, seed=1))   # a newer version of the older one
    code, body = await api("POST", "projects/defaults/scripts",
                           {"template": "train-keras", "name": "defaults"})
    assert code == 201, body
    # "first" v2 is newer than "second" v1: the latest created version decides
    assert (body["dataset"], body["target"], body["task"]) == ("first", "species",
                                                               "multiclass")
    code, body = await api("POST", "projects/defaults/scripts",
                           {"template": "train-keras", "name": "labelled",
                            "dataset": "second"})
    assert code == 201, body
    assert (body["target"], body["task"]) == ("Label", "multiclass")
    text = (p.path / body["path"]).read_text("utf-8")
    assert 'DATASET = "second"' in text and 'TARGET = "Label"' in text


async def test_an_unknown_dataset_or_column_is_refused_naming_the_known_ones(api, penguins):
    code, body = await api("POST", "projects/penguins/scripts",
                           {"template": "train-sklearn", "name": "x1", "dataset": "nope"})
    assert code == 404
    error = error_of(body)
    assert "old-notes" in error["message"] and "penguins" in error["message"]
    assert error["details"]["field"] == "dataset"
    code, body = await api("POST", "projects/penguins/scripts",
                           {"template": "train-sklearn", "name": "x2", "dataset": "penguins",
                            "target": "Species"})
    assert code == 400
    error = error_of(body)
    assert "species" in error["message"] and "date_egg" in error["message"]
    assert error["details"] == {"field": "target", "known": list(messy_penguins().columns)}
    assert not (penguins / "scripts" / "x1.py").exists()
    assert not (penguins / "scripts" / "x2.py").exists()


async def test_a_project_without_datasets_is_told_to_add_one(api, penguins):
    hubml.create_project("empty-one")
    code, body = await api("POST", "projects/empty-one/scripts",
                           {"template": "train-sklearn", "name": "x"})
    assert code == 400
    assert "no dataset yet" in error_of(body)["message"]
