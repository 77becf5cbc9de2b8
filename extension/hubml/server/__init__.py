"""The hubml Jupyter server extension: REST API under ``{base_url}hubml/api/``."""

from __future__ import annotations

from .config import HubML
from .routes import setup_routes

__all__ = ["HubML", "setup_routes"]


def _load_jupyter_server_extension(serverapp):
    from ..firststart import maybe_create_demo
    from ..training.queue import set_running_limit

    config = serverapp.web_app.settings["hubml_config"] = HubML(parent=serverapp)
    set_running_limit(config.max_running_jobs)   # for kernels and job runners started later
    setup_routes(serverapp.web_app)
    from ..dashboards.offline import setup_offline

    setup_offline(serverapp.web_app)   # Voila pages load nothing from a CDN
    maybe_create_demo(serverapp.log)
    serverapp.log.info("hubml: REST API at %shubml/api/", serverapp.web_app.settings["base_url"])


# jupyter_server 1.x name, kept so older servers also load the extension
load_jupyter_server_extension = _load_jupyter_server_extension
