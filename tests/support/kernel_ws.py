"""A small client of a Jupyter server's kernel websocket (``/api/kernels/<id>/channels``), in
both protocols: legacy JSON and the binary ``v1.kernel.websocket.jupyter.org``."""

from __future__ import annotations

import json
import re
import time
import uuid

import websocket

__all__ = ["V1", "KernelSocket", "kernel_id_of"]

V1 = "v1.kernel.websocket.jupyter.org"


def kernel_id_of(page_html: str) -> str:
    """The kernel a rendered Voila page runs on (its page config's ``kernelId``)."""
    found = re.search(r'"kernelId":\s*"([0-9a-f\-]{36})"', page_html)
    assert found, "no kernelId in the Voila page"
    return found.group(1)


def _pack_v1(channel: str, msg: dict) -> bytes:
    parts = [channel.encode()] + [json.dumps(msg[k]).encode() for k in
                                  ("header", "parent_header", "metadata", "content")]
    offsets, at = [], 8 * (len(parts) + 2)
    for part in parts:
        offsets.append(at)
        at += len(part)
    offsets.append(at)
    head = (len(offsets)).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little")
                                                            for o in offsets)
    return head + b"".join(parts)


def _unpack_v1(data: bytes) -> dict:
    n = int.from_bytes(data[:8], "little")
    offsets = [int.from_bytes(data[8 * (i + 1):8 * (i + 2)], "little") for i in range(n)]
    parts = [data[offsets[i]:offsets[i + 1]] for i in range(n - 1)]
    msg = {k: json.loads(parts[i + 1]) for i, k in
           enumerate(("header", "parent_header", "metadata", "content"))}
    msg["channel"] = parts[0].decode()
    return msg


class KernelSocket:
    """One websocket to a kernel; ``send`` a request, ``collect`` what comes back."""

    def __init__(self, base: str, kernel_id: str, token: str, protocol: str | None = None):
        url = base.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels"
        self.session = uuid.uuid4().hex
        header = [f"Authorization: token {token}"]
        self.ws = websocket.create_connection(
            f"{url}?session_id={self.session}", header=header, suppress_origin=True,
            subprotocols=[protocol] if protocol else None, timeout=30)
        self.v1 = self.ws.subprotocol == V1
        self.frames: set[str] = set()   # "binary" and/or "text": what the server sent
        self.seen: list[dict] = []

    def send(self, msg_type: str, content: dict, channel: str = "shell") -> str:
        msg_id = uuid.uuid4().hex
        msg = {"header": {"msg_id": msg_id, "msg_type": msg_type, "session": self.session,
                          "username": "", "version": "5.3", "date": ""},
               "parent_header": {}, "metadata": {}, "content": content}
        if self.v1:
            self.ws.send_binary(_pack_v1(channel, msg))
        else:
            self.ws.send(json.dumps({**msg, "channel": channel}))
        return msg_id

    def collect(self, until, timeout: float = 30) -> list[dict]:
        """Messages until ``until(msg)`` is true or ``timeout`` passes; all kept in ``seen``."""
        deadline = time.monotonic() + timeout
        got = []
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                data = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                break
            self.frames.add("binary" if isinstance(data, bytes) else "text")
            msg = _unpack_v1(data) if isinstance(data, bytes) else json.loads(data)
            got.append(msg)
            self.seen.append(msg)
            if until(msg):
                break
        return got

    def close(self):
        self.ws.close()
