# Two commands do everything: `make run` and `make test`. Each installs what it needs first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
REQUEST ?= ../shared/examples/requests/pantry-saver.json
PACKAGE_DIR ?= out/package

.PHONY: install run demo test bench lint package localstack

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip<26.3"  # chalice 1.34 packages with pip and needs pip<26.3
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

run: install
	$(PY) -m infra.run

demo: install
	$(PY) -m infra.demo $(REQUEST)

test: install
	$(PY) -m ruff check .
	$(PY) -m pytest -q

bench: install
	$(PY) -m infra.bench

lint: install
	$(PY) -m ruff check .

package: install
	rm -rf $(PACKAGE_DIR)
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} $(PY) -m infra.package $(PACKAGE_DIR)

# Deploy the package to a LocalStack already running on localhost:4566 (needs Docker; not used by tests).
localstack: package
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} $(PY) -m infra.localstack $(PACKAGE_DIR)
