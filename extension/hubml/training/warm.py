"""A warm job worker per user: a process that has imported pandas, scikit-learn, MLflow and
hubml's runner once and forks a job runner per job, so a job starts in milliseconds instead of
the seconds those imports take.

``spawn(job)`` asks the worker (a Unix socket in a folder of the user's, see
:func:`socket_path`) to fork; the child becomes its own session and process group
(``setsid``), so ``job.cancel()`` still signals the whole group (SIGTERM, then SIGKILL); it
writes to the job's log.txt and runs :func:`hubml.training.runner.main` like a cold runner.
The worker reaps its children. It is detached from the Jupyter server (a restarted server
finds running jobs and the worker as they were) and exits when idle for :data:`IDLE_EXIT`
seconds (``HUBML_WORKER_IDLE``) or when hubml's code or the interpreter changed (the socket's
name carries a stamp of both, so a new worker starts). Without a worker (none yet,
``HUBML_WARM_WORKER=0``, no Unix sockets) a job starts cold and a worker is started for the
next ones.

``python -m hubml.training.warm <socket>`` runs the worker.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["ENV", "IDLE_ENV", "IDLE_EXIT", "PRELOAD_ENV", "ensure_started", "process_start",
           "serve", "socket_path", "spawn", "stamp"]

ENV = "HUBML_WARM_WORKER"            # "0": never use a warm worker
PRELOAD_ENV = "HUBML_WORKER_PRELOAD"  # extra modules to import, e.g. "torch,tensorflow"
IDLE_ENV = "HUBML_WORKER_IDLE"       # seconds without a job before the worker exits
IDLE_EXIT = 900.0
CHECK_EVERY = 10.0
# libraries read these when they load, so a worker serves only submitters that agree on them
_IMPORT_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "PYTHONPATH",
               "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", PRELOAD_ENV)
PRELOAD = ("numpy", "pandas", "pyarrow.parquet", "sklearn.ensemble", "sklearn.linear_model",
           "sklearn.pipeline", "sklearn.impute", "mlflow", "mlflow.entities", "mlflow.sklearn",
           "mlflow.store.tracking.sqlalchemy_store", "optuna", "tqdm", "jsonschema",
           "hubml.training.runner", "hubml.training.evaluate", "hubml.training.tuner",
           "hubml.training.parts", "hubml.frameworks.sklearn", "hubml.workspace.projects",
           "hubml.workspace.model_register")


def enabled() -> bool:
    return os.environ.get(ENV, "1").strip() not in ("0", "false", "no") and \
        hasattr(socket, "AF_UNIX") and hasattr(os, "fork")


def stamp(env=None) -> str:
    """Hash of hubml's code (paths, sizes, mtimes), the interpreter and the import settings."""
    env = os.environ if env is None else env
    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(sys.executable.encode())
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        h.update(f"{path}:{info.st_size}:{info.st_mtime_ns}".encode())
    for name in _IMPORT_ENV:
        h.update(f"{name}={env.get(name, '')}".encode())
    return h.hexdigest()[:16]


def socket_path(worker_stamp: str | None = None) -> Path:
    """The worker's socket: one per user and stamp, in a folder only the user can enter (the
    runtime directory, else the temporary one). Not per Jupyter data directory: the request
    carries the submitter's environment, so one worker serves every queue of the user."""
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    folder = Path(base) / f"hubml-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.stat()
        if info.st_uid != os.getuid() or info.st_mode & 0o077:
            os.chmod(folder, 0o700)
    except OSError:
        pass
    return folder / f"worker-{worker_stamp or stamp()}.sock"


def _idle_exit() -> float:
    text = os.environ.get(IDLE_ENV, "")
    try:
        return max(5.0, float(text)) if text else IDLE_EXIT
    except ValueError:
        return IDLE_EXIT


