"""A small keep-alive HTTP/1.1 load client on uvloop: a fixed number of requests over N
connections, each connection one request at a time (closed loop, like real clients).

One client for every server in a benchmark, so the figures compare servers, not clients.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass

__all__ = ["LoadResult", "request_bytes", "run_load"]


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def quantile(self, q: float) -> float:
        s = sorted(self.latencies)
        return s[min(len(s) - 1, int(q * len(s)))]

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p99_ms(self) -> float:
        return self.quantile(0.99) * 1000


def request_bytes(path: str, body: bytes, token: str | None = None,
                  content_type: str = "application/json") -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
            f"{auth}Content-Length: {len(body)}\r\n\r\n").encode() + body


async def _one_connection(port: int, request: bytes, count: int, out: list, errors: list):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for _ in range(count):
            t0 = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            chunked = False
            for line in head.split(b"\r\n")[1:]:
                name = line[:line.find(b":")].strip().lower()
                if name == b"content-length":
                    length = int(line.split(b":", 1)[1])
                elif name == b"transfer-encoding" and b"chunked" in line.lower():
                    chunked = True
            if chunked:   # (some servers stream their answers)
                while True:
                    size = int((await reader.readuntil(b"\r\n")).strip(), 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
            else:
                await reader.readexactly(length)
            out.append(time.perf_counter() - t0)
            if head[9:12] != b"200":
                errors.append(head[:40])
    finally:
        writer.close()


def run_load(port: int, request: bytes, total: int, connections: int) -> LoadResult:
    import uvloop

    latencies: list[float] = []
    errors: list = []
    per = [total // connections + (1 if i < total % connections else 0)
           for i in range(connections)]

    async def main():
        await asyncio.gather(*(_one_connection(port, request, n, latencies, errors)
                               for n in per))

    t0 = time.perf_counter()
    uvloop.run(main())
    return LoadResult(len(latencies), len(errors), time.perf_counter() - t0, latencies)
