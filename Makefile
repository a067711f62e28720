# Hémicycle — the two commands of the README, and the steps they are made of.
#   make run   installs what is missing, builds (release) and serves the demo on http://127.0.0.1:3000
#   make test  installs what is missing, then format, lints, unit + integration tests (SQLite and
#              PostgreSQL) and the Playwright journeys in Debian's Chromium
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# npm's wasm-opt (binaryen 132) must come before any other: Debian's breaks hydration.
export PATH := $(CURDIR)/e2e/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CARGO_TERM_COLOR ?= never
# The same variables cargo-leptos sets, so `cargo test` and `cargo clippy` reuse its build artifacts.
export LEPTOS_OUTPUT_NAME := hemicycle
export LEPTOS_SITE_ROOT ?= target/site
export LEPTOS_SITE_PKG_DIR := pkg

# cargo-leptos builds debug code with `--cfg erase_components`; giving cargo test and clippy the same flags lets
# every step share one set of artifacts, and keeps the server the tests build identical to the one the browser
# talks to (a server rendered without the flag does not hydrate cleanly against a client built with it).
DEBUG_RUSTFLAGS := --cfg erase_components

E2E_PORT ?= 3100
SITE_ADDR ?= 127.0.0.1:3000

.PHONY: help tools run build-release test fmt-check lint build-debug unit e2e bench-build clean-test-dbs

help:
	@echo "make run   — start the demo congress on http://$(SITE_ADDR)"
	@echo "make test  — the whole test suite"

tools:
	@.ci/install-tools

# ---- run -------------------------------------------------------------------------------------------
# --precompress leaves brotli and gzip copies of the wasm, JS and CSS beside them: served as they are, never
# compressed again per request (800 laptops opening the motion at once would otherwise cost the server that much).
build-release: tools
	cargo leptos build --release --precompress

run: build-release
	HEMICYCLE_DEMO=1 LEPTOS_SITE_ADDR=$${LEPTOS_SITE_ADDR:-$(SITE_ADDR)} ./target/release/hemicycle

# ---- test ------------------------------------------------------------------------------------------
test: tools
	@$(MAKE) --no-print-directory fmt-check lint unit e2e
	@echo "make test: all steps passed"

fmt-check:
	cargo fmt --all --check

# Clippy per crate and target: `ssr` and `hydrate` are never enabled together.
lint: export RUSTFLAGS := $(DEBUG_RUSTFLAGS)
lint:
	cargo clippy -p domain -p dossier -p migration --all-targets -- -D warnings
	cargo clippy -p domain -p frontend --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p app --features ssr --all-targets -- -D warnings
	cargo clippy -p server --all-targets -- -D warnings

build-debug: export RUSTFLAGS := $(DEBUG_RUSTFLAGS)
build-debug:
	cargo leptos build

unit: export RUSTFLAGS := $(DEBUG_RUSTFLAGS)
unit:
	@url=$$(.ci/ensure-postgres); \
	echo "PostgreSQL for the tests: $${url%%@*}@…"; \
	HEMICYCLE_TEST_PG_URL="$$url" cargo test -p domain -p dossier -p app -p migration -p server --features app/ssr

# Built right before the journeys, so they drive exactly what cargo-leptos produced.
e2e: build-debug
	@if (exec 3<>/dev/tcp/127.0.0.1/$(E2E_PORT)) 2>/dev/null; then \
	  echo "port $(E2E_PORT) is already in use: stop that server or set E2E_PORT"; exit 1; fi
	cd e2e && E2E_PORT=$(E2E_PORT) npx playwright test

# Drops databases left by interrupted test runs.
clean-test-dbs:
	@url=$$(.ci/ensure-postgres); \
	psql "$$url" -Atqc "select datname from pg_database where datname like 'hemicycle_test_%'" \
	  | while read -r db; do psql "$$url" -qc "drop database if exists \"$$db\" with (force)"; done
