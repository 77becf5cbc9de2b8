"""The rows of bench_serving: figures, targets and notes from its measurements."""

from __future__ import annotations

from .report import Row, median

__all__ = ["rows_from"]


def _rps(results):
    return median([r.rps for r in results])


def _p(results, attr):
    return median([getattr(r, attr) for r in results])


def _row(name, value, baseline, unit, target, met, note, runs, kind="ratio"):
    return Row(name, value, baseline, unit, kind, target, bool(met), note, runs)


def rows_from(eight, single, memory, ready, recipe, micro_us, batch, logs) -> list[Row]:
    ours, mlflow, native = eight["ours"], eight["mlflow"], eight["ours-native"]
    floor, two = eight["floor"], eight["ours-2"]
    runs = len(ours)
    compiled = "ONNX form" if "(onnx)" in logs["ours"] or "ONNX form" in logs["ours"] \
        else "native model"
    common = (f"one-row HistGradientBoosting (20 features, 100 trees) dataframe_split, "
              f"{len(ours)} rounds, {ours[0].requests} requests per round for ours, "
              f"{mlflow[0].requests} for MLflow; client on the same 2 cores")
    rows = []
    ratio = _rps(ours) / _rps(mlflow)
    rows.append(_row("hubml serve vs mlflow models serve: requests/s, 8 connections, 1 worker",
                     _rps(ours), _rps(mlflow), "req/s", "ratio >= 10", ratio >= 10,
                     f"ours serves the {compiled}; {common}; errors 0", runs))
    p50 = _p(ours, "p50_ms") / _p(mlflow, "p50_ms")
    rows.append(_row("hubml serve vs mlflow models serve: p50 latency", _p(ours, "p50_ms"),
                     _p(mlflow, "p50_ms"), "ms", "ratio <= 0.1", p50 <= 0.1,
                     f"p50 ours {_p(ours, 'p50_ms'):.2f} ms, MLflow "
                     f"{_p(mlflow, 'p50_ms'):.1f} ms", runs))
    p99 = _p(ours, "p99_ms")
    rows.append(_row("hubml serve p99 latency, 8 connections (vs MLflow's)", p99,
                     _p(mlflow, "p99_ms"), "ms", "ours <= 30 ms", p99 <= 30,
                     f"p99 ours {p99:.2f} ms, MLflow {_p(mlflow, 'p99_ms'):.1f} ms", runs))
    worker, tree = memory["ours"]
    m_worker, m_tree = memory["mlflow"]
    rows.append(_row("Memory per worker after the load (RSS), hubml serve vs mlflow models "
                     "serve", worker, m_worker, "MB", "ours <= 300 MB", worker <= 300,
                     f"ours serves the {compiled}: skl2onnx, onnx and onnxruntime stay "
                     f"imported; --compile off {memory['ours-native'][0]:.0f} MB; "
                     f"whole process tree ours {tree:.0f} MB, MLflow {m_tree:.0f} MB; "
                     f"2 workers: largest {memory['ours-2'][0]:.0f} MB, tree "
                     f"{memory['ours-2'][1]:.0f} MB; floor app {memory['floor'][0]:.0f} MB",
                     1))
    rows.append(_row("Start to ready, hubml serve vs mlflow models serve", ready["ours"],
                     ready["mlflow"], "s", "ours <= 2.5 s", ready["ours"] <= 2.5,
                     f"process start until GET /v2/health/ready (MLflow: /ping) is 200, all "
                     f"servers started one after another; ours --compile off "
                     f"{ready['ours-native']:.2f} s, 2 workers {ready['ours-2']:.2f} s, floor "
                     f"{ready['floor']:.2f} s", 1))
    floor_ratio = _rps(native) / _rps(floor)
    rows.append(_row("hubml serve (native model, --compile off) vs a minimal ASGI app calling "
                     "the same predict: requests/s", _rps(native), _rps(floor), "req/s",
                     "ratio >= 0.8", floor_ratio >= 0.8,
                     f"p50 {_p(native, 'p50_ms'):.2f} vs {_p(floor, 'p50_ms'):.2f} ms; with "
                     f"the ONNX form ours is {_rps(ours) / _rps(floor):.2f}x the floor; "
                     "protocol, validation, auth and metrics included", runs))
    two_ratio = _rps(two) / _rps(ours)
    one_p50 = _p(single["ours"], "p50_ms")
    two_p50 = _p(single["ours-2"], "p50_ms")
    rows.append(_row("hubml serve 2 workers vs 1: requests/s, 8 connections", _rps(two),
                     _rps(ours), "req/s", "ratio >= 1.5", two_ratio >= 1.5,
                     f"only 2 cores, shared with the load client (and other jobs), so the "
                     f"figure varies from run to run; p50 at 1 connection {two_p50:.2f} vs "
                     f"{one_p50:.2f} ms ({two_p50 - one_p50:+.2f} ms, target <= +0.5 ms: "
                     f"TCP_NODELAY kept with uvloop)", runs))
    raw, plain = recipe["recipe"], recipe["recipe-plain"]
    added_us = (_p(raw, "p50_ms") - _p(plain, "p50_ms")) * 1000
    rows.append(_row("Recipe on raw input (10 steps): added p50 latency per request, 1 "
                     "connection", _p(raw, "p50_ms") * 1000, _p(plain, "p50_ms") * 1000, "us",
                     "<= +100 us", added_us <= 100,
                     f"raw records through the fitted recipe vs the same model sent the "
                     f"transformed columns; in-process, the recipe's numpy form on one row "
                     f"takes {micro_us:.0f} us (Recipe.transform: about 1 ms)", len(raw),
                     kind="diff"))
    ours_rows, base_rows, note = batch
    rows.append(_row("Batch scoring 1,000,000 x 20 into a dataset version vs in-process "
                     "predict: rows/s", ours_rows, base_rows, "rows/s", "ratio >= 0.8",
                     ours_rows / base_rows >= 0.8,
                     f"ours: read in 65,536-row batches, predict, save the new version "
                     f"(lineage); baseline: load the version whole + model.predict; both load "
                     f"the model; {note}", 2))
    return rows
