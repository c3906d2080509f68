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

# Benchmarks (availability rules, start-up and idle memory, bookings and pages under
# load on SQLite and PostgreSQL); rewrites docs/performance.md.
bench:
	bash scripts/bench.sh
