"""Datasets: list and upload, versions, one version (statistics, lineage), preview pages."""

from __future__ import annotations

import asyncio

from tornado import web

from ..errors import TooLarge
from .base import HubMLHandler, open_project
from .listing import dataset_listing_json
from .parse import Field, query_field, query_str
from .preview import MAX_LIMIT, preview
from .preview_query import parse_query
from .uploads import FIELDS, Upload

__all__ = ["PREVIEW_QUERY", "DatasetHandler", "DatasetsHandler", "PreviewHandler",
           "VersionHandler"]

PREVIEW_QUERY = [
    Field("offset", "integer", minimum=0, maximum=10**15, default=0,
          description="the first row of the page, counted from 0"),
    Field("limit", "integer", minimum=0, maximum=MAX_LIMIT, default=100,
          description=f"how many rows, at most {MAX_LIMIT}"),
    Field("sort", "string", max_length=1000, example="amount",
          description="a column to sort the rows by (stable: ties keep the stored order; "
                      "missing values last)"),
    Field("order", "string", enum=("asc", "desc"), default="asc",
          description="the sort order: asc (smallest first) or desc"),
    Field("filter", "string", max_length=20_000,
          example='[{"column": "amount", "op": "gt", "value": 100}]',
          description="a JSON list of conditions that rows must all meet, each "
                      "{column, op, value}; op: eq, ne, lt, le, gt, ge, contains (text, any "
                      "case), isnull, notnull (no value); the value's type must suit the "
                      "column (a number, a text, true/false, an ISO 8601 date-time); total "
                      "then counts the matching rows"),
]


def _listing(project: str) -> str:
    return dataset_listing_json(open_project(project))


def _versions(project: str, name: str) -> dict:
    dataset = open_project(project).dataset(name)
    dataset.version()  # 404 naming the known datasets if there is none
    return {"name": name, "versions": [v.to_json() for v in dataset.versions()]}


def _version_detail(project: str, name: str, version: str) -> dict:
    v = open_project(project).dataset(name).version(version)
    meta = v.meta
    return {**v.to_json(), "statistics": meta.get("statistics", {}),
            "lineage": {"source": meta.get("source"), "recipe": meta.get("recipe"),
                        "parents": meta.get("parents", [])}}


def _preview(project: str, name: str, version: str, offset: int, limit: int,
             sort: str | None, order: str, filter_text: str | None) -> dict:
    v = open_project(project).dataset(name).version(version)
    query = parse_query(v.meta["columns"], sort, order, filter_text)
    return preview(v, offset, limit, query)


@web.stream_request_body
class DatasetsHandler(HubMLHandler):
    """GET lists the datasets; POST uploads a file (multipart/form-data or a raw body),
    streamed to disk as it arrives (see uploads.py)."""

    upload: Upload | None = None

    async def prepare(self):
        await super().prepare()
        if self._finished or self.request.method != "POST":
            return
        if self.current_user is None:  # also when the server allows unauthenticated access
            raise web.HTTPError(403)
        limit = self.hubml.max_upload_bytes
        content_type = self.request.headers.get("Content-Type", "")
        multipart = content_type.lower().startswith("multipart/")
        allowance = limit + (self.hubml.multipart_overhead_bytes if multipart else 0)
        length = self.request.headers.get("Content-Length")
        if length is not None and length.isdigit() and int(length) > allowance:
            raise Upload.too_large_error(limit)
        # tornado's own cap (ServerApp.max_body_size) must not cut in before ours
        self.request.connection.set_max_body_size(allowance + (1 << 20))
        project = self.open_project(self.path_kwargs["project"])
        options = {k: query_str(self.request.arguments, k, max_length=10_000)
                   for k in ("filename", *FIELDS) if k in self.request.arguments}
        self.upload = Upload(project, limit, content_type, options)

    def data_received(self, chunk: bytes) -> None:
        if self.upload is not None:
            self.upload.feed(chunk)

    def on_connection_close(self) -> None:
        if self.upload is not None:
            self.upload.discard()
        super().on_connection_close()

    def on_finish(self) -> None:
        if self.upload is not None:
            self.upload.discard()

    def compute_etag(self):
        return None  # a listing is new each time; hashing half a megabyte buys nothing

    @web.authenticated
    async def get(self, project):
        await self.reply(_listing, project)

    @web.authenticated
    async def post(self, project):
        if self.upload is None:  # pragma: no cover - prepare always sets it for POST
            raise TooLarge("upload was not prepared")
        result = await asyncio.to_thread(self.upload.finish)
        self.write_json(result, status=200 if result.get("unchanged") else 201)


class DatasetHandler(HubMLHandler):
    @web.authenticated
    async def get(self, project, name):
        await self.reply(_versions, project, name)


class VersionHandler(HubMLHandler):
    @web.authenticated
    async def get(self, project, name, version):
        await self.reply(_version_detail, project, name, version)


class PreviewHandler(HubMLHandler):
    queries = {"get": PREVIEW_QUERY}

    @web.authenticated
    async def get(self, project, name, version):
        offset, limit, sort, order, filter_text = (
            query_field(self.request.arguments, f) for f in PREVIEW_QUERY)
        await self.reply(_preview, project, name, version, offset, limit, sort, order,
                         filter_text)
