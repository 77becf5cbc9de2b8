"""Bounded load on loopback: a fixed number of requests over keep-alive connections, zero
errors; the production alias moved during the load: zero failed requests, and the new version
answers soon after (polled; how soon is the benchmark's business)."""

import asyncio
import re
import threading
import time

import orjson
import pytest

from tests.serving.conftest import FEATURES
from tests.serving.support import TOKEN, ServeProcess, _connection, http_request, load

ROW = {"dataframe_split": {"columns": FEATURES, "data": [[0.3, -0.2, 0.5, 1.0, 0.0, 0.1]]}}
V2 = {"inputs": [{"name": "input-0", "shape": [1, 6], "datatype": "FP64",
                  "data": [0.3, -0.2, 0.5, 1.0, 0.0, 0.1]}]}


def _count(metrics: str, model="clf") -> float:
    pattern = (r'hubml_serve_requests_total\{model="' + model +
               r'",protocol="mlflow",status="200",version="\d+"\} ([0-9.e+]+)')
    return sum(float(v) for v in re.findall(pattern, metrics))


@pytest.mark.parametrize("workers", [1, 2])
def test_bounded_load_no_errors(serve_root, tmp_path, workers):
    with ServeProcess(serve_root, "clf:1", workers=workers, log=tmp_path / "serve.log") as s:
        results = load(s.port, http_request("/invocations", orjson.dumps(ROW), TOKEN),
                       total=2000, connections=8)
        assert len(results) == 2000
        failed = [(status, body[:200]) for status, _, body in results if status != 200]
        assert failed == []
        assert {orjson.loads(body)["predictions"][0] for _, _, body in results} <= {"yes", "no"}
        # every worker's requests are counted in one /metrics (polled: workers flush as they go)
        assert _count(s.client.get("/metrics").text) >= 2000
        assert s.alive()


def test_alias_moves_under_load(serve_root, project, tmp_path):
    model = project.model("clf")
    assert model.aliases()["production"] == 1
    request = http_request("/v2/models/clf/infer", orjson.dumps(V2), TOKEN)
    with ServeProcess(serve_root, "clf@production", log=tmp_path / "serve.log") as s:
        results: list = []
        stop = threading.Event()

        def run():
            async def main():
                await asyncio.gather(*(_connection("127.0.0.1", s.port, request, 10**9,
                                                   results, stop) for _ in range(8)))
            asyncio.run(main())

        client = threading.Thread(target=run, daemon=True)
        client.start()
        try:
            while len(results) < 300:
                time.sleep(0.05)
            model.set_alias("production", 2)
            moved_at, seen_at = time.monotonic(), None
            deadline = moved_at + 60   # a guard against hanging, not a speed target
            while time.monotonic() < deadline and seen_at is None:
                if any(b'"model_version":"2"' in body for _, _, body in results[-50:]):
                    seen_at = time.monotonic()
                time.sleep(0.02)
            time.sleep(0.5)   # some more requests on the new version
        finally:
            stop.set()
            client.join(30)
            model.set_alias("production", 1)
        print(f"new version served {seen_at - moved_at:.2f} s after the alias moved"
              if seen_at else "new version never served")
        assert seen_at is not None, s.log_text()
        assert [r[0] for r in results if r[0] != 200] == []
        versions = [orjson.loads(body)["model_version"] for _, _, body in results]
        first_new = versions.index("2")
        assert set(versions[:first_new]) == {"1"}
        # once switched, no request goes back to the old version
        assert set(versions[first_new + 8:]) == {"2"}, "old version answered after the switch"
        assert "clf@production: version 1 -> 2" in s.log_text()
        assert "clf@production: version 1 drained" in s.log_text()
