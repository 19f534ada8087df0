# The two commands a new user needs: `make demo` and `make test`.
# Both create .venv and install the project on first use (and again when pyproject.toml changes).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB ?= warehouse.duckdb

.PHONY: install demo test lint pytest dbt-build dbt-build-duckdb dbt-build-postgres peers clean \
	spark-venv test-spark

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## demo: the whole pipeline on the embedded default (a DuckDB file) against the offline emulator
demo: install
	WAREHOUSE_TARGET=duckdb WAREHOUSE_DUCKDB_PATH=$(DEMO_DB) $(BIN)/warehouse demo --fresh

## test: ruff, sqlfluff, pytest (with coverage) and dbt build on DuckDB and a throwaway PostgreSQL,
## then the small world built on Spark against DuckDB (test-spark; SPARK_TESTS=0 leaves it out)
SPARK_TESTS ?= 1
test: install
	scripts/with_postgres.sh $(MAKE) --no-print-directory lint pytest dbt-build
	if [ "$(SPARK_TESTS)" != 0 ]; then $(MAKE) --no-print-directory test-spark; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -c "from loaders.dbt_runner import profiles_dir; profiles_dir()"
	mkdir -p target
	WAREHOUSE_TARGET=duckdb WAREHOUSE_DUCKDB_PATH=target/lint.duckdb $(BIN)/sqlfluff lint models tests

## PYTEST_WORKERS: pytest-xdist processes (2 = this project's 2-core CI; 0 runs in-process).
## Whole files go to one worker (--dist loadfile) so a module's expensive fixtures are built once.
PYTEST_WORKERS ?= 2
## KILL_TEST_KILLS: SIGKILLs of a real `warehouse run` in pytests/run/test_kill.py on DuckDB
## (PostgreSQL gets one whenever this is not 0); each costs about three runs. One by default
## (about a minute per engine, beside the rest of the suite); 0 skips it.
KILL_TEST_KILLS ?= 1

pytest: install
	WAREHOUSE_REQUIRE_POSTGRES=1 WAREHOUSE_KILL_TEST_KILLS=$(KILL_TEST_KILLS) \
		$(BIN)/pytest -q --durations=15 -n $(PYTEST_WORKERS) --dist loadfile -m "not spark" \
		--cov=loaders --cov-report=term:skip-covered

dbt-build: dbt-build-duckdb dbt-build-postgres

dbt-build-duckdb: install
	rm -f target/ci.duckdb
	WAREHOUSE_TARGET=duckdb WAREHOUSE_DUCKDB_PATH=target/ci.duckdb scripts/dbt_build_check.sh

dbt-build-postgres: install
	WAREHOUSE_TARGET=postgres scripts/dbt_build_check.sh

## peers: this project vs tap-github and airbyte-source-github on the emulator (docs/peers.md);
## installs each peer into its own venv under .peers/ on first use (never in CI)
PEERS_WORLD ?= small
peers: install
	RUNTIME__DLTHUB_TELEMETRY=false DO_NOT_TRACK=1 $(BIN)/python benchmarks/peers.py --world $(PEERS_WORLD)

## spark-venv: dbt-core + dbt-spark[session] + pyspark (the `spark` extra of pyproject.toml) in
## their own venv, so the Spark adapter never shares .venv with the runtime (docs/spark.md).
## Needs a Java 17+ runtime (Debian: openjdk-17-jre-headless).
SPARK_VENV ?= .spark-venv
SPARK_STAMP := $(SPARK_VENV)/.installed-stamp
$(SPARK_STAMP): pyproject.toml
	$(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/pip install --quiet --upgrade pip
	$(SPARK_VENV)/bin/pip install --quiet $$($(SPARK_VENV)/bin/python scripts/extra_requirements.py spark)
	touch $(SPARK_STAMP)

spark-venv: $(SPARK_STAMP)

## test-spark: the small world built on DuckDB and on Spark (local[2], in .spark-venv), every
## mart equal row for row (pytests/spark, docs/spark.md). The last step of `make test`.
test-spark: install spark-venv
	RUNTIME__DLTHUB_TELEMETRY=false DO_NOT_TRACK=1 WAREHOUSE_REQUIRE_SPARK=1 \
		$(BIN)/pytest -q -n 0 -m spark -rP --durations=5 pytests/spark

clean:
	rm -rf $(VENV) $(SPARK_VENV) target dbt_packages logs .dbt warehouse.duckdb .spark
