# unkg — the index of what one can do. `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= ./data/store
HOST   ?= 127.0.0.1
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install run ingest serve test lint dump validate stats eval bench soak web clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP) ## make .venv and install the project with its test extras

ingest: $(STAMP) ## ingest corpus/ into the store ($(STORE))
	$(BIN)/unkg ingest --store $(STORE) corpus/

run: ingest ## install, ingest corpus/ and serve on $(HOST):$(PORT)
	$(BIN)/unkg serve --store $(STORE) --host $(HOST) --port $(PORT)

test: $(STAMP) ## install and run the whole test suite
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check ingest api queries tests
	$(BIN)/mypy ingest api queries

dump: $(STAMP) ## write the store as Turtle to data/unkg.ttl
	$(BIN)/unkg dump --store $(STORE) --format turtle --out data/unkg.ttl

validate: $(STAMP) ## SHACL-validate the store
	$(BIN)/unkg validate --store $(STORE)

stats: $(STAMP) ## counts of the store
	$(BIN)/unkg stats --store $(STORE)

eval: $(STAMP) ## extraction accuracy on the seed gold files
	$(BIN)/python bench/eval.py

bench: $(STAMP) ## benchmarks (ratios against pyoxigraph and rdflib baselines), then the soak test
	$(BIN)/python bench/run.py
	$(MAKE) soak

soak: $(STAMP) ## 64 clients for 60 s against a real service: errors, p50/p99, memory growth
	$(BIN)/python bench/soak.py

web: ## re-vendor the browser libraries (web/package-lock.json) into api/static/vendor; needs npm
	web/build.sh

clean: ## remove the venv and the default store
	rm -rf $(VENV) data/store
