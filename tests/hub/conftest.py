import os
import stat
from pathlib import Path

import pytest

from tests.support.hub import REPO, Hub


def _world_can_enter(path: Path) -> bool:
    for part in [path, *path.parents]:
        if not part.stat().st_mode & stat.S_IXOTH:
            return False
    return True


@pytest.fixture(scope="package")
def hub(tmp_path_factory):
    """One real hub for the package: groups gpu-users = [gina]."""
    if os.geteuid() == 0 and not _world_can_enter(REPO):
        pytest.fail(f"running as root, users' servers run as other accounts, which cannot enter "
                    f"{REPO}; clone the repository under a folder others can read (e.g. /opt)")
    state = tmp_path_factory.mktemp("hub-state")
    os.chmod(state.parent, 0o755)
    running = Hub(state, groups={"gpu-users": ["gina"]}).start()
    yield running
    running.stop()
