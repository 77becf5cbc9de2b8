"""HubMLLocalSpawner: the embedded default, a LocalProcessSpawner that knows the catalog.

Run as root, each hub user gets a system account (``jupyter-<name>`` by default) and the
server runs as that account. Run as an ordinary user, every server runs as that user, in a
home folder of its own under the hub's state folder, and a warning says so.
"""

from __future__ import annotations

import asyncio
import glob
import os
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner
from jupyterhub.utils import random_port
from tornado import web
from traitlets import Bool, Unicode, default

from . import accounts, cgroups, deployments
from .catalog import Catalog, load_catalog
from .profiles import (
    NO_GPU_MESSAGE,
    ProfileRefused,
    allowed_profiles,
    options_from_form,
    profile_environment,
    render_options_form,
    resolve_profile,
)

__all__ = ["HubMLLocalSpawner"]

_BIN = os.path.dirname(sys.executable)


class HubMLLocalSpawner(LocalProcessSpawner):
    catalog_path = Unicode(
        "",
        help="Path of the profile catalog (catalog.yaml); empty means $HUBML_CATALOG "
             "or images/catalog.yaml of this installation.",
    ).tag(config=True)

    run_as_system_users = Bool(
        help="Start each user's server as a system account of its own (created on first "
             "spawn). Default: True when the hub runs as root, else False.",
    ).tag(config=True)

    @default("run_as_system_users")
    def _default_run_as_system_users(self):
        return os.geteuid() == 0

    system_user_prefix = Unicode(
        "jupyter-",
        help="Prefix of the system accounts made for hub users (run_as_system_users).",
    ).tag(config=True)

    homes_root = Unicode(
        "",
        help="When not running as system users: folder that holds one home per hub user. "
             "Default: $HUBML_STATE_DIR/homes.",
    ).tag(config=True)

    shared_root = Unicode(
        "/shared",
        help="Group shares live at <shared_root>/<group>/projects; those that exist are "
             "added to the user's project roots.",
    ).tag(config=True)

    demo_project = Bool(
        True,
        help="Give each user the hubml demo project (sample datasets and registered models) "
             "on their first server start; it is made in the background.",
    ).tag(config=True)

    enforce_limits = Bool(
        True,
        help="Apply the profile's CPU and memory limits with a cgroup per server (its "
             "kernels and jobs included), where the hub runs as root and cgroups (v1 or v2) "
             "are writable; elsewhere the options form says the limits are advisory.",
    ).tag(config=True)

    gpus_available = Bool(
        help="Whether this machine has a GPU. GPU profiles are shown disabled in the form "
             "and refused on start without one. Default: whether /dev/nvidia0.. exist.",
    ).tag(config=True)

    @default("gpus_available")
    def _default_gpus_available(self):
        return bool(glob.glob("/dev/nvidia[0-9]*"))

    profile = None  # the catalog Profile chosen for the running server
    deployment = None  # a deployments.Deployment when this named server is one
    _jupyter_cmd = None  # the configured cmd, kept while a model deployment replaces it

    @default("cmd")
    def _default_cmd(self):
        # the venv that runs the hub also runs the servers; PATH may not name it
        return [os.path.join(_BIN, "jupyterhub-singleuser")]

    @default("default_url")
    def _default_default_url(self):
        return "/lab"

    @default("options_from_form")
    def _default_options_from_form(self):
        return options_from_form

    # -- catalog and profiles --------------------------------------------------------
    def load_catalog(self) -> Catalog:
        return load_catalog(self.catalog_path or None)

    def _user_groups(self) -> list[str]:
        return [g.name for g in getattr(self.user, "groups", [])]

    def allowed_profiles(self):
        return allowed_profiles(self.load_catalog(), self._user_groups(), bool(self.user.admin))

    async def get_options_form(self):
        saved = (self.orm_spawner.user_options if self.orm_spawner else None) or {}
        previous = saved.get("profile")
        return render_options_form(self.allowed_profiles(), previous,
                                   limits_enforced=self._cgroup_layout() is not None,
                                   gpus_available=self.gpus_available)

    @default("apply_user_options")
    def _default_apply_user_options(self):
        return type(self)._apply_profile

    def _apply_profile(self, user_options):
        """Resolve and check the profile before anything starts; refusals are 4xx."""
        try:
            options, self.deployment = deployments.split_options(user_options)
            if self.deployment is not None:
                deployments.check_server_name(self.deployment, self.name)
            self.profile = resolve_profile(self.load_catalog(), options,
                                           self._user_groups(), bool(self.user.admin))
            if self.deployment is not None:
                self._project_dir()  # 404 now, not once the process fails
        except (ProfileRefused, deployments.DeploymentRefused) as exc:
            self._forget_options(user_options)
            raise web.HTTPError(exc.status, str(exc)) from None
        except web.HTTPError:
            self._forget_options(user_options)
            raise
        if self.profile.gpu and not self.gpus_available:
            raise web.HTTPError(409, NO_GPU_MESSAGE)
        limits = self.profile.resources
        if limits.mem_limit:
            self.mem_limit = limits.mem_limit
        if limits.cpu_limit:
            self.cpu_limit = limits.cpu_limit
        self.log.info("hubml: %s starts profile %s", self.user.name, self.profile.name)

    def _forget_options(self, user_options) -> None:
        """JupyterHub saved refused options as the next default (and lists them with the
        server); don't let a refused choice block every later start that sends none."""
        if self.orm_spawner is not None and self.orm_spawner.user_options == user_options:
            self.orm_spawner.user_options = {}
            self.db.commit()
        if self.user_options == user_options:
            self.user_options = {}

    # -- who the server runs as ------------------------------------------------------
    @property
    def system_user(self) -> str:
        return accounts.system_username(self.system_user_prefix, self.user.name)

    def _account(self):
        """The user's system account, made on first use; a failure is told, not a 500."""
        try:
            return accounts.ensure_system_user(self.system_user, self.log)
        except RuntimeError as exc:
            self.log.error("hubml: %s", exc)
            raise web.HTTPError(503, f"{exc}. An administrator can check the hub's log and "
                                     "that the hub runs as root with useradd available.") from None

    def _check_environment_reachable(self) -> None:
        """Users' servers run as their own accounts: they must be able to run this
        environment. A venv inside a private folder (say /root/hubml/.venv) is the usual
        cause; tell user and admin what to fix instead of a bare 500 from exec."""
        program = self.cmd[0] if self.cmd else ""
        if not os.path.isabs(program):
            return
        blocked = accounts.blocked_path(program, self._account())
        if blocked is None:
            return
        message = (f"the server cannot start: account {self.system_user} cannot enter "
                   f"{blocked}, on the way to {program}. An administrator can fix this by "
                   "installing hubml with `make install` as root (it puts the environment in "
                   "/opt/hubml, readable by every account) or by making that folder readable.")
        self.log.error("hubml: %s", message)
        raise web.HTTPError(503, message)

    def _home(self) -> str:
        if self.run_as_system_users:
            return self._account().pw_dir
        root = self.homes_root or os.path.join(
            os.environ.get("HUBML_STATE_DIR", ".hubml-hub"), "homes")
        home = os.path.abspath(os.path.join(root, self.user.name))
        os.makedirs(home, mode=0o700, exist_ok=True)
        return home

    # -- limits ------------------------------------------------------------------------
    def _cgroup_layout(self):
        if not (self.enforce_limits and os.geteuid() == 0):
            return None
        return cgroups.detect()

    def _cgroup(self):
        layout = self._cgroup_layout()
        if layout is None:
            return None
        server = self.name or "default"
        return cgroups.ServerCgroup(layout, f"{self.system_user}--{server}")

    def make_preexec_fn(self, name):
        if self.run_as_system_users:
            base = super().make_preexec_fn(self.system_user)
        else:
            home = self._home()

            def base():
                os.chdir(home)
        cgroup = getattr(self, "_started_cgroup", None)
        if cgroup is None:
            return base

        def preexec():  # join while still root, then become the user
            cgroup.join()
            base()
        return preexec

    def user_env(self, env):
        if self.run_as_system_users:
            entry = self._account()
            env.update(USER=entry.pw_name, HOME=entry.pw_dir, SHELL=entry.pw_shell or "/bin/bash")
        else:
            env.update(USER=self.user.name, HOME=self._home(), SHELL="/bin/bash")
        return env

    def get_env(self):
        env = super().get_env()
        env["PATH"] = _BIN + os.pathsep + env.get("PATH", "/usr/bin:/bin")
        if self.profile is not None:
            env.update(profile_environment(self.profile))
        env["HUBML_PROJECT_ROOTS"] = os.pathsep.join(self._project_roots(env["HOME"]))
        if self.demo_project and self.deployment is None:
            env["HUBML_DEMO_PROJECT"] = "1"
        if self.deployment is not None and self.deployment.kind == "model":
            env.update(deployments.model_environment(self.deployment))
        return env

    def get_args(self):
        args = super().get_args()
        if self.profile is not None:
            args += [f"--KernelSpecManager.allowed_kernelspecs={k}" for k in self.profile.kernels]
        # terminals: a non-login shell keeps our PATH (a login shell's /etc/profile resets it,
        # and `python` would no longer be this environment's)
        args.append('--ServerApp.terminado_settings={"shell_command": ["/bin/bash"]}')
        if os.geteuid() == 0 and not self.run_as_system_users:
            args.append("--allow-root")
        if self.deployment is not None and self.deployment.kind == "model":
            return []  # the whole command is in cmd (_deployment_command)
        if self.deployment is not None:
            args += deployments.dashboard_args(self.deployment, self._project_dir())
        return args

    # -- deployments (named servers with another command) ------------------------------
    def _project_roots(self, home: str) -> list[str]:
        roots = [os.path.join(home, "projects")]
        roots += [str(Path(self.shared_root, g, "projects")) for g in self._user_groups()
                  if Path(self.shared_root, g, "projects").is_dir()]
        return roots

    def _project_dir(self) -> str:
        """The deployment's project folder; a missing one is a 404 before anything starts."""
        project = self.deployment.project
        found = deployments.find_project_dir(project, self._project_roots(self._home()))
        if found is None:
            raise web.HTTPError(404, f"no project {project!r} in {self.user.name}'s project "
                                     "folders; create it (or check the name) and deploy again")
        return found

    def _deployment_command(self) -> None:
        if self._jupyter_cmd is None:
            self._jupyter_cmd = list(self.cmd)
        d = self.deployment
        if d is None or d.kind != "model":
            self.cmd = self._jupyter_cmd
            return
        if self.port == 0:
            self.port = random_port()
        self.cmd = deployments.model_command(d, bin_dir=_BIN, ip=self.ip, port=self.port,
                                             base_url=self.server.base_url)

    async def start(self):
        if self.profile is None:  # started without the apply hook (older hubs)
            self._apply_profile(self.user_options)
        self._deployment_command()
        self._started_cgroup = self._cgroup()
        if self._started_cgroup is not None:
            try:
                self._started_cgroup.create(self.mem_limit, self.cpu_limit)
            except OSError as exc:
                self.log.error("hubml: cannot apply %s's limits (%s); the server starts "
                               "without them", self.user.name, exc)
                self._started_cgroup = None
        if self.run_as_system_users:
            self._check_environment_reachable()
        else:
            self.log.warning("hubml: %s's server runs as this hub's own system user; run the hub "
                             "as root to give each user an account of their own", self.user.name)
        ip, port = await super().start()
        await self._wait_listening(ip, port)
        return ip, port

    async def _wait_listening(self, ip: str, port: int) -> None:
        """Return once the server accepts connections (or its process ended). JupyterHub
        then checks it over HTTP at once; without this its check backs off exponentially
        (0.2 s doubling to 5 s) and a ready server waits up to seconds to be noticed."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.http_timeout
        while loop.time() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                return  # JupyterHub's own check reports the failure
            try:
                _reader, writer = await asyncio.wait_for(asyncio.open_connection(ip, port), 1)
            except (OSError, asyncio.TimeoutError):
                await asyncio.sleep(0.05)
                continue
            writer.close()
            return

    async def stop(self, now=False):
        await super().stop(now=now)
        cgroup = self._cgroup()
        if cgroup is not None:
            await asyncio.to_thread(cgroup.remove)
