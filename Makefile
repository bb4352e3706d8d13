# trainer: `make run` serves the app with demo data, `make test` runs the suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := trainer

.PHONY: run test install lint db demo babel clean bench screenshots

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) babel

babel: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d trainer/translations -D messages >/dev/null

db: install
	$(BIN)/trainer db upgrade

demo: db
	$(BIN)/trainer demo --if-new

run: demo
	$(BIN)/trainer run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Run the browser tests and write docs/screenshots/*.png (needs Debian's chromium).
screenshots: install
	TRAINER_SCREENSHOTS=1 TRAINER_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q -m browser tests/browser

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) instance/trainer.db* instance/outbox
