"""Helpers shared by the REST API tests."""

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["error_of", "orders_frame", "tree_hash"]


def orders_frame(n: int = 30, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "order_id": np.arange(n), "amount": rng.normal(100, 20, n).round(2),
        "region": pd.Categorical(rng.choice(["north", "south"], n)),
        "when": pd.date_range("2026-01-01", periods=n, freq="h", tz="UTC"),
        "note": [None if i % 7 == 0 else f"n{i}" for i in range(n)],
    })


def tree_hash(root: Path) -> str:
    """sha256 over every path, type and file content under ``root``."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file() and not path.is_symlink():
            digest.update(b"F" + path.read_bytes())
        else:
            digest.update(b"D" if path.is_dir() else b"L")
    return digest.hexdigest()


def error_of(body) -> dict:
    assert isinstance(body, dict) and set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "details"}, error
    assert isinstance(error["message"], str) and len(error["message"]) > 10, error
    return error


def multipart(files: dict, fields: dict | None = None,
              boundary: str = "hubml-test-boundary-7f3a") -> tuple[bytes, dict]:
    """(body, headers) of a multipart/form-data request; files: field -> (filename, bytes)."""
    out = bytearray()
    for name, value in (fields or {}).items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                .encode() + value.encode() + b"\r\n")
    for name, (filename, data) in files.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                f"filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                .encode() + data + b"\r\n")
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), {"Content-Type": f"multipart/form-data; boundary={boundary}"}
