"""``TrainingSpec.to_script()``: the training as a plain Python script that uses the SDK.

The script makes the same calls as the job runner (``split``, the framework's ``fit``,
``hubml.evaluate``, ``p.register_model``), so it trains the same model: what a form made can be
rerun, changed and scheduled as code.
"""

from __future__ import annotations

import json
import pprint

__all__ = ["evaluation_part", "render", "run_params"]


def run_params(spec, params: dict) -> dict:
    """The MLflow params of a run of ``spec`` (hyperparameters and the data settings)."""
    out = {**params, "algorithm": spec.algorithm, "task": spec.task, "dataset": spec.dataset,
           "validation": spec.validation, "test": spec.test, "split_random_state":
           spec.random_state}
    for key in ("datasets", "split_column", "script"):
        if getattr(spec, key, None):
            out[key] = getattr(spec, key)
    return out


def evaluation_part(train, valid, test) -> tuple[str, object]:
    """The part a model is evaluated on: test, else validation, else the training rows."""
    if len(test):
        return "test", test
    return ("validation", valid) if len(valid) else ("train", train)


def _literal(value, indent: int = 0) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)    # a valid Python string, double quotes
    text = pprint.pformat(value, width=95 - indent, sort_dicts=False)
    return text.replace("\n", "\n" + " " * indent)


_HEAD = '''"""Train {model!r}: {algorithm} ({task}) on dataset {dataset!r}.

Made by hubml from a training spec: it splits, trains, evaluates and registers the model as the
training job does. Run it with:  python {usage}
"""

import sys

import hubml
from hubml.training import split
from hubml.training.script import evaluation_part

'''


def _parts_code(spec, features: str) -> str:
    """Code that makes train, valid, test (and ``others``: the versions given apart)."""
    from .parts import check_datasets

    if spec.split_column:
        return (f"marks = df.pop({_literal(spec.split_column)}).astype(\"string\")\n"
                f"features = {features}\n"
                "train, valid, test = (df[(marks == part).to_numpy()]\n"
                "                      for part in (\"train\", \"validation\", \"test\"))\n"
                "others = []\n")
    given = {k: v for k, v in check_datasets(spec.datasets).items() if k != "train"}
    validation = 0 if "validation" in given else spec.validation
    test = 0 if "test" in given else spec.test
    lines = [f"features = {features}\n",
             f"train, valid, test = split(df, {_literal(spec.task)}, target, "
             f"validation={validation!r},\n"
             f"                           test={test!r}, random_state={spec.random_state!r})\n",
             "others = []\n"]
    for part, var in (("validation", "valid"), ("test", "test")):
        if part in given:
            name, number = given[part]
            which = ".latest" if number is None else f".version({number})"
            lines.append(f"others.append(p.dataset({_literal(name)}){which})\n"
                         f"{var} = others[-1].load()\n")
    return "".join(lines)


def _tuning_note(spec) -> str:
    """A spec with tuning: the job searched; the script trains the parameters it is given."""
    if not spec.tuning:
        return ""
    space = ", ".join(spec.tuning.get("search_space", {}))
    return (f"# the job tuned {space} with Optuna (see job.trials() and the job's MLflow child\n"
            "# runs); this script trains the parameters above: put the job's best_params\n"
            "# (job.status['tuning']['best_params']) into params to train its final model\n")


