# The two commands a fresh machine needs: `make run` and `make test`. Both set up the venv first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM := scripts/system-deps.sh

.PHONY: run solve test lint typecheck check bench clean

$(STAMP): pyproject.toml $(SYSTEM)
	./$(SYSTEM)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The coordinator's web app on http://127.0.0.1:$(PORT)/ (data in ROTA_DATA_DIR, default ./data; the example
# community is loaded on first start, and the way to log in is printed).
PORT ?= 8000
run: $(STAMP)
	PORT=$(PORT) $(BIN)/python -m web

# The engine alone on the example, in the terminal.
solve: $(STAMP)
	$(BIN)/rota solve examples/checkpoint.yaml --out out/checkpoint --time-limit 30

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache  # keeps ./data (the web app's database)
