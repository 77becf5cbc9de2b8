"""Deployment exports of model versions, built once and kept inside the project.

``export_file(project, "churn", 2, "onnx")`` loads the version, writes it with its framework
adapter's ``export(model, fmt, folder)`` and keeps the result under
``<project>/.hubml/exports/<model>/<version>/<format>/``: one file as it is (``churn-v2.onnx``),
or a zip of a folder format (an MLflow model directory, a SavedModel, a file with its
``hubml.json`` sidecar) whose entries sit under one folder named like the zip. The build runs in
a temporary folder that is renamed into place, under a lock per export, so a reader never gets
half a file and two requests build it once. A version registered again under the same number
(a model deleted and made anew) has another creation time, so its old export is rebuilt.
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import NotFound
from ..messages import msg
from .model_flavors import ADAPTER_LOADS_PLAIN
from .model_register import TAG_FRAMEWORK
from .storage import atomic_folder, clean_stale_tmp, file_lock, fsync_tree

__all__ = ["EXPORTS", "ExportFile", "export_file", "export_formats", "formats_of"]

EXPORTS = "exports"          # under the project's .hubml folder
_STAMP = "built.json"
_BUILD_TIMEOUT = 900         # seconds another request waits for a build in progress
# formats an adapter makes only from the model its own fit() returned, not from one loaded back
# from the registry: MLflow keeps torch networks as TorchScript, and a state_dict export needs
# the adapter's module class with its constructor arguments, which the registry does not keep
_NOT_FROM_REGISTRY = {"torch": {"state_dict"}}


@dataclass(frozen=True)
class ExportFile:
    path: Path               # the cached file to send
    filename: str            # for Content-Disposition: churn-v2.onnx, churn-v2-mlflow.zip
    media_type: str


def export_formats(framework_name: str, algorithm: str | None) -> list[str]:
    """The formats the adapter ``framework_name`` exports models of ``algorithm`` to."""
    from .. import frameworks

    try:
        framework = frameworks.get(framework_name)
    except Exception:  # a model from a framework this server does not know
        return []
    if algorithm:
        try:
            return list(framework.formats_for(algorithm))
        except Exception:
            pass
    return list(framework.export_formats)


def formats_of(mv, body: dict | None = None) -> list[str]:
    """Export formats of a model version: its adapter's, or only ``mlflow`` (the logged model
    folder itself) for a model logged with plain MLflow that no adapter loads."""
    body = body if body is not None else mv.to_json()
    plain = TAG_FRAMEWORK not in mv.info.tags
    if plain and body["framework"] not in ADAPTER_LOADS_PLAIN:
        return ["mlflow"]
    skip = _NOT_FROM_REGISTRY.get(body["framework"], set())
    return [f for f in export_formats(body["framework"], body.get("algorithm")) if f not in skip]


def export_file(project, name: str, version, fmt: str) -> ExportFile:
    """The export of model ``name`` version ``version`` as ``fmt``, built if not cached.
    NotFound (naming the formats there are) for a format the version has none of."""
    mv = project.model(name).version(version)
    formats = formats_of(mv)
    if fmt not in formats:
        raise NotFound(msg("export.unknown_format", format=fmt[:40], name=name,
                           version=mv.version, known=", ".join(formats) or "none"),
                       details={"field": "format", "formats": formats})
    folder = project.hubml_dir / EXPORTS / name / str(mv.version)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = {"created": mv.info.creation_timestamp, "run_id": mv.info.run_id, "format": fmt}
    with file_lock(folder / f".{fmt}.lock", timeout=_BUILD_TIMEOUT):
        cached = _cached(folder / fmt, stamp)
        if cached is None:
            clean_stale_tmp(folder)
            cached = _build(project, mv, fmt, folder, stamp)
    return cached


def _cached(target: Path, stamp: dict) -> ExportFile | None:
    try:
        built = json.loads((target / _STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    path = target / str(built.get("file", ""))
    if {k: built.get(k) for k in stamp} != stamp or not path.is_file():
        return None
    return ExportFile(path, built["file"], built["media_type"])


def _build(project, mv, fmt: str, folder: Path, stamp: dict) -> ExportFile:
    with atomic_folder(folder) as tmp:
        work, out = tmp / "work", tmp / "out"
        work.mkdir()
        out.mkdir()
        written = Path(_write(project, mv, fmt, work))
        filename, media_type = _package(written, work, out, f"{mv.name}-v{mv.version}", fmt)
        (out / _STAMP).write_text(json.dumps({**stamp, "file": filename,
                                              "media_type": media_type}), encoding="utf-8")
        fsync_tree(out)
        target = folder / fmt
        if target.exists():               # an export of an earlier version of that number
            os.rename(target, tmp / "old")
        os.rename(out, target)
    return ExportFile(target / filename, filename, media_type)


def _write(project, mv, fmt: str, work: Path) -> str:
    """Write the export under ``work`` with the version's adapter; the path written."""
    loaded = mv.load()
    export = getattr(loaded.framework, "export", None)
    if export is None:   # plain MLflow model, pyfunc only: the logged folder is the export
        import mlflow.artifacts

        from .runs import tracking

        with tracking(project, create=False):
            return mlflow.artifacts.download_artifacts(artifact_uri=mv.uri,
                                                       dst_path=str(work / "mlflow_model"))
    return export(loaded.native, fmt, work)


def _package(written: Path, work: Path, out: Path, stem: str, fmt: str) -> tuple[str, str]:
    """One file -> itself; anything else -> a zip with everything under ``<stem>-<fmt>/``."""
    files = [p for p in work.rglob("*") if p.is_file()]
    if written.is_file() and files == [written]:
        suffix = written.suffix
        filename = f"{stem}{suffix}" if suffix == f".{fmt}" else f"{stem}-{fmt}{suffix}"
        shutil.move(str(written), out / filename)
        return filename, "application/octet-stream"
    base = written if written.is_dir() and all(written in p.parents for p in files) else work
    top = f"{stem}-{fmt}"
    filename = f"{top}.zip"
    with zipfile.ZipFile(out / filename, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            archive.write(path, f"{top}/{path.relative_to(base).as_posix()}")
    return filename, "application/zip"
