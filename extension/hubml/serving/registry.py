"""Which version of each served model answers, and following an alias when it moves.

A served model is named ``NAME`` (its latest version, followed), ``NAME:VERSION`` (fixed) or
``NAME@ALIAS`` (followed). A background task polls the registry every ``poll`` seconds, but
asks MLflow only when the project's store files changed since the last look (a few ``stat``
calls; a shared store is always asked). A new version is loaded off the event loop, then
swapped in with one assignment on the loop: a request holds the model object it started
with, so none fails during the switch, and the old version is dropped once the requests
that still use it are done (drained).
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field

from ..errors import InvalidInput
from ._messages import msg
from .model import ServedModel, compile_served, load_served

__all__ = ["ModelSpec", "Models", "Slot", "parse_spec"]

log = logging.getLogger("hubml.serving")

_SPEC = re.compile(r"^(?P<name>[^:@\s]+)(?::(?P<version>\d+)|@(?P<alias>[^:@\s]+))?$")


@dataclass(frozen=True)
class ModelSpec:
    name: str
    version: int | None = None
    alias: str | None = None

    @property
    def follows(self) -> bool:
        return self.version is None

    def __str__(self) -> str:
        return self.name + (f":{self.version}" if self.version else
                            f"@{self.alias}" if self.alias else "")


def parse_spec(text: str) -> ModelSpec:
    m = _SPEC.match(text.strip())
    if not m:
        raise InvalidInput(msg("serve.spec.bad", spec=text), details={"field": "model"})
    version = m.group("version")
    return ModelSpec(m.group("name"), int(version) if version else None, m.group("alias"))


@dataclass(eq=False)
class Slot:
    spec: ModelSpec
    current: ServedModel | None = None
    error: str | None = None
    switches: int = 0
    draining: list = field(default_factory=list)


class Models:
    def __init__(self, project, specs: list[ModelSpec], compile: str = "auto",
                 poll: float = 1.0):
        names = [s.name for s in specs]
        for name in names:
            if names.count(name) > 1:
                raise InvalidInput(msg("serve.spec.twice", name=name),
                                   details={"field": "model"})
        self.project, self.compile, self.poll = project, compile, poll
        self.slots = {s.name: Slot(s) for s in specs}
        self._fingerprint = None

    @property
    def ready(self) -> bool:
        return all(s.current is not None for s in self.slots.values())

    def names(self) -> str:
        return ", ".join(self.slots)

    # -- blocking work (threads) ----------------------------------------------------
    def resolve(self, spec: ModelSpec):
        """The ModelVersion the spec names right now."""
        return self.project.model(spec.name).version(spec.version, spec.alias)

    def load(self, spec: ModelSpec, defer: bool = False) -> ServedModel:
        from .server import pin_threads

        served = load_served(self.resolve(spec), compile=self.compile, defer=defer)
        pin_threads()   # again: loading may have imported torch, which starts its own pool
        log.info("serving %s as version %s (%s)", spec, served.version, served.kind)
        return served

    def _store_fingerprint(self):
        from ..workspace.store import shared_store

        if shared_store():
            return None   # not files of this project: always ask
        folder = self.project.hubml_dir
        out = []
        for name in ("mlflow.db", "mlflow.db-wal"):
            try:
                st = (folder / name).stat()
                out.append((st.st_mtime_ns, st.st_size))
            except OSError:
                out.append(None)
        return tuple(out)

    def changed_versions(self) -> dict[str, object]:
        """{name: ModelVersion} for the followed models whose version moved."""
        fingerprint = self._store_fingerprint()
        if fingerprint is not None and fingerprint == self._fingerprint:
            return {}
        self._fingerprint = fingerprint
        moved = {}
        for name, slot in self.slots.items():
            if not slot.spec.follows or slot.current is None:
                continue
            try:
                mv = self.resolve(slot.spec)
            except Exception as exc:  # noqa: BLE001 - an alias deleted: keep serving
                log.warning("cannot resolve %s (%s); still serving version %s", slot.spec,
                            exc, slot.current.version)
                self._fingerprint = None   # look again next time
                continue
            if mv.version != slot.current.version:
                moved[name] = mv
        return moved

    # -- on the event loop ----------------------------------------------------------
    async def load_all(self, compile: bool = True) -> None:
        """Load every model (off the loop); a failure is logged (and retried by watch())."""
        for slot in self.slots.values():
            try:
                slot.current = await asyncio.to_thread(self.load, slot.spec, True)
                slot.error = None
            except Exception as exc:  # noqa: BLE001 - readiness stays false, said in the log
                slot.error = str(exc)
                log.error("cannot load %s: %s", slot.spec, exc)
        if compile:
            await self.compile_all()

    async def compile_all(self) -> None:
        """The compiled forms of the loaded models (checked, then switched in)."""
        for slot in self.slots.values():
            if slot.current is not None and slot.current._pending is not None:
                try:
                    await asyncio.to_thread(compile_served, slot.current)
                except Exception as exc:  # noqa: BLE001 - the native model keeps serving
                    log.warning("%s: no compiled form (%s)", slot.spec, exc)
        _freeze()

    async def watch(self) -> None:
        while True:
            await asyncio.sleep(self.poll)
            try:
                if not self.ready:
                    await self.load_all()
                    continue
                moved = await asyncio.to_thread(self.changed_versions)
                for name, mv in moved.items():
                    new = await asyncio.to_thread(load_served, mv, self.compile)
                    if new.framework == "torch":
                        from .server import pin_threads

                        pin_threads()
                    self.swap(name, new)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the service keeps its current models
                log.error("model watch: %s", exc)
                self._fingerprint = None

    def swap(self, name: str, new: ServedModel) -> None:
        slot = self.slots[name]
        old, slot.current = slot.current, new
        _freeze()
        slot.switches += 1
        log.info("%s: version %s -> %s (%s)", slot.spec, old.version if old else None,
                    new.version, new.kind)
        if old is not None:
            asyncio.get_running_loop().create_task(self._drain(slot, old))

    async def _drain(self, slot: Slot, old: ServedModel) -> None:
        slot.draining.append(old)
        while old.inflight > 0:
            await asyncio.sleep(0.05)
        slot.draining.remove(old)
        log.info("%s: version %s drained", slot.spec, old.version)


def _freeze() -> None:
    """Move what loading made (modules, models: about a million objects) out of the garbage
    collector's sight: otherwise a full collection walks them all, a pause of tens of ms in
    the middle of some request. Requests' own short-lived objects are still collected."""
    import gc

    gc.collect()
    gc.freeze()
