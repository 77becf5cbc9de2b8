"""The workspace: projects, datasets, runs and models on disk. No Jupyter imports here."""

from .roots import project_roots

__all__ = ["project_roots"]
