"""The kernel websocket of a published dashboard (``ServerApp.kernel_websocket_connection_class``).

Voila runs the notebook on the server; the page in a viewer's browser only needs widget traffic.
Anyone but the owner may therefore send only comm messages, ``kernel_info_request`` and
``input_reply``: an ``execute_request`` (or inspect, complete, history, shutdown, debug, any
control message) would run as the owner, with the owner's files, and is dropped with a log line
and an error reply. Both websocket protocols are parsed (legacy JSON and the binary
``v1.kernel.websocket.jupyter.org``, also when a proxy relays its frames as text), the message
type read from the header the kernel gets.

Comm messages reach the kernel's registered comm targets; ipywidgets' ("jupyter.widget",
"jupyter.widget.control") set widget state and call widget handlers, they never execute code.
"""

from __future__ import annotations

import json
import os

from jupyter_client.jsonutil import json_default
from jupyter_server.services.kernels.connection.base import (
    deserialize_binary_message,
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

__all__ = ["VIEWER_MESSAGES", "DashboardKernelConnection", "viewer_may_send"]

V1 = "v1.kernel.websocket.jupyter.org"
# (channel, msg_type) a Voila page sends; everything else from a viewer is dropped
VIEWER_MESSAGES = frozenset({
    ("shell", "comm_open"), ("shell", "comm_msg"), ("shell", "comm_close"),
    ("shell", "comm_info_request"), ("shell", "kernel_info_request"),
    ("stdin", "input_reply"),
})


def viewer_may_send(channel, msg_type) -> bool:
    return (channel, msg_type) in VIEWER_MESSAGES


class DashboardKernelConnection(ZMQChannelsWebsocketConnection):
    """The owner's messages pass unchanged; a viewer's only as :data:`VIEWER_MESSAGES`."""

    def _is_owner(self) -> bool:
        owner = os.environ.get("JUPYTERHUB_USER")
        user = getattr(self.websocket_handler, "current_user", None)
        return bool(owner) and getattr(user, "username", None) == owner

    def _parse(self, ws_msg):
        """(channel, header) of an incoming message, as the kernel would get them."""
        if self.subprotocol == V1:
            channel, msg_list = deserialize_msg_from_ws_v1(ws_msg)
            header = self.session.unpack(msg_list[0]) if msg_list else None
        else:
            msg = (deserialize_binary_message(ws_msg) if isinstance(ws_msg, bytes)
                   else json.loads(ws_msg))
            channel, header = msg.get("channel") or "shell", msg.get("header")
        return channel, header if isinstance(header, dict) else None

    def handle_incoming_message(self, incoming_msg) -> None:
        if self.subprotocol == V1 and isinstance(incoming_msg, str):
            # a v1 frame relayed as text (the Python configurable-http-proxy forwards client
            # frames with write_message(message), i.e. as text): its bytes, as sent
            incoming_msg = incoming_msg.encode("utf-8", "surrogateescape")
        if self._is_owner():
            return super().handle_incoming_message(incoming_msg)
        try:
            channel, header = self._parse(incoming_msg)
        except Exception:  # noqa: BLE001 - whatever cannot be read is not forwarded
            channel, header = None, None
        msg_type = header.get("msg_type") if header else None
        if viewer_may_send(channel, msg_type):
            return super().handle_incoming_message(incoming_msg)
        user = getattr(getattr(self.websocket_handler, "current_user", None), "username", "?")
        self.log.warning("hubml dashboard: dropped %r on %r from viewer %s of kernel %s",
                         msg_type, channel, user, self.kernel_id)
        if header and isinstance(msg_type, str) and channel in ("shell", "control"):
            self._refuse(channel, msg_type, header)

    def _refuse(self, channel: str, msg_type: str, parent: dict) -> None:
        """An error reply to the dropped request, so the sender does not wait for one."""
        reply_type = msg_type[:-len("_request")] + "_reply" if msg_type.endswith(
            "_request") else "error"
        content = {"status": "error", "ename": "PermissionError",
                   "evalue": "this dashboard runs its own code only", "traceback": []}
        reply = self.session.msg(reply_type, content=content, parent=parent)
        try:
            if self.subprotocol == V1:
                self.write_message(serialize_msg_to_ws_v1(reply, channel, self.session.pack),
                                   binary=True)
            else:
                reply["channel"] = channel
                self.write_message(json.dumps(reply, default=json_default))
        except Exception as exc:  # noqa: BLE001 - the socket may be closing; the drop stands
            self.log.debug("hubml dashboard: no error reply sent: %s", exc)
