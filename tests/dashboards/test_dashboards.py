"""Dashboards without a browser: the page a notebook shows for its URL (widget or a
not-found page, never a traceback), and POST projects/{p}/dashboards on a real Jupyter server
(the packaged notebook copied under the root, the Voila URL, bad input refused)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from tornado.httpclient import HTTPClientError

from hubml.dashboards import notebook_path
from hubml.dashboards.links import FOLDER_NAME, prepare
from hubml.dashboards.pages import base_url, build, error_page, query, show
from hubml.errors import InvalidInput, NotFound


def test_query_and_base_url(monkeypatch):
    assert query("project=a&model=b%20c&version=2") == {"project": "a", "model": "b c",
                                                        "version": "2"}
    with pytest.raises(InvalidInput, match="more than once"):
        query("project=a&project=b")
    monkeypatch.setenv("QUERY_STRING", "project=x")
    assert query() == {"project": "x"}
    monkeypatch.setenv("SCRIPT_NAME", "/user/ann/voila/render/hubml-dashboards/model_card.ipynb")
    assert base_url() == "/user/ann/"
    monkeypatch.delenv("SCRIPT_NAME")
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/bob/")
    assert base_url() == "/user/bob/"


def test_pages_build_each_kind(shop, monkeypatch):
    from hubml.widgets.model_card import ModelCard

    monkeypatch.setenv("SCRIPT_NAME", "/voila/render/hubml-dashboards/model_card.ipynb")
    card = build("model_card", {"project": "shop", "model": "iris-tree", "alias": "production",
                                "theme": "dark"})
    assert isinstance(card, ModelCard) and card.theme == "dark" and card.base_url == "/"
    explorer = build("dataset_explorer", {"project": "shop", "dataset": "iris"})
    assert "hubml-dataset-explorer" in explorer._dom_classes or explorer is not None
    runs = build("run_compare", {"project": "shop"})
    assert runs is not None


@pytest.mark.parametrize("kind,args,expect", [
    ("model_card", "project=nope&model=m", "no project"),
    ("model_card", "project=shop&model=ghost", "no model named 'ghost'"),
    ("model_card", "project=shop&model=iris-tree&version=7", "version 7"),
    ("model_card", "project=shop&model=iris-tree&alias=staging", "no alias 'staging'"),
    ("model_card", "project=shop&model=iris-tree&version=x", "whole number"),
    ("model_card", "project=shop", "needs model="),
    ("model_card", "", "needs project= and model="),
    ("model_card", "project=Bad%20Name&model=m", "project"),
    ("dataset_explorer", "project=shop&dataset=ghost", "no dataset named 'ghost'"),
    ("dataset_explorer", "project=shop&dataset=iris&version=3", "version 3"),
])
def test_bad_addresses_show_a_page_not_a_traceback(shop, kind, args, expect, capsys):
    widget = show(kind, args)
    text = widget.value
    assert "hubml-dashboard-error" in text and expect in text
    assert ("Not found" in text) or ("not complete" in text)
    assert "Traceback" not in text and "File \"" not in text
    out = capsys.readouterr()
    assert "Traceback" not in out.out


def test_unexpected_error_page_has_no_traceback():
    page = error_page("model_card", ZeroDivisionError("boom"))
    assert "could not be shown" in page.value and "ZeroDivisionError" in page.value
    assert "boom" not in page.value and "Traceback" not in page.value


def test_prepare_copies_and_refreshes(shop, jp_root_dir):
    answer = prepare(shop, {"kind": "model_card", "model": "iris-tree", "alias": "production"},
                     jp_root_dir, "/user/ann/")
    target = jp_root_dir / FOLDER_NAME / "model_card.ipynb"
    assert answer["path"] == f"{FOLDER_NAME}/model_card.ipynb"
    assert target.read_bytes() == notebook_path("model_card").read_bytes()
    url = urlsplit(answer["url"])
    assert url.path == f"/user/ann/voila/render/{FOLDER_NAME}/model_card.ipynb"
    assert parse_qs(url.query) == {"project": ["shop"], "model": ["iris-tree"],
                                   "alias": ["production"]}
    target.write_text("{}")                       # an old or edited copy is refreshed
    prepare(shop, {"kind": "model_card", "model": "iris-tree"}, jp_root_dir, "/")
    assert target.read_bytes() == notebook_path("model_card").read_bytes()
    own = prepare(shop, {"kind": "notebook", "path": "notebooks/report.ipynb"}, jp_root_dir, "/")
    assert own["path"] == "projects/shop/notebooks/report.ipynb"
    assert own["url"] == "/voila/render/projects/shop/notebooks/report.ipynb?project=shop"


async def _post(jp_fetch, project, body):
    return await jp_fetch("hubml", "api", "projects", project, "dashboards", method="POST",
                          body=json.dumps(body))


async def test_rest_dashboards(jp_fetch, shop, jp_root_dir, jp_base_url):
    for body, path in [
        ({"kind": "model_card", "model": "iris-tree", "version": 1},
         f"{FOLDER_NAME}/model_card.ipynb"),
        ({"kind": "dataset_explorer", "dataset": "iris"}, f"{FOLDER_NAME}/dataset_explorer.ipynb"),
        ({"kind": "run_compare"}, f"{FOLDER_NAME}/run_compare.ipynb"),
        ({"kind": "notebook", "path": "notebooks/report.ipynb"},
         "projects/shop/notebooks/report.ipynb"),
    ]:
        r = await _post(jp_fetch, "shop", body)
        answer = json.loads(r.body)
        assert r.code == 200 and answer["path"] == path and answer["kind"] == body["kind"]
        assert answer["url"].startswith(f"{jp_base_url}voila/render/{path}?project=shop")
        assert (jp_root_dir / path).is_file()


@pytest.mark.parametrize("project,body,code,says", [
    ("nope", {"kind": "model_card", "model": "m"}, 404, "no project"),
    ("shop", {"kind": "model_card", "model": "ghost"}, 404, "ghost"),
    ("shop", {"kind": "model_card", "model": "iris-tree", "alias": "staging"}, 404, "staging"),
    ("shop", {"kind": "model_card", "model": "iris-tree", "version": 5}, 404, "version"),
    ("shop", {"kind": "model_card"}, 400, "model"),
    ("shop", {"kind": "model_card", "model": "iris-tree", "version": 1, "alias": "production"},
     400, "not both"),
    ("shop", {"kind": "dataset_explorer", "dataset": "iris", "model": "iris-tree"}, 400,
     "does not apply"),
    ("shop", {"kind": "chart"}, 400, "kind"),
    ("shop", {"kind": "notebook"}, 400, "path"),
    ("shop", {"kind": "notebook", "path": "../other/x.ipynb"}, 400, "inside the project"),
    ("shop", {"kind": "notebook", "path": "/etc/x.ipynb"}, 400, "inside the project"),
    ("shop", {"kind": "notebook", "path": "notebooks/../../x.ipynb"}, 400, "inside"),
    ("shop", {"kind": "notebook", "path": ".hubml/x.ipynb"}, 400, "hidden"),
    ("shop", {"kind": "notebook", "path": "data/x.csv"}, 400, ".ipynb"),
    ("shop", {"kind": "notebook", "path": "notebooks/ghost.ipynb"}, 404, "ghost.ipynb"),
])
async def test_rest_bad_input_changes_nothing(jp_fetch, shop, jp_root_dir, project, body, code,
                                              says):
    with pytest.raises(HTTPClientError) as info:
        await _post(jp_fetch, project, body)
    error = json.loads(info.value.response.body)["error"]
    assert info.value.code == code and says in error["message"]
    assert not (Path(jp_root_dir) / FOLDER_NAME).exists()


def test_unknown_objects_raise_before_writing(shop, jp_root_dir):
    with pytest.raises(NotFound):
        prepare(shop, {"kind": "dataset_explorer", "dataset": "ghost"}, jp_root_dir, "/")
    assert not (jp_root_dir / FOLDER_NAME).exists()


def test_openapi_documents_dashboards():
    from hubml.server.openapi import openapi_document
    from hubml.server.routes import ROUTES

    doc = openapi_document()
    op = doc["paths"]["/projects/{project}/dashboards"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "DashboardNew")
    body = doc["components"]["schemas"]["DashboardNew"]
    assert body["properties"]["kind"]["enum"] == ["model_card", "dataset_explorer",
                                                  "run_compare", "notebook"]
    assert doc["components"]["schemas"]["Dashboard"]["required"] == ["url", "path", "kind"]
    assert any(path == "projects/{project}/dashboards" for path, _ in ROUTES)


def _soon(kind, args, timeout=120.0):
    """show_soon on a running event loop, as in a kernel: (page right away, page when done)."""
    import asyncio

    from hubml.dashboards import show_soon

    async def main():
        page = show_soon(kind, args)
        first = list(getattr(page, "children", ()))
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while "hubml-dashboard-loading" in getattr(page, "_dom_classes", ()) and \
                loop.time() < end:
            await asyncio.sleep(0.05)
        return page, first

    return asyncio.run(main())


def test_show_soon_header_first_then_the_card(shop, monkeypatch):
    from hubml.widgets.model_card import ModelCard

    monkeypatch.setenv("SCRIPT_NAME", "/user/ann/voila/render/hubml-dashboards/model_card.ipynb")
    page, first = _soon("model_card", "project=shop&model=iris-tree&alias=production")
    (header,) = first                 # at once: the name and project from the address
    assert "hubml-card-loading" in header._dom_classes
    text = header.children[0].value
    assert ">iris-tree</h2>" in text and "shop" in text and "production" in text
    (card,) = page.children           # then the whole card in its place
    assert isinstance(card, ModelCard) and card.version == 1 and card.base_url == "/user/ann/"
    assert card.form is not None and card.form.predict()["source"] == "kernel"


@pytest.mark.parametrize("args,expect", [
    ("project=shop&model=ghost", "no model named 'ghost'"),
    ("project=nope&model=iris-tree", "no project"),
    ("project=shop&model=iris-tree&alias=staging", "no alias 'staging'"),
    ("project=shop", "needs model="),                       # refused before any thread
    ("project=shop&model=iris-tree&version=x", "whole number"),
])
def test_show_soon_bad_addresses(shop, args, expect, capsys):
    page, _ = _soon("model_card", args)
    widget = page.children[0] if hasattr(page, "children") else page
    assert "hubml-dashboard-error" in widget.value and expect in widget.value
    assert "Traceback" not in widget.value and "Traceback" not in capsys.readouterr().out


def test_show_soon_without_a_loop_is_show(shop):
    from hubml.dashboards import show_soon

    page = show_soon("model_card", "project=shop&model=ghost")
    assert "no model named 'ghost'" in page.value
