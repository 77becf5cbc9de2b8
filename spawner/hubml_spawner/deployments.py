"""Deployments: a served model or a published dashboard, run as a named server of its owner.

The way jhub-apps runs apps: the same spawner, the same system account (or pod), the same
cgroup limits, another command. A spawn whose ``user_options`` hold ``hubml_deployment``
(``{"kind": "model", "project", "model", "alias"|"version", "retrain"?}`` or
``{"kind": "dashboard", "project", "path", "query"?}``) starts

- model: ``python -m hubml.serving.deployment --project P MODEL@ALIAS --host IP --port PORT
  --base-url PREFIX`` (``hubml serve`` under the hub's proxy route, checking JupyterHub
  tokens with hubml.serving.hub_auth);
- dashboard: ``jupyterhub-singleuser`` rooted at the project, Voila as its only extension and
  its default URL the notebook's Voila page, so the hub does login and sharing; people it is
  shared with may read and run the page, not change the owner's files
  (hubml.serving.hub_auth.DashboardAuthorizer) nor send code to its kernel
  (hubml.serving.dashboard_ws.DashboardKernelConnection).

Everything here is pure (parsing, the command, the culler's rule); the spawners call it.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

__all__ = [
    "KEY",
    "Deployment",
    "DeploymentRefused",
    "check_server_name",
    "cull_arbiter",
    "dashboard_args",
    "find_project_dir",
    "is_deployment_name",
    "model_command",
    "model_environment",
    "parse_deployment",
    "split_options",
]

KEY = "hubml_deployment"
# named servers of deployments: serve-<model or name>, dash-<name>
PREFIXES = {"model": "serve-", "dashboard": "dash-"}
_SLUG = re.compile(r"[a-z0-9][a-z0-9_\-]{0,62}")
_ALIAS = re.compile(r"[a-z0-9][a-z0-9_\-]{0,62}")
_RETRAIN_KEYS = {"schedule", "interval", "min_new_rows", "metric", "poll_seconds"}
# extensions a dashboard server runs: Voila only (no JupyterLab, terminals or hubml's API)
DASHBOARD_EXTENSIONS = {"voila": True, "jupyterlab": False, "notebook": False,
                        "jupyter_lsp": False, "jupyter_server_terminals": False,
                        "nbclassic": False, "notebook_shim": False, "hubml": False}


class DeploymentRefused(ValueError):
    """A ``hubml_deployment`` option that cannot be started; ``status`` is the HTTP code."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Deployment:
    kind: str                       # "model" | "dashboard"
    project: str
    model: str = ""
    alias: str = ""
    version: int | None = None
    path: str = ""                  # dashboard notebook, relative to the project
    query: dict = field(default_factory=dict)
    retrain: dict = field(default_factory=dict)

    @property
    def model_ref(self) -> str:
        if self.version is not None:
            return f"{self.model}:{self.version}"
        return f"{self.model}@{self.alias or 'production'}"


def _slug(what: str, value) -> str:
    if not isinstance(value, str) or not _SLUG.fullmatch(value):
        raise DeploymentRefused(f"{what} must be a name of lower-case letters, digits, '-' and "
                                f"'_' (got {value!r})")
    return value


def _notebook_path(value) -> str:
    if not isinstance(value, str) or not value.endswith(".ipynb"):
        raise DeploymentRefused("a dashboard's 'path' must be a notebook (.ipynb) inside the "
                                f"project, like 'dashboards/card.ipynb' (got {value!r})")
    norm = posixpath.normpath(value.replace("\\", "/"))
    if norm.startswith(("/", "..")) or "/../" in f"/{norm}/":
        raise DeploymentRefused(f"the dashboard path {value!r} leaves the project; give a path "
                                "relative to the project folder")
    return norm


def _query(value) -> dict:
    if value is None:
        return {}
    ok = isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, (str, int, float, bool)) for k, v in value.items())
    if not ok:
        raise DeploymentRefused("a dashboard's 'query' must be an object of names to plain "
                                "values, like {\"model\": \"churn\"}")
    return {k: str(v) for k, v in value.items()}


def _retrain(value) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict) or set(value) - _RETRAIN_KEYS:
        raise DeploymentRefused(f"'retrain' takes the fields {sorted(_RETRAIN_KEYS)}")
    return dict(value)


