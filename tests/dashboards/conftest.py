"""A small project with a dataset, a registered model (the user's own estimator) and a
notebook, under the root folder of a real Jupyter server with hubml (pytest-jupyter)."""

import pytest


@pytest.fixture
def jp_server_config(jp_server_config):
    return {"ServerApp": {"jpserver_extensions": {"hubml": True}}}


@pytest.fixture
def roots(jp_root_dir, monkeypatch):
    root = jp_root_dir / "projects"
    root.mkdir()
    monkeypatch.setenv("HUBML_PROJECT_ROOTS", str(root))
    monkeypatch.delenv("HUBML_TRACKING_URI", raising=False)
    return root


@pytest.fixture(scope="session")
def shop_folder(tmp_path_factory):
    """Project "shop", made once: dataset "iris" v1, model "iris-tree" v1 with alias
    production, and the notebook notebooks/report.ipynb (tests get a copy: projects are
    relocatable)."""
    import os

    root = tmp_path_factory.mktemp("shop-root")
    saved = os.environ.get("HUBML_PROJECT_ROOTS")
    os.environ["HUBML_PROJECT_ROOTS"] = str(root)
    try:
        _make_shop()
    finally:
        if saved is None:
            os.environ.pop("HUBML_PROJECT_ROOTS", None)
        else:
            os.environ["HUBML_PROJECT_ROOTS"] = saved
    return root / "shop"


@pytest.fixture
def shop(roots, shop_folder):
    import shutil

    import hubml

    shutil.copytree(shop_folder, roots / "shop")
    return hubml.project("shop")


def _make_shop():
    import nbformat
    from sklearn.datasets import load_iris
    from sklearn.tree import DecisionTreeClassifier

    import hubml

    p = hubml.create_project("shop")
    df = load_iris(as_frame=True).frame
    df.columns = ["sl", "sw", "pl", "pw", "target"]
    v = p.save_dataset("iris", df)
    X, y = df.drop(columns=["target"]), df["target"]
    model = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    p.register_model("iris-tree", model, framework="sklearn", dataset=v, X_example=X)
    p.model("iris-tree").set_alias("production", 1)
    (p.path / "notebooks").mkdir(exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(), p.path / "notebooks" / "report.ipynb")
