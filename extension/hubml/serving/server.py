"""Starting the service: configuration, one thread per worker, uvicorn with uvloop + httptools.

``serve(config)`` runs uvicorn; with ``workers > 1`` uvicorn's supervisor starts that many
processes, each building its app with :func:`app_from_env` from the configuration passed in
the environment (``HUBML_SERVE_CONFIG``, JSON; the token stays in its own variable). uvloop
keeps TCP_NODELAY on accepted sockets in the workers too (asyncio's default loop there lost
it: about +40 ms per keep-alive request, see DESIGN.md).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from dataclasses import asdict, dataclass, field

__all__ = ["ServeConfig", "app_from_env", "build_app", "pin_threads", "serve"]

CONFIG_ENV = "HUBML_SERVE_CONFIG"
_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")


@dataclass
class ServeConfig:
    project: str
    models: list[str]
    root: str | None = None
    host: str = "127.0.0.1"
    port: int = 5000
    workers: int = 1
    token_env: str | None = None
    auth: str | None = None              # MODULE:NAME of an authenticate hook
    max_body: int = 16 << 20
    compile: str = "auto"                # "auto": ONNX when checked equal; "off"
    poll: float = 1.0
    retrain_schedule: str | None = None
    retrain_min_rows: int | None = None
    run_dir: str | None = None
    log_level: str = "warning"
    extra: dict = field(default_factory=dict)


def pin_threads() -> None:
    """One thread per worker for every numeric library: under load, threads of several
    workers (and of OpenMP) fight over the cores (7-34 ms per predict against 0.7 ms)."""
    for name in _THREAD_ENV:
        os.environ.setdefault(name, "1")
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)   # stays in force: nothing restores it
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)


def build_app(config: ServeConfig):
    import hubml

    from .. import __version__ as version
    from .app import ServingApp
    from .auth import load_authenticator
    from .registry import Models, parse_spec
    from .retrain_routes import RetrainRoutes

    pin_threads()
    logging.basicConfig(level=config.log_level.upper(),
                        format="%(asctime)s %(levelname)s hubml.serve[%(process)d] %(message)s")
    logging.getLogger("hubml.serving").setLevel(logging.INFO)
    project = hubml.project(config.project, root=config.root)
    specs = [parse_spec(s) for s in config.models]
    models = Models(project, specs, compile=config.compile, poll=config.poll)
    authenticate = load_authenticator(config.auth, config.token_env)
    first = specs[0]
    retrain = RetrainRoutes(project, first.name, first.alias, config.retrain_schedule,
                            config.retrain_min_rows, lock_dir=config.run_dir)
    return ServingApp(models, authenticate, max_body=config.max_body, retrain=retrain,
                      version=version)


def app_from_env():
    """uvicorn's factory in each worker."""
    return build_app(ServeConfig(**json.loads(os.environ[CONFIG_ENV])))


def check(config: ServeConfig) -> None:
    """What can be checked before starting, with a message instead of a worker's traceback:
    the names, the token, the project, that each model (version, alias) exists."""
    import hubml

    from .auth import load_authenticator
    from .registry import Models, parse_spec

    specs = [parse_spec(s) for s in config.models]
    Models(None, specs)
    load_authenticator(config.auth, config.token_env)
    project = hubml.project(config.project, root=config.root)
    for spec in specs:
        project.model(spec.name).version(spec.version, spec.alias)


def serve(config: ServeConfig) -> None:
    import uvicorn

    check(config)
    for name in _THREAD_ENV:
        os.environ.setdefault(name, "1")
    run_dir = config.run_dir or tempfile.mkdtemp(prefix="hubml-serve-")
    config.run_dir = run_dir
    if config.workers > 1:   # one /metrics over all workers
        metrics_dir = os.path.join(run_dir, "metrics")
        os.makedirs(metrics_dir, exist_ok=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    os.environ[CONFIG_ENV] = json.dumps(asdict(config))
    uvicorn.run("hubml.serving.server:app_from_env", factory=True, host=config.host,
                port=config.port, workers=config.workers, loop="uvloop", http="httptools",
                lifespan="on", access_log=False, log_level=config.log_level,
                timeout_keep_alive=30)
