.PHONY: run test setup bench

# Build and serve the app (installs the build tools on first use).
run:
	bash scripts/run.sh

# Every test: Rust unit/integration tests, release build, Playwright end2end.
test:
	bash scripts/test.sh

# Install the build and test tools only.
setup:
	bash scripts/setup.sh --test

# Availability benchmark (criterion); rewrites docs/performance.md with the numbers.
bench:
	bash scripts/bench.sh
