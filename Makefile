# fleet: developer and CI commands. `make run` starts a demo server, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := build

# Go lives in /usr/local/go on our machines and is not always on PATH (CI, sudo, cron).
ifeq ($(shell command -v go 2>/dev/null),)
export PATH := /usr/local/go/bin:$(PATH)
endif
# sqlite (mattn/go-sqlite3) and h3-go need cgo; fail loudly rather than build without it.
export CGO_ENABLED := 1
# The browser tests drive Debian's chromium through chromedp.
export FLEET_CHROMIUM ?= /usr/bin/chromium

CONSOLE ?= web/console
TESTENV := scripts/testenv.sh
GOTESTFLAGS ?= -timeout 10m
BENCH ?= .

.PHONY: build console console-deps run test test-go test-race test-console test-fuzz deps bench fmt vet clean

## build: the console, then every command under cmd/ into bin/.
build: console
	@mkdir -p bin
	go build -o bin/ ./cmd/...

## console: install the npm packages when needed, then build web/console into web/console/dist.
console: console-deps
	@if [ -f $(CONSOLE)/package.json ]; then cd $(CONSOLE) && npm run build; fi

# npm ci on a fresh clone, or when package.json / package-lock.json changed since the last
# install (npm writes node_modules/.package-lock.json at the end of every install).
console-deps:
	@if [ ! -f $(CONSOLE)/package.json ]; then \
	  echo "console: no $(CONSOLE)/package.json yet; the server serves its placeholder page"; exit 0; \
	fi; \
	command -v npm >/dev/null 2>&1 || { \
	  echo "console: npm not found: install Node.js 20+ (go build ./... alone works without it)" >&2; exit 1; }; \
	cd $(CONSOLE); stamp=node_modules/.package-lock.json; \
	if [ ! -f $$stamp ] || [ package.json -nt $$stamp ] || { [ -f package-lock.json ] && [ package-lock.json -nt $$stamp ]; }; then \
	  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; \
	  else echo "console: no package-lock.json; running npm install"; npm install --no-audit --no-fund; fi; \
	fi

## run: build, then start fleetd with demo data (SQLite under data/, in-process bus) on :8080.
run: build
	FLEET_DEMO=true ./bin/fleetd

## test: the console's unit tests, every Go test against throwaway MariaDB and Redis, and a
## short run of the fuzz targets. Use `make -k test` to run the Go tests even when the console's fail.
test: test-console test-go test-fuzz

## test-fuzz: each fuzz target for FUZZTIME (150,000 inputs, about 10 s for the slowest); a long
## run: `make test-fuzz FUZZTIME=10m`. A count rather than a duration by default: when a duration
## runs out while the fuzzer minimises a new input, Go reports "context deadline exceeded" as a
## failure, which a loaded CI machine hits now and then.
## FUZZTIME_DB is for targets whose test binary links gorm and SQLite: go test instruments every
## package for coverage, the driver too, so an input costs ~0.3 ms even when it never touches it.
## Every target for 10 minutes each: scripts/fuzz-long.sh.
FUZZTIME ?= 150000x
FUZZTIME_DB ?= 30000x
test-fuzz:
	go test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./tracking/jt808/
	go test -run '^$$' -fuzz '^FuzzCondition$$' -fuzztime $(FUZZTIME) ./approval/
	go test -run '^$$' -fuzz '^FuzzSolve$$' -fuzztime $(FUZZTIME) ./dispatch/lap/
	go test -run '^$$' -fuzz '^FuzzOsmAnd$$' -fuzztime $(FUZZTIME_DB) ./tracking/
	go test -run '^$$' -fuzz '^FuzzWSClientMessage$$' -fuzztime $(FUZZTIME_DB) ./web/
	go test -run '^$$' -fuzz '^FuzzDeviceBatch$$' -fuzztime $(FUZZTIME_DB) ./web/

## test-go: go test ./... with the servers of scripts/testenv.sh, always stopped afterwards.
test-go: deps console
	$(TESTENV) run go test $(GOTESTFLAGS) ./...

## test-race: the Go tests with the race detector (slower).
test-race: override GOTESTFLAGS += -race
test-race: test-go

test-console: console-deps
	@if [ -f $(CONSOLE)/package.json ]; then cd $(CONSOLE) && npm run --if-present test; fi

## deps: install MariaDB, Redis and Chromium with apt-get when missing (as root).
deps:
	@$(TESTENV) deps

## bench: benchmarks (no tests) against the same throwaway servers; BENCH=regexp to choose.
bench: deps console
	$(TESTENV) run go test -run '^$$' -bench '$(BENCH)' -benchmem $(GOTESTFLAGS) ./...

fmt:
	go fmt ./...

vet:
	go vet ./...

## clean: built binaries and the built console (dist/.gitkeep stays for go:embed).
clean:
	rm -rf bin
	@if [ -d $(CONSOLE)/dist ]; then \
	  find $(CONSOLE)/dist -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +; fi
