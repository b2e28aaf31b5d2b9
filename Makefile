# `make test` and `make run` do every set-up step on a fresh machine: venv, package, services.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: test run install redis bench clean

install: $(STAMP)

$(STAMP): pyproject.toml setup.py $(wildcard native/*.c native/*.h)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip setuptools wheel
	$(PY) -m pip install -q -e ".[all,test]"
	touch $(STAMP)

# redis-server is needed by the store/gateway tests (they start their own on a free port)
redis:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "installing redis-server (Debian package)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >/dev/null; }

test: install redis
	$(PY) -m pytest -q -p no:cacheprovider

# scan the sample prompts (verdicts + summary), then start the gateway on 127.0.0.1 (first run
# prints an admin key once)
run: install
	$(VENV)/bin/aimds scan --file examples/prompts.jsonl --summary
	$(VENV)/bin/aimds serve

bench: install
	$(PY) bench/speed.py
	$(PY) bench/quality.py

clean:
	rm -rf $(VENV) build *.egg-info
