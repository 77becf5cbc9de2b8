"""Top-level pytest configuration: plugins must be declared here, not in sub-folders."""

# pytest-jupyter's jp_fetch / jp_serverapp fixtures (used by tests/server)
pytest_plugins = ["pytest_jupyter.jupyter_server"]
