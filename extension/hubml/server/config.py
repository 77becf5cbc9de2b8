"""Server-side settings of the hubml extension: ``c.HubML.<trait>`` in jupyter_server_config."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from traitlets import Float, Integer, default
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

    blocking_threads = Integer(
        4, min=1, config=True,
        help="Threads of the pool in which hubml handlers do their blocking work (MLflow, "
             "Parquet, SQL, file-system scans), so Jupyter's event loop, and with it kernels "
             "and the editor, never waits for them. Requests beyond this many queue for a "
             "thread. Read when the first request needs the pool.",
    )
    changes_check_seconds = Float(
        0.5, min=0.05, config=True,
        help="How often (seconds) a waiting GET changes request (the panels' long-poll) looks "
             "at the file-system again for a change: a few stat() calls per project, "
             "no MLflow or Parquet work.",
    )
    changes_max_wait_seconds = Float(
        25.0, min=0, config=True,
        help="Longest a GET changes request waits for a change before it answers with the "
             "same fingerprint; its wait= argument is capped at this. 0 turns long-polling "
             "off (every request answers at once).",
    )
    max_running_jobs = Integer(
        min=1, config=True,
        help="Training jobs of this server's user that may run at once, counted across all "
             "of the user's projects; more wait in the user's queue (state 'queued' with a "
             "queue_position; the queue file is hubml/jobs-queue.json in the user's Jupyter "
             "data directory, never inside a project) and start in submission order as "
             "running ones end. Kernels and job processes started by this server get the same "
             "limit through the environment variable HUBML_MAX_RUNNING_JOBS, which is also "
             "this setting's default. Default 1.",
    )

    @default("max_running_jobs")
    def _max_running_jobs_default(self):
        from ..training.queue import running_limit

        return running_limit()

    _executor: ThreadPoolExecutor | None = None

    @property
    def executor(self) -> ThreadPoolExecutor:
        """The bounded pool of ``blocking_threads`` threads (made on first use)."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=self.blocking_threads,
                                                thread_name_prefix="hubml-blocking")
        return self._executor


def hubml_config(settings: dict) -> HubML:
    """The HubML settings stored in the tornado application settings at load (one default
    instance, kept there, when the extension was not loaded through its entry point)."""
    config = settings.get("hubml_config")
    if config is None:
        config = settings["hubml_config"] = HubML()
    return config
