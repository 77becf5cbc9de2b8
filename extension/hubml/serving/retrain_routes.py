"""``POST /train`` and ``GET /training`` of the service, over ``serving.retrain.Retrainer``.

The Retrainer (another module) is imported lazily: without it the routes answer 501 with a
message. Its blocking methods run in a thread. With a schedule or a row threshold it is
started with the service; with several workers only the one that holds the lock file starts
it (one schedule per service, not one per worker); the others still answer /train and
/training (the Retrainer keeps its state in the project's jobs).
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os

from ._messages import msg

__all__ = ["RetrainRoutes"]

log = logging.getLogger("hubml.serving")


class RetrainRoutes:
    def __init__(self, project, model_name: str, alias: str | None, schedule: str | None = None,
                 min_new_rows: int | None = None, lock_dir: str | None = None):
        self.project, self.model_name, self.alias = project, model_name, alias
        self.schedule, self.min_new_rows, self.lock_dir = schedule, min_new_rows, lock_dir
        self._retrainer = None
        self._started = False
        self._lock_fd = None

    @property
    def automatic(self) -> bool:
        return bool(self.schedule or self.min_new_rows)

    def _get(self):
        if self._retrainer is None:
            try:
                from .retrain import Retrainer
            except ImportError:
                from .payload import BadRequest

                raise BadRequest(msg("serve.retrain.missing"), status=501) from None
            self._retrainer = Retrainer(self.project, self.model_name, self.alias,
                                        schedule=self.schedule, min_new_rows=self.min_new_rows)
        return self._retrainer

    def _hold_lock(self) -> bool:
        if not self.lock_dir:
            return True
        fd = os.open(os.path.join(self.lock_dir, "retrain.lock"), os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._lock_fd = fd
        return True

    async def startup(self) -> None:
        if not self.automatic or not self._hold_lock():
            return
        try:
            retrainer = self._get()
        except Exception as exc:  # noqa: BLE001 - serving goes on; the log says why
            log.error("retraining not started: %s", exc)
            return
        await asyncio.to_thread(retrainer.start)
        self._started = True

    async def shutdown(self) -> None:
        if self._started:
            await asyncio.to_thread(self._retrainer.stop)
        if self._lock_fd is not None:
            os.close(self._lock_fd)

    async def trigger(self) -> dict:
        return await asyncio.to_thread(self._get().trigger)

    async def status(self) -> dict:
        return await asyncio.to_thread(self._get().status)
