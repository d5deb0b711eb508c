# hotspotctl — lab targets (see lab/README.md).
#   make lab                       full scenario matrix in the VM lab
#   make lab SCENARIOS="open wpa2" pick scenarios by name
#   make lab LAB_TOOL=nmcli        drive plain nmcli instead of hotspotctl
#   make lab LAB_MODE=systemd      boot the guest with systemd as PID 1
#   make lab-bench                 nmcli vs hotspotctl on adverse scenarios -> lab/out/bench.json
#   make lab-demo                  boot the lab, run a few joins and failures, print reports
SCENARIOS ?=
LAB_TOOL ?= auto
LAB_MODE ?= simple
BENCH_RUNS ?= 3

.PHONY: lab lab-bench lab-demo lab-selftest lab-findings

lab:
	lab/run --mode $(LAB_MODE) --tool $(LAB_TOOL) $(SCENARIOS)

lab-bench:
	BENCH_RUNS=$(BENCH_RUNS) lab/run --suite bench --mode $(LAB_MODE)

# On a fresh machine this first installs lab/packages.txt (via .ci/setup).
lab-demo:
	@if [ -x .ci/setup ]; then .ci/setup; fi
	lab/run --suite demo --mode $(LAB_MODE)

lab-findings:
	lab/run --exec lab/guest/findings.sh --mode $(LAB_MODE)

lab-selftest:
	lab/selftest.sh

# ---- tests (the README's test command is `make test`) ----
.PHONY: test unit setup

setup:
	.ci/setup

# The service suite runs first: lab/run clears lab/out, and the matrix's
# results are the ones to keep there.
test: unit lab-service lab

unit:
	@fmt=$$(gofmt -l $$(find . -name '*.go' -not -path './lab/out/*')); if [ -n "$$fmt" ]; then echo "gofmt needed: $$fmt"; exit 1; fi
	go vet ./...
	GOOS=darwin go vet ./...
	go test -race -count=1 ./...
	@if [ -x systemd/check.sh ]; then systemd/check.sh; fi

# hotspotctl daemon under systemd as PID 1 (lab/service/suite.sh; see docs/daemon.md).
lab-service:
	mkdir -p lab/out/bin && daemon/bench/idle.sh --build-baseline lab/out/bin/go-blocking
	lab/run --exec lab/service/suite.sh --mode systemd
