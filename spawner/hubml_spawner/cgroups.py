"""CPU and memory limits for users' servers on the embedded hub, with Linux cgroups.

KubeSpawner gets limits from Kubernetes; a LocalProcessSpawner has none, so the catalog's
"up to 2 CPU · 4 GB" would only be a promise. Run as root, each server gets a cgroup of its
own, below the hub's own cgroup (so the hub's limits still hold), with the profile's limits;
the server joins it before it execs, so its kernels, terminals and training jobs (its child
processes) are limited too. Both cgroup v2 (unified) and v1 (separate memory and cpu
hierarchies, as on these machines) work. Where neither is writable, limits are advisory and
the options form says so.

``limit_files`` is pure (what to write where); ``ServerCgroup`` does the file system work.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CgroupLayout", "ServerCgroup", "detect", "limit_files"]

ROOT = Path("/sys/fs/cgroup")
CFS_PERIOD_US = 100_000  # the kernel's default scheduling period


@dataclass(frozen=True)
class CgroupLayout:
    """Where servers' cgroups go: ``version`` 1 or 2 and, per controller, the parent folder
    (v2 has one folder for both, keyed "unified")."""

    version: int
    parents: dict[str, Path]


def _own_path(controller: str, proc_cgroup: str) -> str:
    """This process's cgroup path for a v1 controller ("memory") or v2 ("")."""
    for line in proc_cgroup.splitlines():
        _id, controllers, path = line.split(":", 2)
        if controller in controllers.split(",") or (controller == "" and _id == "0"):
            return path
    return "/"


def _writable(folder: Path) -> bool:
    return folder.is_dir() and os.access(folder, os.W_OK)


def detect(root: Path = ROOT, proc_cgroup: str | None = None) -> CgroupLayout | None:
    """The layout to use here, or None where limits cannot be enforced."""
    if proc_cgroup is None:
        try:
            proc_cgroup = Path("/proc/self/cgroup").read_text()
        except OSError:
            return None
    if (root / "cgroup.controllers").exists():  # v2: one unified hierarchy
        parent = root / _own_path("", proc_cgroup).lstrip("/")
        controllers = (parent / "cgroup.controllers").read_text().split() \
            if (parent / "cgroup.controllers").exists() else []
        if {"cpu", "memory"} <= set(controllers) and _writable(parent):
            return CgroupLayout(2, {"unified": parent / "hubml"})
        return None
    parents = {}
    for controller in ("memory", "cpu"):
        parent = root / controller / _own_path(controller, proc_cgroup).lstrip("/")
        if not _writable(parent):
            return None
        parents[controller] = parent / "hubml"
    return CgroupLayout(1, parents)


def limit_files(version: int, mem_limit: int | None, cpu_limit: float | None) \
        -> dict[str, dict[str, str]]:
    """``{controller: {file: value}}`` that sets the limits (pure)."""
    quota = str(max(1000, round(cpu_limit * CFS_PERIOD_US))) if cpu_limit else None
    if version == 2:
        files = {}
        if mem_limit:
            files["memory.max"] = str(mem_limit)
        if quota:
            files["cpu.max"] = f"{quota} {CFS_PERIOD_US}"
        return {"unified": files}
    out: dict[str, dict[str, str]] = {"memory": {}, "cpu": {}}
    if mem_limit:
        out["memory"]["memory.limit_in_bytes"] = str(mem_limit)
    if quota:
        out["cpu"] = {"cpu.cfs_period_us": str(CFS_PERIOD_US), "cpu.cfs_quota_us": quota}
    return out


class ServerCgroup:
    """The cgroup of one user's server: made with its limits, joined by the server process
    before exec, removed (its leftover processes killed) when the server stops."""

    def __init__(self, layout: CgroupLayout, name: str):
        self.layout, self.name = layout, name
        self.folders = {c: parent / name for c, parent in layout.parents.items()}

    def create(self, mem_limit: int | None, cpu_limit: float | None) -> None:
        if self.layout.version == 2:
            self._enable_v2_controllers()
        files = limit_files(self.layout.version, mem_limit, cpu_limit)
        for controller, folder in self.folders.items():
            folder.mkdir(parents=True, exist_ok=True)
            for name, value in files.get(controller, {}).items():
                (folder / name).write_text(value)

    def _enable_v2_controllers(self) -> None:
        # v2 hands controllers down one level at a time: enable cpu and memory for the
        # children of the hub's cgroup and of our "hubml" folder
        parent = self.layout.parents["unified"]
        parent.mkdir(exist_ok=True)
        for folder in (parent.parent, parent):
            (folder / "cgroup.subtree_control").write_text("+cpu +memory")

    def join(self) -> None:
        """Move the calling process here (runs in the child, before it drops root)."""
        pid = str(os.getpid())
        for folder in self.folders.values():
            (folder / "cgroup.procs").write_text(pid)

    def _empty(self) -> bool:
        try:
            return all(not (f / "cgroup.procs").read_text().strip()
                       for f in self.folders.values())
        except OSError:
            return True

    def remove(self, wait: float = 10.0) -> None:
        """Remove the folders once empty (the server's kernels take a moment to exit).
        Processes left behind longer (a training job still running) keep them, and keep
        their limits; the next start of this server joins the same cgroup, so the two share
        the profile's limits as they should."""
        deadline = time.monotonic() + wait
        while not self._empty() and time.monotonic() < deadline:
            time.sleep(0.1)
        for folder in self.folders.values():
            try:
                folder.rmdir()
            except OSError:
                pass