def parse_deployment(raw) -> Deployment:
    """Check a ``hubml_deployment`` option; :class:`DeploymentRefused` says what to change."""
    if not isinstance(raw, dict):
        raise DeploymentRefused(f"{KEY} must be an object with a 'kind'")
    kind = raw.get("kind")
    allowed = {"model": {"kind", "project", "model", "alias", "version", "retrain"},
               "dashboard": {"kind", "project", "path", "query"}}
    if kind not in allowed:
        raise DeploymentRefused(f"{KEY}.kind must be 'model' or 'dashboard' (got {kind!r})")
    unknown = sorted(set(raw) - allowed[kind])
    if unknown:
        raise DeploymentRefused(f"unknown field {unknown[0]!r} for a {kind} deployment; "
                                f"known: {sorted(allowed[kind])}")
    project = _slug("'project'", raw.get("project"))
    if kind == "dashboard":
        return Deployment("dashboard", project, path=_notebook_path(raw.get("path")),
                          query=_query(raw.get("query")))
    model = _slug("'model'", raw.get("model"))
    version = raw.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)
                                or version < 1):
        raise DeploymentRefused(f"'version' must be a whole number from 1 (got {version!r})")
    alias = raw.get("alias") or ""
    if alias and version is not None:
        raise DeploymentRefused("give either 'alias' or 'version', not both")
    if alias and not _ALIAS.fullmatch(alias):
        raise DeploymentRefused(f"'alias' must be an alias name (got {alias!r})")
    return Deployment("model", project, model=model, alias=alias or
                      ("" if version is not None else "production"), version=version,
                      retrain=_retrain(raw.get("retrain")))


def is_deployment_name(server_name: str) -> bool:
    return bool(server_name) and server_name.startswith(tuple(PREFIXES.values()))


def check_server_name(d: Deployment, server_name: str) -> None:
    prefix = PREFIXES[d.kind]
    if not (server_name or "").startswith(prefix) or len(server_name) <= len(prefix):
        raise DeploymentRefused(f"a {d.kind} deployment runs as a named server called "
                                f"'{prefix}<name>' (got {server_name or 'the default server'!r})")


def split_options(user_options) -> tuple[dict, Deployment | None]:
    """``user_options`` -> (the profile options, the deployment or None)."""
    options = dict(user_options or {}) if isinstance(user_options, dict) else user_options
    if not isinstance(options, dict) or KEY not in options:
        return options, None
    return options, parse_deployment(options.pop(KEY))


def model_command(d: Deployment, *, bin_dir: str, ip: str, port: int,
                  base_url: str) -> list[str]:
    """The whole command line of a model deployment (hubml serve behind the proxy, with
    JupyterHub token checks: hubml.serving.deployment)."""
    return [os.path.join(bin_dir, "python"), "-m", "hubml.serving.deployment",
            "--project", d.project, d.model_ref, "--host", ip or "127.0.0.1",
            "--port", str(port), "--base-url", base_url]


def model_environment(d: Deployment) -> dict:
    env = {"HUBML_DEPLOYMENT": json.dumps({"kind": d.kind, "project": d.project,
                                           "model": d.model, "ref": d.model_ref}),
           "HUBML_SERVE_AUTH": "jupyterhub"}
    if d.retrain:
        env["HUBML_RETRAIN"] = json.dumps(d.retrain)
    return env


def dashboard_args(d: Deployment, project_dir: str) -> list[str]:
    """Arguments added to jupyterhub-singleuser for a dashboard deployment."""
    url = f"/voila/render/{d.path}"
    if d.query:
        url += "?" + urlencode(d.query)
    return [f"--ServerApp.root_dir={project_dir}",
            f"--ServerApp.default_url={url}",
            # traitlets reads a Dict on the command line as a Python literal
            f"--ServerApp.jpserver_extensions={DASHBOARD_EXTENSIONS!r}",
            "--ServerApp.terminals_enabled=False",
            "--ServerApp.authorizer_class=hubml.serving.hub_auth.DashboardAuthorizer",
            # viewers' kernel messages: widget traffic only, no code (serving/dashboard_ws.py)
            "--ServerApp.kernel_websocket_connection_class="
            "hubml.serving.dashboard_ws.DashboardKernelConnection",
            # members run the page; its kernel must not take their code
            "--VoilaConfiguration.show_tracebacks=False"]


def find_project_dir(project: str, roots: list[str]) -> str | None:
    """The first project root holding ``project`` (the user side resolves names the same way)."""
    for root in roots:
        candidate = os.path.join(root, project)
        if os.path.isfile(os.path.join(candidate, "hubml-project.yaml")):
            return candidate
    return None


def cull_arbiter(*, inactive, inactive_limit, server, **_):
    """jupyterhub-idle-culler's hook: deployments are never idle-culled; other servers are,
    after ``inactive_limit`` seconds without activity."""
    if KEY in (server.get("user_options") or {}):
        return False
    return inactive.total_seconds() >= inactive_limit
