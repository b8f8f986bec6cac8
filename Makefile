# Greengrass Operator — developer entry points. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

SLN        := Greengrass.Operator.sln
CONFIG     ?= Release
RESULTS    := artifacts/test-results
DOTNET     := DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 dotnet
# Test projects run one at a time: the machine has two cores and several suites start real processes.
TEST_FLAGS ?=

.PHONY: help restore build test test-deps crds bench demo clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

restore: ## Restore NuGet packages
	$(DOTNET) restore $(SLN)

build: restore ## Build everything
	$(DOTNET) build $(SLN) -c $(CONFIG) --no-restore

test-deps: ## Install what the tests use (Debian packages, npm peers)
	@build/install-test-deps.sh

test: test-deps build ## Run every test suite and print one closing line
	@rm -rf $(RESULTS)
	@status=0; \
	$(DOTNET) test $(SLN) -c $(CONFIG) --no-build -m:1 \
	  --logger "trx" --logger "console;verbosity=minimal" \
	  --blame-hang-timeout 10m --blame-hang-dump-type none \
	  --results-directory $(RESULTS) $(TEST_FLAGS) || status=$$?; \
	build/test-summary.sh $(RESULTS) || status=1; \
	exit $$status

crds: ## Regenerate crds/ from the C# types
	$(DOTNET) run --project operator/Greengrass.Operator -c $(CONFIG) -- crds generate --output crds

bench: ## Run the benchmarks (results go to docs/benchmarks.md by hand)
	@build/bench.sh

demo: build ## Run the operator and nuclei on the embedded edge cluster with the sample components
	@build/install-test-deps.sh --peers
	@build/demo.sh

clean: ## Remove build output
	$(DOTNET) clean $(SLN) -c $(CONFIG) >/dev/null || true
	rm -rf artifacts
