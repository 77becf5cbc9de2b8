"""Voila pages without the internet: nothing loaded from a CDN.

Voila 0.5's lab template links Font Awesome from jsdelivr, and its page config points MathJax
at cdnjs unless the server's settings name another. On a machine without internet access (or
a hub behind a firewall) those requests hang or fail, so at server start hubml

- sets ``mathjax_url``/``mathjax_config`` to "null" (unless configured), which makes Voila use
  the MathJax 3 bundled in its own JavaScript;
- serves the Font Awesome that JupyterHub installs (``share/jupyterhub/static/components``)
  at ``{base_url}hubml/static/fontawesome/`` and rewrites the template's CDN links to it in
  Voila's HTML answers (if JupyterHub's copy is missing, the links are dropped: icons go, the
  page still loads at once).
Widget and plotly code come from the installed labextensions already (anywidget inlines
plotly's FigureWidget).
"""

from __future__ import annotations

import sys
from pathlib import Path

from jupyter_server.utils import url_path_join
from tornado.web import OutputTransform, StaticFileHandler

__all__ = ["FONT_AWESOME_CDN", "OfflineVoilaTransform", "setup_offline"]

FONT_AWESOME_CDN = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/"
_FA = Path(sys.prefix) / "share" / "jupyterhub" / "static" / "components" / "@fortawesome" / \
    "fontawesome-free"


class OfflineVoilaTransform(OutputTransform):
    """Rewrites the CDN links of Voila pages (``.../voila/render/...``) to the local copy."""

    local: str | None = None          # set by setup_offline; None: drop the links

    def __init__(self, request):
        super().__init__(request)
        self.active = "/voila/render/" in request.path

    def _fix(self, chunk: bytes) -> bytes:
        if not self.active or FONT_AWESOME_CDN.encode() not in chunk:
            return chunk
        if self.local is None:
            import re

            return re.sub(rb'<link[^>]+' + re.escape(FONT_AWESOME_CDN.encode()) + rb'[^>]*>',
                          b"", chunk)
        return chunk.replace(FONT_AWESOME_CDN.encode(), self.local.encode())

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        fixed = self._fix(chunk)
        if fixed is not chunk and "Content-Length" in headers:
            headers["Content-Length"] = str(len(fixed))
        return status_code, headers, fixed

    def transform_chunk(self, chunk, finishing):
        return self._fix(chunk)


def setup_offline(web_app) -> None:
    settings = web_app.settings
    settings.setdefault("mathjax_url", "null")
    settings.setdefault("mathjax_config", "null")
    base_url = settings.get("base_url", "/")
    if (_FA / "css" / "all.min.css").is_file():
        web_app.add_handlers(".*$", [(url_path_join(base_url, "hubml/static/fontawesome/(.*)"),
                                      StaticFileHandler, {"path": str(_FA)})])
        OfflineVoilaTransform.local = url_path_join(base_url, "hubml/static/fontawesome/")
    web_app.add_transform(OfflineVoilaTransform)
