"""Names are checked as a whole: a trailing newline (which ``re.match`` with ``$`` lets through)
or a non-ASCII digit is refused everywhere a name or a version number is read."""

import pandas as pd
import pytest

import hubml
from hubml.errors import InvalidInput
from hubml.workspace.names import check_name, check_version, is_name

ENDINGS = ["x\n", "x\r\n", "x\n\n", "\nx", "x\t"]


@pytest.mark.parametrize("bad", ENDINGS)
def test_project_names_with_newlines_are_refused_and_nothing_written(root, bad):
    with pytest.raises(InvalidInput, match="project name .* is not allowed"):
        hubml.create_project(bad)
    assert not root.exists() or list(root.iterdir()) == []
    with pytest.raises(InvalidInput):
        hubml.project(bad)


@pytest.mark.parametrize("bad", ENDINGS)
def test_dataset_model_alias_tag_names_with_newlines_are_refused(project, bad):
    df = pd.DataFrame({"a": [1, 2]})
    with pytest.raises(InvalidInput, match="dataset name .* is not allowed"):
        project.save_dataset(bad, df)
    assert list((project.path / "datasets").iterdir()) == []
    with pytest.raises(InvalidInput, match="dataset name"):
        project.dataset(bad)
    with pytest.raises(InvalidInput, match="model name"):
        project.model(bad)
    with pytest.raises(InvalidInput, match="alias name"):
        project.model("churn-model").set_alias(bad, 1)
    with pytest.raises(InvalidInput, match="tag name"):
        project.update(tags=[bad])
    with pytest.raises(InvalidInput, match="project name"):
        project.rename(bad)
    assert project.path.name == "churn"


def test_the_name_rule_is_a_full_match():
    assert check_name("dataset", "a-b_1") == "a-b_1"
    assert is_name("a" * 63) and not is_name("a" * 64)
    for bad in [*ENDINGS, "a" * 63 + "\n", "", None, "A"]:
        assert not is_name(bad)


@pytest.mark.parametrize("bad", ["1\n", "²", "１", "0", "-1", " 1"])
def test_versions_are_ascii_whole_numbers(bad):
    with pytest.raises(InvalidInput, match="version must be a whole number"):
        check_version(bad)
    assert check_version("12") == 12 and check_version(3) == 3


def test_listings_skip_folders_whose_names_are_not_names(root, project):
    project.save_dataset("good", pd.DataFrame({"a": [1]}))
    (project.path / "datasets" / "Bad Name" / "1").mkdir(parents=True)
    (project.path / "datasets" / "Bad Name" / "1" / "meta.json").write_text("{}")
    (project.path / "datasets" / "good" / "²").mkdir()   # isdigit() but not a version
    assert [d.name for d in project.datasets()] == ["good"]
    assert [v.version for v in project.dataset("good").versions()] == [1]
    other = root / "Copy of churn"
    other.mkdir()
    (other / "hubml-project.yaml").write_text("name: copy\n")
    assert [p.name for p in hubml.projects()] == ["churn"]
