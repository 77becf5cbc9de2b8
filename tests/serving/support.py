"""A real ``hubml serve`` process on a free loopback port, and a small keep-alive HTTP client
for load tests (raw asyncio: one request at a time per connection, like a real client)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.ports import free_port

__all__ = ["TOKEN", "ServeProcess", "load"]

TOKEN = "serve-test-token-0123456789"
BIN = Path(sys.executable).parent


class ServeProcess:
    """``with ServeProcess(root, "clf@production") as s: s.post(...)``."""

    def __init__(self, root, *models, project="serve", workers=1, extra=(), env=None,
                 token=TOKEN, log=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = [sys.executable, "-m", "hubml.cli", "serve", "--project", project,
                     *models, "--port", str(self.port), "--workers", str(workers), *extra]
        self.env = {**os.environ, "HUBML_PROJECT_ROOTS": str(root),
                    "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
                    **(env or {})}
        if token is not None:
            self.env["HUBML_SERVE_TOKEN"] = token
        self.env.pop("HUBML_TRACKING_URI", None)
        self.token = token
        self.log_path = log
        self.proc = None
        self.client = None

    def start(self, timeout=90.0) -> ServeProcess:
        out = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(self.args, env=self.env, stdout=out,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.client = httpx.Client(base_url=self.url, timeout=30,
                                   headers={"Authorization": f"Bearer {self.token}"})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hubml serve exited with {self.proc.returncode}: "
                                   f"{self.log_text()}")
            try:
                if self.client.get("/v2/health/ready").status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"hubml serve not ready in {timeout} s: {self.log_text()}")

    def log_text(self) -> str:
        return Path(self.log_path).read_text()[-3000:] if self.log_path else "(no log kept)"

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)   # the session: uvicorn and its workers
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)

    def __enter__(self) -> ServeProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def post(self, path, json=None, **kwargs):
        return self.client.post(path, json=json, **kwargs)


async def _connection(host, port, request: bytes, count: int, results: list, stop=None):
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for _ in range(count):
            if stop is not None and stop.is_set():
                break
            t0 = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            body = await reader.readexactly(length)
            results.append((status, time.perf_counter() - t0, body))
    finally:
        writer.close()


def http_request(path: str, body: bytes, token: str | None, host="127.0.0.1",
                 content_type="application/json", extra: str = "") -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n{auth}"
            f"{extra}Content-Length: {len(body)}\r\n\r\n").encode() + body


def load(port: int, request: bytes, total: int, connections: int) -> list:
    """``total`` requests over ``connections`` keep-alive connections; [(status, s, body)]."""
    results: list = []

    async def main():
        per = [total // connections + (1 if i < total % connections else 0)
               for i in range(connections)]
        await asyncio.gather(*(_connection("127.0.0.1", port, request, n, results)
                               for n in per))

    asyncio.run(main())
    return results
