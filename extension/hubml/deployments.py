"""Deployments from a user's Jupyter server: a served model or a published dashboard, run by the
hub as a named server of the user (``serve-<name>``, ``dash-<name>``) and shared through
JupyterHub's sharing. Talks to the hub's REST API with the server's own token
(``JUPYTERHUB_API_TOKEN``; the embedded hub gives it the scopes to start, stop and share the
user's servers, see hubml_spawner/hubconfig.py)::

    import hubml.deployments as d
    d.deploy_model("churn", "churn-gbdt", alias="production")
    d.share("serve-churn-gbdt", groups=["analysts"])
    d.list("churn"); d.stop("serve-churn-gbdt"); d.delete("serve-churn-gbdt")

Each call answers the deployment as JSON: ``{"name", "kind", "project", "url", "status":
"starting"|"running"|"stopped", "model"?, "path"?, "shared_with": {"users", "groups"}}``.
"""

from __future__ import annotations

import builtins
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

from .errors import Conflict, HubMLError, InvalidInput, NotFound

__all__ = ["HubUnavailable", "add_parser", "delete", "deploy_dashboard", "deploy_model", "get",
           "list", "require_hub", "server_name", "share", "stop"]

KEY = "hubml_deployment"
PREFIXES = {"model": "serve-", "dashboard": "dash-"}
_NAME = re.compile(r"[a-z0-9][a-z0-9_\-]{0,62}")

MESSAGES = {
    "no_hub": "deployments need JupyterHub: they run as named servers of your hub account. "
              "This server was not started by a hub (no JUPYTERHUB_API_URL); run `hubml serve` "
              "to serve a model here instead",
    "hub_said": "the hub refused ({status}): {message}",
    "hub_down": "the hub did not answer ({problem}); try again in a moment",
    "not_deployment": "{name!r} is not a deployment; deployments are named serve-<name> or "
                      "dash-<name> (see list())",
    "unknown": "no deployment {name!r}; yours are: {known}",
    "other_running": "{name!r} already runs {what}; stop it first or choose another name",
    "bad_name": "{what} must be lower-case letters, digits, '-' and '_' (got {value!r})",
    "share_list": "{what} must be a list of names",
}


def _msg(key: str, **fields) -> str:
    return MESSAGES[key].format(**fields)


class HubUnavailable(Conflict):
    """Not inside a hub, or the hub cannot be reached: 409, nothing was changed."""

    code = "hub_unavailable"


