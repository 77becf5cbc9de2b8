# hubml: `make hub` runs the embedded hub, `make test` runs the whole suite.
# Both install on first run and skip what is already up to date.
SHELL := /bin/bash
.DEFAULT_GOAL := help
# As root, users' servers run as other accounts, which cannot enter a checkout under /root:
# the environment then lives under HUBML_PREFIX (/opt/hubml), as The Littlest JupyterHub
# keeps /opt/tljh/user, with hubml installed from a copy of the checkout in $(HUBML_PREFIX)/src.
ifeq ($(shell id -u),0)
HUBML_PREFIX ?= /opt/hubml
endif
ifneq ($(HUBML_PREFIX),)
VENV ?= $(HUBML_PREFIX)/venv
SRC := $(HUBML_PREFIX)/src
else
VENV ?= .venv
SRC := .
endif
export HUBML_PREFIX
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
BASE_PYTHON ?= /usr/bin/python3
JLPM := $(abspath $(VENV))/bin/jlpm
# jlpm and jupyter-builder (used by the frontend build scripts) live in the venv
export PATH := $(abspath $(VENV))/bin:$(PATH)
# Keyed on what decides the environment: a change to any of these reinstalls.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt extension/package.json 2>/dev/null | sha256sum | cut -c1-12)
LABEXT := extension/hubml/labextension/package.json
FRONTEND_SOURCES := $(shell find extension/src extension/style -type f 2>/dev/null) extension/package.json extension/tsconfig.json
# podman and friends: the container test (tests/images/test_podman.py) and `make images`
APT_PACKAGES := chromium fonts-dejavu-core default-jre-headless postgresql python3-venv \
	podman runc debootstrap uidmap slirp4netns fuse-overlayfs
PYTEST_ARGS ?= --durations=30

.PHONY: help install sync system-packages hub test test-python test-frontend bench lint images clean

help:
	@echo "make hub    install on first run, start the hub on http://127.0.0.1:8000, print the login"
	@echo "make test   install on first run, run the whole test suite (a real hub and browser included)"
	@echo "make bench  run the benchmarks, write bench/RESULTS.md"
	@echo "make lint   ruff, and tsc/eslint for the frontend"
	@echo "make images build the container images, tagged from images/catalog.yaml (podman or docker)"

install: $(STAMP) $(LABEXT) sync

# copy the checkout to $(SRC) (only what changed); nothing to do without a prefix
sync: $(LABEXT)
	@if [ "$(SRC)" != "." ]; then $(BASE_PYTHON) spawner/hubml_spawner/sync_env.py . $(SRC); fi

system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium fonts-dejavu-core"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	$(BASE_PYTHON) -c "import ensurepip" 2>/dev/null || missing="$$missing python3-venv"; \
	command -v podman >/dev/null || missing="$$missing podman uidmap slirp4netns fuse-overlayfs"; \
	command -v runc >/dev/null || missing="$$missing runc"; \
	command -v debootstrap >/dev/null || missing="$$missing debootstrap"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "hubml: installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "hubml: please install these system packages (as root):$$missing"; exit 1; \
	  fi; \
	fi
	@if [ "$$(id -u)" = 0 ]; then images/podman-setup.sh; fi

$(STAMP): pyproject.toml constraints.txt extension/package.json
	@$(MAKE) --no-print-directory system-packages
	test -x $(PY) || { mkdir -p $(dir $(VENV)) && $(BASE_PYTHON) -m venv $(VENV); }
	@if [ -n "$(HUBML_PREFIX)" ]; then chmod 755 $(HUBML_PREFIX); fi
	# Debian's venv brings setuptools 66, which builds source-only packages (onetimepass,
	# pulled in by NativeAuthenticator) under --no-build-isolation only with `wheel`
	$(PIP) install -q --upgrade pip setuptools wheel
	$(PIP) install -q -c constraints.txt hatchling hatch-jupyter-builder editables "jupyterlab>=4.4,<5"
	$(MAKE) --no-print-directory -B $(LABEXT)
	@if [ "$(SRC)" != "." ]; then $(BASE_PYTHON) spawner/hubml_spawner/sync_env.py . $(SRC); fi
	$(PIP) install -q --no-build-isolation -c constraints.txt -e "$(SRC)[all,hub,test]"
	# the editable install copies the built extension; link it so rebuilds reach JupyterLab
	jupyter-builder develop --overwrite $(SRC) >/dev/null
	@if [ -n "$(HUBML_PREFIX)" ]; then chmod -R a+rX $(HUBML_PREFIX); fi
	rm -f $(VENV)/.installed-*
	touch $@

$(LABEXT): $(FRONTEND_SOURCES)
	cd extension && $(JLPM) install --immutable >/dev/null && $(JLPM) build:prod
	touch $@

hub: install
	$(PY) -m hubml_spawner.launch

test: install
	$(MAKE) --no-print-directory test-frontend
	$(MAKE) --no-print-directory test-python

test-frontend: install
	cd extension && $(JLPM) test

test-python: install
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) -m tests.bench

lint: install
	$(PY) -m ruff check extension/hubml spawner tests images jupyterhub_config.py
	cd extension && $(JLPM) lint

# IMAGE_ARGS: image folders and options of images/build.py, e.g. IMAGE_ARGS="sklearn --dry-run"
images: install
	$(PY) images/build.py $(IMAGE_ARGS)

clean:
	rm -rf $(VENV) $(if $(HUBML_PREFIX),$(SRC)) extension/node_modules extension/lib extension/hubml/labextension .hubml-hub
