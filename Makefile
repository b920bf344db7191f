# Two commands on a fresh clone: `make run` and `make test`. Both build .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install worker deploy clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

deploy: $(STAMP)
	$(BIN)/otklik deploy bpmn/*.bpmn

# The web app arrives with the next issue; for now `make run` deploys and runs the timer worker.
run: deploy
	$(BIN)/otklik worker

test: $(STAMP)
	$(BIN)/pytest

clean:
	rm -rf $(VENV) instance .pytest_cache
