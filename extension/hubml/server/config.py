"""Server-side settings of the hubml extension: ``c.HubML.<trait>`` in jupyter_server_config."""

from __future__ import annotations

from traitlets import Integer
from traitlets.config import Configurable

__all__ = ["HubML", "hubml_config"]

MIB = 1024 * 1024


class HubML(Configurable):
    """hubml REST API settings (``c.HubML...`` in a Jupyter server config file or
    ``--HubML.max_upload_bytes=...`` on the command line)."""

    max_upload_bytes = Integer(
        512 * MIB, min=1, config=True,
        help="Largest file (in bytes) that POST projects/{project}/datasets accepts. Uploads "
             "stream to a temporary file in the project's data/ folder; one past this size is "
             "answered 413 and its temporary file removed. Default 512 MiB.",
    )
    multipart_overhead_bytes = Integer(
        64 * 1024, min=0, config=True,
        help="Bytes a multipart/form-data body may carry beyond max_upload_bytes for its part "
             "headers and small fields (name, format, ...). A body whose Content-Length "
             "exceeds max_upload_bytes plus this is refused before it is read.",
    )


def hubml_config(settings: dict) -> HubML:
    """The HubML settings stored in the tornado application settings at load."""
    config = settings.get("hubml_config")
    return config if config is not None else HubML()
