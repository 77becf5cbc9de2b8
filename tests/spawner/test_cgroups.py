"""cgroups: what limit files say (pure), and which layout a machine offers (a real tree)."""

from pathlib import Path

from hubml_spawner.cgroups import CgroupLayout, ServerCgroup, detect, limit_files

V1_PROC = "4:memory:/box/42\n1:cpu,cpuacct:/\n0::/\n"


def test_limit_files_v1_and_v2():
    gib2 = 2 * 1024**3
    assert limit_files(1, gib2, 1.5) == {
        "memory": {"memory.limit_in_bytes": str(gib2)},
        "cpu": {"cpu.cfs_period_us": "100000", "cpu.cfs_quota_us": "150000"}}
    assert limit_files(2, gib2, 0.5) == {"unified": {"memory.max": str(gib2),
                                                    "cpu.max": "50000 100000"}}
    assert limit_files(1, None, None) == {"memory": {}, "cpu": {}}
    assert limit_files(2, None, 0.001) == {"unified": {"cpu.max": "1000 100000"}}  # the minimum


def test_detect_v1_nests_below_the_hubs_own_cgroups(tmp_path):
    (tmp_path / "memory" / "box" / "42").mkdir(parents=True)
    (tmp_path / "cpu").mkdir()
    layout = detect(tmp_path, V1_PROC)
    assert layout == CgroupLayout(1, {"memory": tmp_path / "memory/box/42/hubml",
                                      "cpu": tmp_path / "cpu/hubml"})


def test_detect_v2_needs_cpu_and_memory_controllers(tmp_path):
    (tmp_path / "cgroup.controllers").write_text("cpu io memory pids\n")
    (tmp_path / "user.slice").mkdir()
    (tmp_path / "user.slice" / "cgroup.controllers").write_text("cpu memory\n")
    assert detect(tmp_path, "0::/user.slice\n") == CgroupLayout(
        2, {"unified": tmp_path / "user.slice/hubml"})
    (tmp_path / "user.slice" / "cgroup.controllers").write_text("pids\n")
    assert detect(tmp_path, "0::/user.slice\n") is None


def test_detect_none_without_controllers(tmp_path):
    assert detect(tmp_path, V1_PROC) is None


def test_server_cgroup_writes_limits_and_removes_empty_folders(tmp_path):
    layout = CgroupLayout(1, {"memory": tmp_path / "m/hubml", "cpu": tmp_path / "c/hubml"})
    group = ServerCgroup(layout, "jupyter-ann--default")
    group.create(10**9, 2)
    assert (tmp_path / "m/hubml/jupyter-ann--default/memory.limit_in_bytes").read_text() == \
        str(10**9)
    assert (tmp_path / "c/hubml/jupyter-ann--default/cpu.cfs_quota_us").read_text() == "200000"
    for f in Path(tmp_path).rglob("*.*"):  # a real cgroup folder is empty once unused
        f.unlink()
    group.remove()
    assert not (tmp_path / "m/hubml/jupyter-ann--default").exists()
