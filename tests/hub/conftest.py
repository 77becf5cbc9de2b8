import pytest

from tests.support.hub import running_hub


@pytest.fixture(scope="package")
def hub(tmp_path_factory):
    """One real hub for the package: groups gpu-users = [gina]."""
    with running_hub(tmp_path_factory, "hub-state", {"gpu-users": ["gina"]}) as running:
        yield running
