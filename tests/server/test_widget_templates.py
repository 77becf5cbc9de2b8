"""The widget notebooks "Open in Data Studio" and "Open Training Form" create through
``POST projects/{project}/scripts``: their cells, unique names that never overwrite, the
dataset version they open, and that they run in a kernel in the project's notebooks folder."""

import json

import nbclient
import nbformat
import pytest

from tests.server.helpers import error_of, tree_hash

SCRIPTS = "projects/sales/scripts"


def code_cells(path) -> list[str]:
    notebook = json.loads(path.read_text())
    assert notebook["nbformat"] == 4
    return ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]


async def test_data_studio_notebook_opens_the_version_asked_for(api, project):
    body = {"template": "data_studio", "name": "data-studio-orders", "dataset": "orders",
            "version": 1, "unique": True}
    code, made = await api("POST", SCRIPTS, body)
    assert code == 201, made
    assert made["path"] == "notebooks/data-studio-orders.ipynb" and made["model"] is None
    assert (made["dataset"], made["version"]) == ("orders", 1)
    cells = code_cells(project.path / made["path"])
    assert "import hubml" in cells[0] and "p = hubml.project(" in cells[0]
    assert cells[-1] == 'hubml.widgets.DataStudio(p, p.dataset("orders").version(1))'
    for cell in cells:
        compile(cell, "cell", "exec")
    # the same again: a new name, the first file as it was
    first = (project.path / made["path"]).read_text()
    (project.path / made["path"]).write_text(first + " ")  # the user's edit
    code, again = await api("POST", SCRIPTS, body)
    assert code == 201 and again["path"] == "notebooks/data-studio-orders-2.ipynb"
    assert (project.path / made["path"]).read_text() == first + " "
    code, third = await api("POST", SCRIPTS, {**body, "version": None} | {"version": 2})
    assert third["path"] == "notebooks/data-studio-orders-3.ipynb"
    assert code_cells(project.path / third["path"])[-1].endswith('.version(2))')


async def test_training_form_notebook(api, project):
    code, made = await api("POST", SCRIPTS, {"template": "training_form",
                                             "name": "training-form-orders",
                                             "dataset": "orders", "unique": True})
    assert code == 201 and made["path"] == "notebooks/training-form-orders.ipynb"
    cells = code_cells(project.path / made["path"])
    assert cells[-1] == 'hubml.widgets.TrainingForm(p, dataset="orders")'


async def test_widget_notebook_runs_in_the_project(api, project):
    """The cells before the widget find the project from the notebook's folder; the widget's
    arguments are the project and the version asked for (the widget itself is run by the
    browser test once it exists)."""
    code, made = await api("POST", SCRIPTS, {"template": "data_studio", "name": "ds",
                                             "dataset": "orders", "version": 1})
    path = project.path / made["path"]
    notebook = nbformat.read(path, as_version=4)
    last = notebook.cells[-1]
    last.source = last.source.replace("hubml.widgets.DataStudio(", "(")
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    shown = last.outputs[0]["data"]["text/plain"]
    assert "<hubml.Project 'sales'" in shown and "'orders' v1 " in shown, shown


@pytest.mark.parametrize("body, code, field", [
    ({"template": "data_studio", "name": "x", "dataset": "orders", "version": 9}, 404, None),
    ({"template": "data_studio", "name": "x", "dataset": "orders", "version": 0}, 400,
     "version"),
    ({"template": "data_studio", "name": "x", "dataset": "nope"}, 404, "dataset"),
    ({"template": "data_studio", "name": "taken"}, 409, "name"),
    ({"template": "data_studio", "name": "x", "unique": "yes"}, 400, "unique"),
])
async def test_widget_notebook_errors_change_nothing(api, project, body, code, field):
    (project.path / "notebooks").mkdir(exist_ok=True)
    (project.path / "notebooks" / "taken.ipynb").write_text("{}")
    before = tree_hash(project.path)
    status, answer = await api("POST", SCRIPTS, body)
    assert status == code, answer
    error = error_of(answer)
    if field:
        assert error["details"]["field"] == field
    assert tree_hash(project.path) == before
