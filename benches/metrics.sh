#!/usr/bin/env bash
# Benchmark, release build, every step measured in the same run against the floor of merely
# reading the file: polars' CSV reader for a 1,000,000-case CRM-style CSV (day-first dates), and
# calamine for a 100,000-case XLSX. Each step runs 3 times; the median wall time, its ratio to
# the bare read, and the peak memory are printed.
#   bash benches/metrics.sh [N] [N_XLSX]
#   BIN=/path/to/complaints bash benches/metrics.sh   # time another build of the tool
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
nx=${2:-100000}
dir=${BENCH_DIR:-/tmp/complaints-bench}
mkdir -p "$dir"
cargo build --release --quiet --bin complaints --bench polars_read --bench calamine_read
cargo build --release --quiet --features generate --bin complaints-generate
bin=${BIN:-./target/release/complaints}
latest() { ls -t target/release/deps/"$1"-* | grep -v '\.d$' | head -1; }
polars_read=$(latest polars_read)
calamine_read=$(latest calamine_read)
csv="$dir/crm-$n.csv"
[ -f "$csv" ] || ./target/release/complaints-generate --cases "$n" --clean --day-first --out "$dir" --name "crm-$n" >/dev/null
xdir="$dir/xlsx-$nx"
[ -f "$xdir/complaints-export.xlsx" ] || ./target/release/complaints-generate --cases "$nx" --out "$xdir" >/dev/null
config=sample-data/complaints.toml
out="$dir/out"
printf 'CSV:  %s (%s cases, %s MB); XLSX: %s (%s cases); %s cores; %s\n' "$csv" "$n" "$(( $(stat -c %s "$csv") / 1000000 ))" \
  "$xdir/complaints-export.xlsx" "$nx" "$(nproc)" "$("$bin" --version)"

# median wall seconds and max peak MiB of 3 runs of a command
measure() {
  local times=() mems=()
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$dir/time.txt" "$@" >/dev/null 2>&1 || true
    read -r secs kb < "$dir/time.txt"
    times+=("$secs"); mems+=("$((kb / 1024))")
  done
  local med mem
  med=$(printf '%s\n' "${times[@]}" | sort -g | sed -n 2p)
  mem=$(printf '%s\n' "${mems[@]}" | sort -g | tail -1)
  echo "$med $mem"
}
row() {
  local label=$1 base=$2 secs=$3 mem=$4
  printf '| %-48s | %6.2f s | %5.2f | %6s MiB |\n' "$label" "$secs" "$(echo "$secs / $base" | bc -l)" "$mem"
}
printf '| %-48s | %8s | %5s | %10s |\n|---|---|---|---|\n' "step" "wall" "× read" "peak"
read -r base basemem < <(measure "$polars_read" "$csv")
row "polars CsvReader alone ($n cases)" "$base" "$base" "$basemem"
read -r s m < <(measure "$bin" validate "$csv"); row "complaints validate" "$base" "$s" "$m"
read -r q m < <(measure "$bin" metrics "$csv" --config "$config" --period "2024/25 Q3" --format json); row "complaints metrics, one quarter" "$base" "$q" "$m"
read -r s m < <(measure "$bin" metrics "$csv" --config "$config" --period "2025/26 Q4" --format json --trend 8); row "complaints metrics --trend 8" "$base" "$s" "$m"
printf '|   %-46s |          | %5.2f |            |\n' "(× metrics, one quarter)" "$(echo "$s / $q" | bc -l)"
read -r s m < <(measure "$bin" report "$csv" --config "$config" --out "$out"); row "complaints report (Board pack, 8-quarter trends)" "$base" "$s" "$m"
printf '|   %-46s |          | %5.2f |            |\n' "(× metrics, one quarter)" "$(echo "$s / $q" | bc -l)"
read -r xbase xmem < <(measure "$calamine_read" "$xdir/complaints-export.xlsx")
row "calamine alone ($nx cases, XLSX)" "$xbase" "$xbase" "$xmem"
read -r s m < <(measure "$bin" metrics "$xdir/complaints-export.xlsx" --config "$config" --period "2024/25 Q3" --format json); row "complaints metrics, one quarter, XLSX" "$xbase" "$s" "$m"
read -r s m < <(measure "$bin" report sample-data/complaints-export.csv --config "$config" --out "$out-sample"); printf '| %-48s | %6.2f s |       | %6s MiB |\n' "complaints report, the sample data (3,000 cases)" "$s" "$m"
