"""Prometheus metrics of the service: requests, latency and errors per model and version.

With several workers each one writes to ``PROMETHEUS_MULTIPROC_DIR`` (set by ``hubml serve``
before the workers start) and ``/metrics`` adds them up, so one scrape sees every worker.
The label children are cached: ``.labels()`` costs more than ``inc()`` on the hot path.
"""

from __future__ import annotations

import os

__all__ = ["Metrics"]

_BUCKETS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0)


class Metrics:
    def __init__(self):
        from prometheus_client import CollectorRegistry, Counter, Histogram

        self.registry = CollectorRegistry(auto_describe=True)
        self.multiprocess = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
        self._requests = Counter("hubml_serve_requests", "Prediction requests answered",
                                 ["model", "version", "protocol", "status"],
                                 registry=self.registry)
        self._errors = Counter("hubml_serve_errors", "Prediction requests that failed (4xx/5xx)",
                               ["model", "version", "protocol", "status"],
                               registry=self.registry)
        self._latency = Histogram("hubml_serve_request_seconds",
                                  "Time from the request's body to its answer",
                                  ["model", "version", "protocol"], buckets=_BUCKETS,
                                  registry=self.registry)
        self._rows = Counter("hubml_serve_rows", "Rows predicted", ["model", "version"],
                             registry=self.registry)
        self._cache: dict = {}

    def _children(self, model: str, version: str, protocol: str, status: int):
        key = (model, version, protocol, status)
        found = self._cache.get(key)
        if found is None:
            labels = (model, version, protocol, str(status))
            found = (self._requests.labels(*labels),
                     self._errors.labels(*labels) if status >= 400 else None,
                     self._latency.labels(model, version, protocol),
                     self._rows.labels(model, version))
            self._cache[key] = found
        return found

    def observe(self, model: str, version: str, protocol: str, status: int, seconds: float,
                rows: int = 0) -> None:
        requests, errors, latency, row_count = self._children(model, version, protocol, status)
        requests.inc()
        latency.observe(seconds)
        if errors is not None:
            errors.inc()
        if rows:
            row_count.inc(rows)

    def render(self) -> tuple[bytes, str]:
        from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

        if self.multiprocess:
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