def render(spec, project=None) -> str:
    """The script text; ``project`` (a Project or a name) is built in, else read from argv."""
    try:
        _, algorithm, params = spec.resolve_algorithm()
        algorithm_id = algorithm.id
    except Exception:   # framework not installed here: keep what the spec says
        algorithm_id, params = spec.algorithm, dict(spec.params)
    name = getattr(project, "name", project)
    q = {key: _literal(value) for key, value in spec.to_json().items()}
    q.update(algorithm=_literal(algorithm_id),
             model=_literal(spec.model_name or spec.default_model_name()))
    clustering = spec.task == "clustering"
    lines = [_HEAD.format(model=spec.model_name or spec.default_model_name(),
                          algorithm=algorithm_id, task=spec.task, dataset=spec.dataset,
                          usage="train.py [project]" if name else "train.py <project>")]
    if name:
        lines.append(f"PROJECT = sys.argv[1] if len(sys.argv) > 1 else {_literal(name)}\n")
    else:
        lines.append('if len(sys.argv) < 2:\n    sys.exit("usage: python train.py <project>")\n'
                     "PROJECT = sys.argv[1]\n")
    features = ("[c for c in df.columns if c != target]" if spec.features is None
                else _literal(spec.features, 11))
    version = ".latest" if spec.dataset_version is None else f".version({spec.dataset_version})"
    run_name = "" if spec.run_name is None else q["run_name"]
    lines.append(f'''
p = hubml.project(PROJECT)
data = p.dataset({q["dataset"]}){version}
df = data.load()
target = {q["target"]}
''')
    lines.append(_parts_code(spec, features))
    lines.append('''part, scored = evaluation_part(train, valid, test)
print(f"{data.name} v{data.version}: {len(train)} training, {len(valid)} validation, "
      f"{len(test)} test rows")

''')
    lines.append(f'''framework = hubml.frameworks.get({q["framework"]})
params = {_literal(params, 9)}
{_tuning_note(spec)}
with p.start_run({run_name}) as run:
    run.log_params({{**params, "algorithm": {q["algorithm"]}, "task": {q["task"]},
                    "dataset": {q["dataset"]}, "dataset_version": data.version,
                    "validation": {q["validation"]}, "test": {q["test"]},
                    "split_random_state": {q["random_state"]}}})
''')
    if spec.custom_params:
        custom = _literal(json.dumps(spec.custom_params))
        lines.append(f'    run.set_tags({{"hubml.custom_params": {custom}}})\n')
    y_fit, y_valid = ("None", "None") if clustering else (
        "train[target]", "valid[target] if len(valid) else None")
    y_true = "scored[target] if target is not None else None" if clustering else \
        "scored[target]"
    if spec.script:
        fit_code = f'''    # the model comes from the project's script, as in the training job
    import json

    from hubml.training.user_script import fit_with, load

    user = load(p, {q["script"]})
    spec = hubml.TrainingSpec.from_json(json.loads({_literal(json.dumps(spec.to_json()))}))
    model = fit_with(user, spec, framework, params, train[features], {y_fit},
                     valid[features] if len(valid) else None, {y_valid}, [log])
'''
    else:
        fit_code = f'''    model = framework.fit({q["algorithm"]}, {q["task"]}, params,
                          train[features], {y_fit},
                          valid[features] if len(valid) else None, {y_valid},
                          callbacks=[log])
'''
    lines.append(f'''
    def log(step, metrics):
        run.log_metrics(metrics, step=step)
        print(f"step {{step}}:", ", ".join(f"{{k}}={{v:.4g}}" for k, v in metrics.items()))

{fit_code}    X, y = scored[features], {y_true}
    report = hubml.evaluate({q["task"]}, y, framework.predict(model, X),
                            y_proba=framework.predict_proba(model, X),
                            classes=framework.classes(model), X=X,
                            model_predict=lambda rows: framework.predict(model, rows))
    run.log_metrics({{f"{{part}}_{{k}}": v for k, v in report["metrics"].items()
                     if v is not None}})
    version = p.register_model({q["model"]}, model, framework={q["framework"]}, run=run,
                               dataset=[data, *others], X_example=train[features],
                               algorithm={q["algorithm"]}, task={q["task"]})

print(f"registered {{version.name}} version {{version.version}};", part, "metrics:",
      {{k: v if v is None else round(v, 4) for k, v in report["metrics"].items()}})
''')
    return "".join(lines)
