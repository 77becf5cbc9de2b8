"""Config file of jupyterhub-idle-culler (``--config=``): deployments are never culled."""

from hubml_spawner.deployments import cull_arbiter

c = get_config()  # noqa: F821 (provided by traitlets when the culler loads this file)
c.IdleCuller.cull_arbiter_hook = cull_arbiter
