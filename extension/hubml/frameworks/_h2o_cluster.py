"""One local H2O cluster (a JVM) per Python process, started on first use, stopped at exit.

H2O's own ``h2o.init()`` connects to localhost:54321 or spawns yet another JVM there, which is
what MLflow's h2o pyfunc loader calls. While our cluster runs, a bare ``h2o.init()`` (no address
given) is answered by it instead, so loading an MLflow model in this process starts no second JVM.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import shutil
import socket
import sys
import tempfile
import threading
import uuid
import warnings
from pathlib import Path

__all__ = ["ClusterInfo", "INIT_SETTINGS", "default_ice_root", "running", "shutdown_cluster",
           "start_cluster"]

# what a process that loads a saved model without hubml passes to h2o.init (mlflow's h2o.yaml)
INIT_SETTINGS = {"nthreads": -1, "max_mem_size": "1G", "bind_to_localhost": True,
                 "verbose": False}
_ADDRESS_ARGS = ("url", "ip", "port", "https", "username", "password", "name")

_lock = threading.RLock()
_state: dict = {}          # {"info": ClusterInfo, "tempdir": str | None, "init": original h2o.init}


class ClusterInfo(dict):
    """``{"url", "ice_root", "name"}`` of the running cluster."""


def default_ice_root() -> Path | None:
    """``$HUBML_H2O_ICE_ROOT``, else ``$HUBML_PROJECT_DIR/h2o-ice``, else None (a temp folder)."""
    if os.environ.get("HUBML_H2O_ICE_ROOT"):
        return Path(os.environ["HUBML_H2O_ICE_ROOT"])
    if os.environ.get("HUBML_PROJECT_DIR"):
        return Path(os.environ["HUBML_PROJECT_DIR"]) / "h2o-ice"
    return None


def running() -> ClusterInfo | None:
    """The cluster this process started, if it still answers."""
    with _lock:
        info = _state.get("info")
        if info is None:
            return None
        import h2o

        try:
            if h2o.connection() is not None and h2o.cluster().is_running():
                return info
        except Exception:  # a closed connection raises instead of answering False
            pass
        _forget()
        return None


def _telemetry_off() -> dict:
    """``telemetry=False`` where the installed h2o knows it (3.46.0.10 and later)."""
    import inspect

    import h2o

    source = inspect.getsource(h2o.init)
    return {"telemetry": False} if '"telemetry"' in source or "telemetry" in \
        inspect.signature(h2o.init).parameters else {}


def start_cluster(ice_root=None, nthreads: int = -1, max_mem_size: str | None = None
                  ) -> ClusterInfo:
    """Start the process's H2O cluster once and return it; later calls return the same one.

    ``ice_root`` (H2O's scratch folder, created if missing) defaults to :func:`default_ice_root`;
    ``max_mem_size`` (JVM heap) to ``$HUBML_H2O_MAX_MEM_SIZE``, else "1G".
    """
    with _lock:
        info = running()
        if info is not None:
            return info
        import h2o

        folder = Path(ice_root) if ice_root is not None else default_ice_root()
        tempdir = None
        if folder is None:
            tempdir = folder = Path(tempfile.mkdtemp(prefix="hubml-h2o-ice-"))
        folder = folder.resolve()
        folder.mkdir(parents=True, exist_ok=True)   # H2O refuses an ice_root that does not exist
        name = f"hubml_{os.getpid()}_{uuid.uuid4().hex[:8]}"   # never attach to another's JVM
        original_init = _state.get("init") or h2o.init
        out = io.StringIO()   # h2o prints version nags even with verbose=False
        try:
            with contextlib.redirect_stdout(out):
                original_init(ip="127.0.0.1", port=_free_port(), name=name, nthreads=nthreads,
                              max_mem_size=max_mem_size or os.environ.get(
                                  "HUBML_H2O_MAX_MEM_SIZE", "1G"), ice_root=str(folder),
                              bind_to_localhost=True, enable_assertions=False, verbose=False,
                              **_telemetry_off())
        except Exception:
            sys.stderr.write(out.getvalue())
            if tempdir:
                shutil.rmtree(tempdir, ignore_errors=True)
            raise
        info = ClusterInfo(url=h2o.connection().base_url, ice_root=str(folder), name=name)
        _state.update(info=info, tempdir=str(tempdir) if tempdir else None, init=original_init)
        h2o.init = _guarded_init
        # mlflow's h2o pyfunc converts with as_data_frame(), which advises installing polars
        warnings.filterwarnings("ignore", message="Converting H2O frame to pandas")
        if not _state.get("atexit"):
            atexit.register(shutdown_cluster)
            _state["atexit"] = True
        return info


def shutdown_cluster() -> None:
    """Stop the cluster this process started (also run at interpreter exit)."""
    with _lock:
        if "info" not in _state:
            return
        import h2o

        try:
            h2o.cluster().shutdown()
        except Exception:  # already gone: nothing to stop
            pass
        server = getattr(h2o.connection(), "local_server", None) if h2o.connection() else None
        if server is not None:   # make sure the JVM process is gone, not only asked to go
            server.shutdown()
        _forget()


def _forget() -> None:
    import h2o

    if _state.get("init") is not None:
        h2o.init = _state["init"]
    tempdir = _state.pop("tempdir", None)
    _state.pop("info", None)
    if tempdir:
        shutil.rmtree(tempdir, ignore_errors=True)


def _guarded_init(*args, **kwargs):
    """``h2o.init`` that reuses our running cluster unless an address is asked for."""
    if not args and not any(kwargs.get(k) is not None for k in _ADDRESS_ARGS) and running():
        return None
    return _state["init"](*args, **kwargs)


def _free_port() -> int:
    """A loopback port p with p+1 free too (H2O listens on both)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        try:
            with socket.socket() as a, socket.socket() as b:
                a.bind(("127.0.0.1", port))
                b.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no two adjacent free loopback ports for H2O")
