"""The workspace: projects, datasets, runs and models on disk. No Jupyter imports here."""

from .projects import Project, create_project, project, projects
from .roots import project_roots

__all__ = ["Project", "create_project", "project", "project_roots", "projects"]
