#!/usr/bin/env bash
# Benchmark: `complaints metrics` on N generated cases (default 1,000,000) against the time and
# memory polars alone takes to read the same CSV, in the same run, release build.
#   bash benches/metrics.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
dir=${BENCH_DIR:-/tmp/complaints-bench}
mkdir -p "$dir"
cargo build --release --quiet --bin complaints --bench polars_read
cargo build --release --quiet --features generate --bin complaints-generate
baseline=$(ls -t target/release/deps/polars_read-* | grep -v '\.d$' | head -1)
file="$dir/cases-$n.csv"
[ -f "$file" ] || ./target/release/complaints-generate --cases "$n" --clean --out "$dir" --name "cases-$n" >/dev/null
printf 'file: %s (%s rows, %s bytes), %s cores\n' "$file" "$n" "$(stat -c %s "$file")" "$(nproc)"
measure() {
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$dir/time.txt" "$@" >/dev/null
  read -r secs kb < "$dir/time.txt"
  printf '%-44s %8.2f s %8.0f MiB\n' "$label" "$secs" "$((kb / 1024))"
}
measure "polars CsvReader, all columns (baseline)" "$baseline" "$file"
measure "complaints validate (ingest + ledger)" ./target/release/complaints validate "$file"
measure "complaints metrics, one quarter" ./target/release/complaints metrics "$file" --config sample-data/complaints.toml --period "2024/25 Q3" --format json
measure "complaints metrics, quarter + 8-quarter trend" ./target/release/complaints metrics "$file" --config sample-data/complaints.toml --period "2025/26 Q4" --format json --trend 8
