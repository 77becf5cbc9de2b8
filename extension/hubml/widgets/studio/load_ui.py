"""The Load section: upload a file (parsed by the workspace import code), pick a dataset
version, run a SQL query on a project connection, or open a file already in the project."""

from __future__ import annotations

import ipywidgets as W

from .._messages import msg

__all__ = ["LoadSection"]

_WIDE = W.Layout(width="480px")
_STYLE = {"description_width": "110px"}


class LoadSection(W.VBox):
    def __init__(self, studio, **kwargs):
        super().__init__(**kwargs)
        self.studio = studio
        self.upload = W.FileUpload(accept=".csv,.tsv,.txt,.json,.jsonl,.ndjson,.parquet,.pq,"
                                   ".xlsx,.xls", multiple=False,
                                   description=msg("studio.load.upload_file"))
        self.upload_button = W.Button(description=msg("studio.load.read_upload"), icon="upload",
                                      button_style="primary")
        self.encoding = W.Text(description=msg("studio.load.encoding"), placeholder="detect",
                               layout=W.Layout(width="220px"), style=_STYLE)
        self.delimiter = W.Text(description=msg("studio.load.delimiter"), placeholder="detect",
                                layout=W.Layout(width="220px"), style=_STYLE)
        self.progress = W.IntProgress(value=0, min=0, max=3, description="",
                                      layout=W.Layout(width="240px", visibility="hidden"))
        self.progress_label = W.Label()
        self.dataset = W.Dropdown(description=msg("studio.load.dataset"), options=[], layout=_WIDE,
                                  style=_STYLE)
        self.version = W.Dropdown(description=msg("studio.load.version"), options=[], layout=_WIDE,
                                  style=_STYLE)
        self.dataset_button = W.Button(description=msg("studio.load.load_dataset"), icon="database")
        self.refresh_button = W.Button(icon="refresh", tooltip=msg("studio.load.refresh"),
                                       layout=W.Layout(width="40px"))
        self.connection = W.Text(value="default", description=msg("studio.load.connection"),
                                 layout=_WIDE, style=_STYLE)
        self.query = W.Textarea(description=msg("studio.load.sql"), placeholder="SELECT * FROM ...",
                                layout=W.Layout(width="640px", height="90px"), style=_STYLE)
        self.query_button = W.Button(description=msg("studio.load.run_query"), icon="play")
        self.path = W.Text(description=msg("studio.load.project_file"),
                           placeholder="data/customers.csv", layout=_WIDE, style=_STYLE)
        self.path_button = W.Button(description=msg("studio.load.open_file"), icon="file")
        self.dataset.observe(lambda _: self._versions(), "value")
        self.upload_button.on_click(lambda _: studio._guard(self.read_upload))
        self.dataset_button.on_click(lambda _: studio._guard(self.load_dataset))
        self.refresh_button.on_click(lambda _: studio._guard(self.refresh))
        self.query_button.on_click(lambda _: studio._guard(self.run_query))
        self.path_button.on_click(lambda _: studio._guard(self.open_path))
        head = lambda text: W.HTML(f"<b>{text}</b>")  # noqa: E731
        self.children = [
            head(msg("studio.load.head_upload")),
            W.HBox([self.upload, self.encoding, self.delimiter]),
            W.HBox([self.upload_button, self.progress, self.progress_label]),
            W.HTML(f'<span class="hubml-note">{msg("studio.upload_hint")}</span>'),
            head(msg("studio.load.head_dataset")),
            W.HBox([self.dataset, self.refresh_button]), self.version, self.dataset_button,
            head(msg("studio.load.head_sql")), self.connection, self.query, self.query_button,
            head(msg("studio.load.head_file")), W.HBox([self.path, self.path_button]),
        ]
        self.refresh()

    def refresh(self) -> None:
        try:
            names = [d.name for d in self.studio.project.datasets()]
        except Exception:  # an unreadable project folder must not break the widget
            names = []
        current = self.dataset.value
        self.dataset.options = names
        if current in names:
            self.dataset.value = current
        self._versions()

    def _versions(self) -> None:
        name = self.dataset.value
        if not name:
            self.version.options = []
            return
        versions = [v.version for v in self.studio.project.dataset(name).versions()]
        self.version.options = [("latest", None)] + [(f"v{v}", v) for v in reversed(versions)]
        self.version.value = None

    def _step(self, value: int, text: str) -> None:
        self.progress.layout.visibility = "visible" if value < self.progress.max else "hidden"
        self.progress.value = value
        self.progress_label.value = text

    # -- actions --------------------------------------------------------------------
    def read_upload(self) -> None:
        from ...errors import InvalidInput

        files = self.upload.value
        if not files:
            raise InvalidInput(msg("studio.upload_none"), details={"field": "upload"})
        item = files[0]
        self._step(1, msg("studio.loading", name=item["name"]))
        try:
            self.studio.load_bytes(bytes(item["content"]), item["name"],
                                   encoding=self.encoding.value.strip() or None,
                                   delimiter=self.delimiter.value or None,
                                   progress=self._step)
        finally:
            self._step(self.progress.max, "")

    def load_dataset(self) -> None:
        from ...errors import InvalidInput

        if not self.dataset.value:
            raise InvalidInput(msg("studio.dataset_none"), details={"field": "dataset"})
        dataset = self.studio.project.dataset(self.dataset.value)
        self.studio.load(dataset.version(self.version.value))

    def run_query(self) -> None:
        self.studio.load_query(self.query.value, self.connection.value.strip() or "default")

    def open_path(self) -> None:
        self.studio.load_file(self.path.value.strip())
