"""Hub side of hubml: the profile catalog, the options form and the spawners.

Hub side and user side meet only through ``images/catalog.yaml``, the ``HUBML_*``
environment set by the spawner, and JupyterHub's own APIs.
"""

from .catalog import Catalog, CatalogError, Profile, load_catalog

__all__ = ["Catalog", "CatalogError", "Profile", "load_catalog"]
__version__ = "0.1.0"
