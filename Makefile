# The two commands that matter: `make run` (install + start on the embedded default) and
# `make test` (install + lint + types + every test). Everything lives in ./.venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run chat test lint format bench check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

## run: install, prepare the database and start the bot (web simulator at http://127.0.0.1:8000/simulator)
run: $(STAMP)
	$(BIN)/switchboard check --quiet
	$(BIN)/switchboard db upgrade
	$(BIN)/switchboard serve

## chat: talk to the bot in this terminal
chat: $(STAMP)
	$(BIN)/switchboard db upgrade
	$(BIN)/switchboard chat

## test: lint, types and every test
test: $(TEST_STAMP) lint
	$(BIN)/switchboard check --quiet
	$(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check bot tests benchmarks
	$(BIN)/ruff format --check bot tests benchmarks
	$(BIN)/mypy

format: $(TEST_STAMP)
	$(BIN)/ruff format bot tests benchmarks
	$(BIN)/ruff check --fix bot tests benchmarks

## bench: performance and accuracy figures (reads ../shared/data when it is there)
bench: $(TEST_STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/run_all.py

check: $(STAMP)
	$(BIN)/switchboard check

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
