"""Models over REST: list, versions, one version with run metrics/params and formats, aliases."""

import pytest

from tests.server.helpers import error_of, tree_hash

BASE = "projects/ml/models"


async def test_list_models(api, ml_project):
    code, body = await api("GET", BASE)
    assert code == 200
    assert body == {"models": [{"name": "iris-forest", "latest_version": 2,
                                "framework": "sklearn", "task": "multiclass",
                                "aliases": {"production": 1}}]}


async def test_project_counts_models(api, ml_project):
    body = (await api("GET", "projects/ml"))[1]
    assert (body["datasets"], body["models"]) == (1, 1)


async def test_model_versions(api, ml_project):
    code, body = await api("GET", f"{BASE}/iris-forest")
    assert code == 200
    assert body["name"] == "iris-forest" and body["aliases"] == {"production": 1}
    assert [v["version"] for v in body["versions"]] == [1, 2]
    first = body["versions"][0]
    assert first["framework"] == "sklearn" and first["algorithm"] == "sklearn.random_forest"
    assert first["aliases"] == ["production"]
    assert first["lineage"]["datasets"] == [{"dataset": "iris", "version": 1}]


async def test_model_version_has_run_metrics_params_and_formats(api, ml_project):
    code, body = await api("GET", f"{BASE}/iris-forest/versions/2")
    assert code == 200
    assert body["version"] == 2 and body["task"] == "multiclass"
    assert body["metrics"] == {"accuracy": pytest.approx(0.91)}
    assert body["params"] == {"n_estimators": "10"}
    assert body["formats"] == ["mlflow", "joblib", "onnx"]


async def test_set_move_and_remove_an_alias(api, ml_project):
    code, body = await api("PUT", f"{BASE}/iris-forest/aliases/staging", {"version": 2})
    assert code == 200 and body == {"aliases": {"production": 1, "staging": 2}}
    code, body = await api("PUT", f"{BASE}/iris-forest/aliases/staging", {"version": 1})
    assert body == {"aliases": {"production": 1, "staging": 1}}
    assert ml_project.model("iris-forest").version(alias="staging").version == 1
    code, body = await api("DELETE", f"{BASE}/iris-forest/aliases/staging")
    assert code == 200 and body == {"aliases": {"production": 1}}
    code, body = await api("DELETE", f"{BASE}/iris-forest/aliases/staging")
    assert code == 404 and "staging" in error_of(body)["message"]


@pytest.mark.parametrize("method, path, body, code, field", [
    ("GET", f"{BASE}/nope", None, 404, None),
    ("GET", f"{BASE}/Nope", None, 400, "model"),
    ("GET", f"{BASE}/iris-forest/versions/7", None, 404, None),
    ("GET", f"{BASE}/iris-forest/versions/0", None, 400, "version"),
    ("GET", f"{BASE}/iris-forest/versions/latest", None, 400, "version"),
    ("PUT", f"{BASE}/iris-forest/aliases/staging", {"version": 9}, 404, None),
    ("PUT", f"{BASE}/iris-forest/aliases/staging", {"version": "2"}, 400, "version"),
    ("PUT", f"{BASE}/iris-forest/aliases/staging", {"version": True}, 400, "version"),
    ("PUT", f"{BASE}/iris-forest/aliases/staging", {}, 400, "version"),
    ("PUT", f"{BASE}/iris-forest/aliases/staging", {"version": 1, "x": 1}, 400, "x"),
    ("PUT", f"{BASE}/iris-forest/aliases/Bad%20Alias", {"version": 1}, 400, "alias"),
    ("PUT", f"{BASE}/nope/aliases/staging", {"version": 1}, 404, None),
    ("DELETE", f"{BASE}/nope/aliases/production", None, 404, None),
    ("DELETE", f"{BASE}/iris-forest/aliases/BAD", None, 400, "alias"),
    ("GET", "projects/nope/models", None, 404, None),
])
async def test_model_errors_change_nothing(api, ml_project, method, path, body, code, field):
    before = tree_hash(ml_project.path)
    status, answer = await api(method, path, body)
    assert status == code, answer
    error = error_of(answer)
    if field:
        assert error["details"]["field"] == field
    assert tree_hash(ml_project.path) == before


async def test_project_without_models_lists_none_and_creates_no_store(api, project):
    assert (await api("GET", "projects/sales/models"))[1] == {"models": []}
    assert (await api("GET", "projects/sales/models/x"))[0] == 404
    assert not (project.path / ".hubml" / "mlflow.db").exists()


async def test_models_listing_follows_every_change_to_the_registry(api, ml_project):
    """The listing is cached between changes to the store: each change still shows at once."""
    import time

    import hubml
    from hubml.server.listing import clear_cache

    clear_cache()
    time.sleep(1.1)  # the store settled: the next listing may be cached
    code, first = await api("GET", "projects/ml/models")
    assert code == 200
    again = await api("GET", "projects/ml/models")
    assert again == (200, first)
    df = ml_project.dataset("iris").load()
    model = hubml.frameworks.get("sklearn").fit("sklearn.random_forest", "multiclass",
                                                {"n_estimators": 3}, df.drop(columns=["target"]),
                                                df["target"])
    ml_project.register_model("iris-small", model, framework="sklearn", task="multiclass")
    code, after = await api("GET", "projects/ml/models")  # at once, no settling needed
    names = [m["name"] for m in after["models"]]
    assert code == 200 and "iris-small" in names
    ml_project.model("iris-small").set_alias("staging", 1)
    time.sleep(1.1)
    code, moved = await api("GET", "projects/ml/models")
    small = next(m for m in moved["models"] if m["name"] == "iris-small")
    assert small["aliases"] == {"staging": 1}
