"""`hubml kernels install` puts the specs where `jupyter kernelspec list` finds them."""

import json
import os
import subprocess
import sys
import zipfile

from hubml.kernels import available
from tests.images.conftest import venv_tool

NAMES = sorted(available())


def kernelspecs(prefix) -> dict:
    env = {**os.environ, "JUPYTER_PATH": str(prefix / "share" / "jupyter")}
    out = subprocess.run([venv_tool("jupyter"), "kernelspec", "list", "--json"], env=env,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["kernelspecs"]


def hubml(*args):
    return subprocess.run([venv_tool("hubml"), "kernels", *args], capture_output=True, text=True)


def test_install_all_into_a_prefix_and_jupyter_finds_them(tmp_path):
    result = hubml("install", "--prefix", str(tmp_path))
    assert result.returncode == 0, result.stderr
    found = kernelspecs(tmp_path)
    for name in NAMES:
        assert found[name]["resource_dir"] == str(tmp_path / "share/jupyter/kernels" / name)
        assert found[name]["spec"]["metadata"]["hubml"]["frameworks"]
    assert (tmp_path / "share/jupyter/kernels/hubml-torch/logo-64x64.png").is_file()
    assert found["hubml-torch"]["spec"]["display_name"] == "Python 3 (PyTorch)"


def test_only_leaves_exactly_the_named_kernels(tmp_path):
    assert hubml("install", "--prefix", str(tmp_path)).returncode == 0
    assert hubml("install", "--prefix", str(tmp_path), "--only", "hubml-h2o").returncode == 0
    installed = {p.name for p in (tmp_path / "share/jupyter/kernels").iterdir()}
    assert installed == {"hubml-h2o"}


def test_unknown_kernel_is_refused_with_the_choices(tmp_path):
    result = hubml("install", "--prefix", str(tmp_path), "hubml-cobol")
    assert result.returncode == 2
    assert "unknown kernel 'hubml-cobol'" in result.stderr and "hubml-torch" in result.stderr
    assert not (tmp_path / "share").exists()


def test_list_names_every_kernel():
    result = hubml("list")
    assert result.returncode == 0
    for name in NAMES:
        assert name in result.stdout


def test_the_wheel_carries_the_kernels_for_install_and_as_kernelspecs(hubml_wheel, tmp_path):
    with zipfile.ZipFile(hubml_wheel) as wheel:
        files = set(wheel.namelist())
        wheel.extractall(tmp_path / "unpacked", [f for f in files if f.startswith("hubml/")])
    for name in NAMES:
        assert f"hubml/kernels/{name}/kernel.json" in files
        assert f"hubml-0.1.0.data/data/share/jupyter/kernels/{name}/kernel.json" in files
    # the installed package finds its packaged kernels and installs them
    code = ("import sys; from hubml.kernels import install, kernels_dir; "
            "print(kernels_dir()); install(prefix=sys.argv[1])")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "prefix")],
                         env={**os.environ, "PYTHONPATH": str(tmp_path / "unpacked")},
                         cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert out.strip() == str(tmp_path / "unpacked/hubml/kernels")
    assert set(kernelspecs(tmp_path / "prefix")) >= set(NAMES)