class _Hub:
    def __init__(self):
        self.api_url = os.environ.get("JUPYTERHUB_API_URL", "").rstrip("/")
        self.token = os.environ.get("JUPYTERHUB_API_TOKEN", "")
        self.user = os.environ.get("JUPYTERHUB_USER", "")
        if not (self.api_url and self.token and self.user):
            raise HubUnavailable(_msg("no_hub"))

    def call(self, method: str, path: str, body=None, ok=(200, 201, 202, 204)):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.api_url}/{path}", data=data, method=method,
            headers={"Authorization": f"token {self.token}",
                     "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read()
                return json.loads(text) if text.strip() else {}
        except urllib.error.HTTPError as exc:
            if exc.code in ok:
                return {}
            raw = exc.read().decode("utf-8", "replace")
            try:
                message = json.loads(raw).get("message") or raw
            except ValueError:
                message = raw[:300]
            error = HubMLError(_msg("hub_said", status=exc.code, message=message),
                               details={"hub_status": exc.code})
            error.status = exc.code if exc.code in (400, 403, 404, 409) else 502
            raise error from None
        except (urllib.error.URLError, OSError) as exc:
            raise HubUnavailable(_msg("hub_down", problem=exc)) from None

    def servers(self) -> dict:
        user = self.call("GET", f"users/{_q(self.user)}?include_stopped_servers=1")
        return user.get("servers") or {}

    def shares(self, name: str) -> dict:
        found = self.call("GET", f"shares/{_q(self.user)}/{_q(name)}")
        items = found.get("items", []) if isinstance(found, dict) else []
        return {"users": sorted(i["user"]["name"] for i in items if i.get("user")),
                "groups": sorted(i["group"]["name"] for i in items if i.get("group"))}


def require_hub() -> None:
    """:class:`HubUnavailable` (409) unless this server was started by a hub."""
    _Hub()


def _q(part: str) -> str:
    return urllib.parse.quote(part, safe="")


def _check(what: str, value) -> str:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise InvalidInput(_msg("bad_name", what=what, value=value), details={"field": what})
    return value


def server_name(kind: str, name: str) -> str:
    """``serve-<name>`` or ``dash-<name>``; a name that has the prefix already is kept."""
    prefix = PREFIXES[kind]
    name = name if name.startswith(prefix) else prefix + name
    return _check("name", name[:63])


def _status(server: dict) -> str:
    if server.get("stopped") or (not server.get("ready") and not server.get("pending")):
        return "stopped"
    if server.get("pending") or not server.get("ready"):
        return "starting"
    return "running"


def _describe(hub: _Hub, name: str, server: dict, shared: dict | None = None) -> dict:
    spec = (server.get("user_options") or {}).get(KEY) or {}
    out = {"name": name, "kind": spec.get("kind"), "project": spec.get("project"),
           "url": server.get("full_url") or server.get("url")
           or f"/user/{hub.user}/{name}/", "status": _status(server),
           "shared_with": shared if shared is not None else hub.shares(name)}
    if spec.get("kind") == "model":
        version = spec.get("version")
        out["model"] = {"name": spec.get("model"), "alias": spec.get("alias") or None,
                        "version": version}
    elif spec.get("kind") == "dashboard":
        out["path"] = spec.get("path")
        out["query"] = spec.get("query") or {}
    return out


def _is_deployment(server: dict) -> bool:
    return KEY in (server.get("user_options") or {})


def _start(kind: str, name: str, spec: dict) -> dict:
    hub = _Hub()
    name = server_name(kind, name)
    options = {KEY: spec}
    existing = hub.servers().get(name)
    if existing and _status(existing) != "stopped":
        if (existing.get("user_options") or {}).get(KEY) == spec:
            return _describe(hub, name, existing)  # the same deployment runs: nothing to do
        what = json.dumps((existing.get("user_options") or {}).get(KEY) or "a Jupyter server")
        raise Conflict(_msg("other_running", name=name, what=what), details={"name": name})
    hub.call("POST", f"users/{_q(hub.user)}/servers/{_q(name)}", options)
    return _describe(hub, name, hub.servers().get(name) or {"pending": "spawn",
                                                            "user_options": options})


def deploy_model(project: str, model: str, alias: str | None = None, version: int | None = None,
                 name: str | None = None, retrain: dict | None = None) -> dict:
    """Serve ``model`` of ``project`` (an alias, default ``production``, or a version) as the
    named server ``serve-<name or model>``. ``retrain`` (schedule, interval, min_new_rows,
    metric) makes the deployment retrain the model (hubml.serving.retrain)."""
    _check("project", project)
    _check("model", model)
    spec = {"kind": "model", "project": project, "model": model}
    if version is not None:
        if alias:
            raise InvalidInput("give either alias or version, not both",
                               details={"field": "version"})
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise InvalidInput(f"version must be a whole number from 1 (got {version!r})",
                               details={"field": "version"})
        spec["version"] = version
    else:
        spec["alias"] = _check("alias", alias or "production")
    if retrain:
        spec["retrain"] = dict(retrain)
    return _start("model", name or model, spec)


def deploy_dashboard(project: str, notebook_path: str, query: dict | None = None,
                     name: str | None = None) -> dict:
    """Publish the notebook ``notebook_path`` (relative to the project) through Voila as the
    named server ``dash-<name or notebook name>``; ``query`` goes into the page's URL."""
    _check("project", project)
    if not isinstance(notebook_path, str) or not notebook_path.endswith(".ipynb"):
        raise InvalidInput(f"the dashboard must be a notebook (.ipynb), not {notebook_path!r}",
                           details={"field": "path"})
    stem = os.path.splitext(os.path.basename(notebook_path))[0].lower()
    default = re.sub(r"[^a-z0-9_\-]+", "-", f"{project}-{stem}").strip("-")
    spec = {"kind": "dashboard", "project": project, "path": notebook_path,
            "query": {str(k): str(v) for k, v in (query or {}).items()}}
    return _start("dashboard", name or default, spec)


def list(project: str | None = None) -> builtins.list[dict]:  # noqa: A001 (the SDK's name)
    """The user's deployments (running, starting and stopped), of one project or all."""
    hub = _Hub()
    out = []
    for name, server in sorted(hub.servers().items()):
        if not name or not _is_deployment(server):
            continue
        d = _describe(hub, name, server)
        if project is None or d["project"] == project:
            out.append(d)
    return out


def _find(hub: _Hub, name: str) -> dict:
    if not name or not name.startswith(tuple(PREFIXES.values())):
        raise NotFound(_msg("not_deployment", name=name), details={"name": name})
    servers = hub.servers()
    server = servers.get(name)
    if server is None or not _is_deployment(server):
        known = ", ".join(n for n, s in servers.items() if n and _is_deployment(s)) or "none"
        raise NotFound(_msg("unknown", name=name, known=known), details={"name": name})
    return server


def get(name: str) -> dict:
    hub = _Hub()
    return _describe(hub, name, _find(hub, name))


def stop(name: str) -> dict:
    """Stop the deployment's process; it stays listed (stopped) with its shares."""
    hub = _Hub()
    _find(hub, name)
    hub.call("DELETE", f"users/{_q(hub.user)}/servers/{_q(name)}")
    return _describe(hub, name, hub.servers().get(name) or {"stopped": True})


def delete(name: str) -> dict:
    """Stop the deployment and forget it: its named server and its shares are removed."""
    hub = _Hub()
    server = _find(hub, name)
    described = _describe(hub, name, server)
    hub.call("DELETE", f"shares/{_q(hub.user)}/{_q(name)}")
    hub.call("DELETE", f"users/{_q(hub.user)}/servers/{_q(name)}", {"remove": True})
    return {**described, "status": "stopped", "shared_with": {"users": [], "groups": []}}


def share(name: str, users=(), groups=()) -> dict:
    """Share the deployment with exactly these users and groups (others' shares are revoked)."""
    for what, names in (("users", users), ("groups", groups)):
        if isinstance(names, str) or not all(isinstance(n, str) for n in names):
            raise InvalidInput(_msg("share_list", what=what), details={"field": what})
    hub = _Hub()
    server = _find(hub, name)
    current = hub.shares(name)
    path = f"shares/{_q(hub.user)}/{_q(name)}"
    for kind, wanted in (("user", set(users)), ("group", set(groups))):
        have = set(current[f"{kind}s"])
        for who in sorted(wanted - have):
            hub.call("POST", path, {kind: who})
        for who in sorted(have - wanted):
            hub.call("PATCH", path, {kind: who})
    return _describe(hub, name, server)


# -- `hubml deploy` ------------------------------------------------------------------------
def _ref(text: str) -> dict:
    name, sep, rest = text.replace(":", "@:", 1).partition("@")
    if sep and rest.startswith(":"):
        if not rest[1:].isdigit():
            raise InvalidInput(f"{text!r}: a version is a whole number (NAME:2)")
        return {"model": name, "version": int(rest[1:])}
    return {"model": name, "alias": rest or None}


def _cli(args) -> int:
    try:
        if args.action == "model":
            out = deploy_model(args.project, name=args.name, **_ref(args.target))
        elif args.action == "dashboard":
            query = dict(q.split("=", 1) for q in args.query or [] if "=" in q)
            out = deploy_dashboard(args.project, args.target, query=query, name=args.name)
        elif args.action == "list":
            out = list(args.project)
        elif args.action == "share":
            out = share(args.target, users=args.user or [], groups=args.group or [])
        else:
            out = {"stop": stop, "delete": delete}[args.action](args.target)
    except HubMLError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    print(json.dumps(out, indent=2))
    return 0


def add_parser(sub) -> None:
    deploy = sub.add_parser("deploy", help="serve a model or publish a dashboard through the "
                                           "hub (named servers of your account)")
    actions = deploy.add_subparsers(dest="action", required=True)
    model = actions.add_parser("model", help="serve NAME[@ALIAS] or NAME:VERSION")
    model.add_argument("target", metavar="MODEL")
    dash = actions.add_parser("dashboard", help="publish a notebook of the project")
    dash.add_argument("target", metavar="NOTEBOOK", help="path relative to the project")
    dash.add_argument("--query", action="append", metavar="KEY=VALUE",
                      help="URL query for the page (repeatable)")
    for p in (model, dash):
        p.add_argument("--project", required=True)
        p.add_argument("--name", default=None, help="deployment name (default: from the "
                                                    "model or notebook)")
    listing = actions.add_parser("list", help="your deployments")
    listing.add_argument("--project", default=None)
    for action in ("stop", "delete"):
        actions.add_parser(action, help=f"{action} a deployment").add_argument(
            "target", metavar="NAME")
    sharing = actions.add_parser("share", help="share with exactly these users and groups")
    sharing.add_argument("target", metavar="NAME")
    sharing.add_argument("--user", action="append", metavar="USER")
    sharing.add_argument("--group", action="append", metavar="GROUP")
    deploy.set_defaults(func=_cli)
