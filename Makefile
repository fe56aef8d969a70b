# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of
# those two and can be run alone.
.PHONY: bootstrap configure build web run run-cluster test release bench fuzz fuzz-build format configs clean

DATA_DIR ?= var
JOBS ?= 2
FUZZ_SECONDS ?= 120

bootstrap:
	@scripts/bootstrap

build/build.ninja: | bootstrap
	cmake --preset dev

configure: bootstrap build/build.ninja

build: configure web
	cmake --build --preset dev -j $(JOBS)

# The web apps (web/: TypeScript, Vite), built into web/dist, which the gateway serves. Rebuilt
# only when a source changed; bootstrap installed web/node_modules from the lock file.
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html \
  web/console/index.html web/scan/index.html web/swagger/index.html web/vite.config.ts web/tsconfig.json web/package-lock.json $(wildcard web/scripts/*.mjs)

web: web/dist/.built

web/dist/.built: $(WEB_SOURCES) | bootstrap
	cd web && npm run --silent build
	touch $@

# An empty data directory gets the demo network first (stations of Bangladesh, an operator,
# 30 days of trips); the demo manager's password is written to $(DATA_DIR)/demo-credentials.txt.
run: build
	@if [ -z "$$(ls -A $(DATA_DIR) 2>/dev/null)" ]; then \
	  build/bin/travio seed --demo --data-dir $(DATA_DIR) --set log.level=warn; fi
	build/bin/travio serve --data-dir $(DATA_DIR)

# The microservices deployment of deploy/compose.yaml as plain processes on this machine:
# PostgreSQL, a Redis Cluster, RabbitMQ and S3 on loopback, every target in its own process
# (gateway and inventory twice). Prints where the gateways listen; Ctrl-C stops everything.
run-cluster: build
	scripts/run-cluster

# The tests include a short run of every fuzzer, so the fuzz preset is built too: beside the
# tests, on the cores they leave idle, its runs last (scripts/test).
test: build
	scripts/test

release: bootstrap web
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

# Every benchmark keeps its figures in one file, and the run ends with the table of the fast
# path's goals (bench/summary.sh): each figure beside its reference from the same run.
bench: export BENCH_FIGURES = $(CURDIR)/build-release/bench-figures.txt
bench: release
	@scripts/bootstrap --bench
	@rm -f $$BENCH_FIGURES
	bench/http.sh
	BENCH_BUILD=0 bench/inventory.sh
	BENCH_BUILD=0 bench/queue.sh
	BENCH_BUILD=0 bench/tickets.sh
	BENCH_BUILD=0 bench/pricing.sh
	BENCH_BUILD=0 bench/year.sh
	BENCH_BUILD=0 bench/reports.sh
	BENCH_BUILD=0 bench/microservices.sh
	bench/web.sh
	@bench/summary.sh $$BENCH_FIGURES

# libFuzzer programs (fuzz/, clang): built beside the dev tree in build-fuzz/; `make fuzz` runs
# each for FUZZ_SECONDS.
fuzz-build: bootstrap
	@scripts/fuzz build

fuzz: fuzz-build
	@scripts/fuzz all $(FUZZ_SECONDS)

configs: build
	{ head -n 2 configs/travio.yaml; build/bin/travio config print; } > configs/travio.yaml.new
	mv configs/travio.yaml.new configs/travio.yaml

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build build-release build-fuzz web/dist
