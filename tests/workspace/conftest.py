import pytest

import hubml


@pytest.fixture
def root(tmp_path, monkeypatch):
    folder = tmp_path / "projects"
    monkeypatch.setenv("HUBML_PROJECT_ROOTS", str(folder))
    return folder


@pytest.fixture
def project(root):
    return hubml.create_project("churn", description="customer churn")


@pytest.fixture
def tree_hash():
    """Hash of every file's path and bytes under a folder (to prove nothing changed)."""
    import hashlib

    def digest(folder):
        h = hashlib.sha256()
        for path in sorted(p for p in folder.rglob("*")):
            h.update(str(path.relative_to(folder)).encode())
            if path.is_file():
                h.update(path.read_bytes())
        return h.hexdigest()

    return digest
