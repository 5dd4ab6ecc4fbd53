# unkg — the index of what one can do. `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= ./data/store
HOST   ?= 127.0.0.1
PORT   ?= 8000
STAMP  := $(VENV)/.installed
DOCS   ?= 1000
SEED   ?= 1
OUT    ?= data/synth

.DEFAULT_GOAL := help
.PHONY: help install run ingest serve test lint dump validate stats eval synth bench bench-large soak web clean

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

eval: $(STAMP) ## every accuracy measure: seed gold, dev silver (raw and corrected; texts and XML), metadata records
	$(BIN)/python bench/eval.py

synth: $(STAMP) ## synthetic corpus with ground truth: $(OUT)/texts and $(OUT)/gold (DOCS=$(DOCS) SEED=$(SEED))
	$(BIN)/python bench/synth.py --docs $(DOCS) --seed $(SEED) --out $(OUT)

bench: $(STAMP) ## benchmarks: real corpus, 1k/10k synthetic vs pyoxigraph, Oxigraph server, rdflib-endpoint; soak
	$(BIN)/python bench/run.py
	$(BIN)/python bench/scale.py --sizes 1000 10000
	$(BIN)/python bench/report.py
	$(MAKE) soak

bench-large: $(STAMP) ## the scale benchmark at 1k, 10k and 100k documents (hours on 2 cores)
	$(BIN)/python bench/scale.py --sizes 1000 10000 100000 --repeat 1 --out bench/results/scale.json
	$(BIN)/python bench/report.py

soak: $(STAMP) ## 64 clients for 60 s against a real service: errors, p50/p99, memory growth
	$(BIN)/python bench/soak.py

web: ## re-vendor the browser libraries (web/package-lock.json) into api/static/vendor; needs npm
	web/build.sh

clean: ## remove the venv and the default store
	rm -rf $(VENV) data/store