def process_start(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (/proc/<pid>/stat field 22): with
    the pid, it tells a job's runner from a later process that reused the pid."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def spawn(job, timeout: float = 5.0) -> int | None:
    """Fork the job's runner in the warm worker; its pid, or None (start it cold)."""
    if not enabled():
        return None
    path = socket_path()
    if not path.exists():
        ensure_started(path)
        return None
    request = {"job": str(job.path), "cwd": str(job.project.path), "env": dict(os.environ)}
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            conn.connect(str(path))
            conn.sendall(json.dumps(request).encode() + b"\n")
            answer = b""
            while not answer.endswith(b"\n"):
                chunk = conn.recv(4096)
                if not chunk:
                    break
                answer += chunk
        return int(json.loads(answer)["pid"])
    except (ConnectionRefusedError, FileNotFoundError):
        _remove_stale(path)             # its worker was killed: start another for next time
        ensure_started(path)
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return None     # a worker that is exiting: the job starts cold


def ensure_started(path: Path | None = None) -> None:
    """Start the user's worker in the background unless it runs (or warm start is off)."""
    if not enabled():
        return
    path = path or socket_path()
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    package_parent = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH"))
                                        if p)
    with open(path.with_suffix(".log"), "ab") as log:
        # the stamp is of the submitter's settings, not the worker's own PYTHONPATH
        settings = json.dumps({name: os.environ.get(name, "") for name in _IMPORT_ENV})
        process = subprocess.Popen([sys.executable, "-m", "hubml.training.warm", str(path),
                                    settings],
                                   stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True, env=env)
    import threading

    threading.Thread(target=process.wait, name="hubml-warm-worker", daemon=True).start()


def _remove_stale(path: Path) -> None:
    """Remove a socket file nobody listens on (its worker died without cleaning up)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(1.0)
            probe.connect(str(path))
    except (ConnectionRefusedError, FileNotFoundError):
        try:
            path.unlink()
        except FileNotFoundError:
            pass
    except OSError:
        pass


# -- the worker process ---------------------------------------------------------------------
def _reap(signum=None, frame=None) -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _child(request: dict, listener, conn) -> None:
    """In the forked child: become the job's runner (never returns)."""
    code = 1
    try:
        os.setsid()
        listener.close()
        conn.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        folder = Path(request["job"])
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        log = os.open(folder / "log.txt", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        sys.stdout.reconfigure(line_buffering=True, write_through=True)
        sys.stderr.reconfigure(line_buffering=True, write_through=True)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        import random

        import numpy as np

        random.seed()                    # forked children would share the worker's state
        np.random.seed(int.from_bytes(os.urandom(4), "little"))
        from .runner import main

        code = main([str(folder)])
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        # os._exit skips atexit: stop the H2O JVM this job started, or it outlives the job
        h2o_cluster = sys.modules.get("hubml.frameworks._h2o_cluster")
        if h2o_cluster is not None:
            try:
                h2o_cluster.shutdown_cluster()
            except BaseException:  # noqa: BLE001 - the job's result stands either way
                pass
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve(path: Path, settings: dict | None = None) -> None:
    """Preload, listen on ``path`` and fork a runner per request until idle or outdated
    (``settings``: the submitter's import settings, for :func:`stamp`)."""
    import importlib

    mine = path.name
    settings = {**os.environ, **(settings or {})}
    for name in PRELOAD + tuple(m.strip() for m in os.environ.get(PRELOAD_ENV, "").split(",")
                                if m.strip()):
        try:
            importlib.import_module(name)
        except Exception as exc:   # an optional library: jobs import it themselves
            print(f"warm worker: not preloaded {name}: {exc}", flush=True)
    signal.signal(signal.SIGCHLD, _reap)
    old = os.umask(0o077)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    _remove_stale(path)
    try:
        try:
            listener.bind(str(path))
        except OSError:
            print(f"warm worker: {path} is taken; another worker serves it", flush=True)
            return
    finally:
        os.umask(old)
    listener.listen(16)
    listener.settimeout(CHECK_EVERY)
    print(f"warm worker {os.getpid()} ready on {path}", flush=True)
    last = time.monotonic()
    try:
        while True:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                outdated = socket_path(stamp(settings)).name != mine
                if time.monotonic() - last > _idle_exit() or outdated or not path.exists():
                    break
                continue
            except InterruptedError:
                continue
            last = time.monotonic()
            with conn:
                try:
                    conn.settimeout(5.0)
                    data = b""
                    while not data.endswith(b"\n"):
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                    request = json.loads(data)
                    pid = os.fork()
                    if pid == 0:
                        _child(request, listener, conn)
                    conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
                except (OSError, ValueError, KeyError, TypeError) as exc:
                    print(f"warm worker: bad request: {exc}", flush=True)
    finally:
        listener.close()
        try:
            if path.exists():
                path.unlink()
        except OSError:
            pass
        print(f"warm worker {os.getpid()} exits", flush=True)


if __name__ == "__main__":
    serve(Path(sys.argv[1]), json.loads(sys.argv[2]) if len(sys.argv) > 2 else None)
