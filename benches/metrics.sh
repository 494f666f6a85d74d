#!/usr/bin/env bash
# Benchmark, release build, every step measured in the same run against the floor of merely
# reading the file: polars' CSV reader for a 1,000,000-case CRM-style CSV (day-first dates), and
# calamine for a 100,000-case XLSX; the CSV's cases also in the order they were received (where
# a trend's earlier periods read fewer of them). Each step runs RUNS times (default 3); the
# median wall time, its ratio to the bare read, and the peak memory are printed.
#   bash benches/metrics.sh [N] [N_XLSX]
#   BIN=/path/to/complaints bash benches/metrics.sh    # time another build of the tool
#   BASE=/path/to/complaints bash benches/metrics.sh   # and a baseline build beside it: each
#       run of a step alternates the two builds, so a machine that slows down mid-run slows both
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
nx=${2:-100000}
runs=${RUNS:-3}
dir=${BENCH_DIR:-/tmp/complaints-bench}
mkdir -p "$dir"
cargo build --release --quiet --bin complaints --bench polars_read --bench calamine_read
cargo build --release --quiet --features generate --bin complaints-generate
bin=${BIN:-./target/release/complaints}
base=${BASE:-}
latest() { ls -t target/release/deps/"$1"-* | grep -v '\.d$' | head -1; }
polars_read=$(latest polars_read)
calamine_read=$(latest calamine_read)
csv="$dir/crm-$n.csv"
[ -f "$csv" ] || ./target/release/complaints-generate --cases "$n" --clean --day-first --out "$dir" --name "crm-$n" >/dev/null
# The same cases in the order they were received, as many systems export them.
arrival="$dir/crm-$n-arrival.csv"
[ -f "$arrival" ] || ./target/release/complaints-generate --cases "$n" --clean --day-first --in-arrival-order \
  --out "$dir" --name "crm-$n-arrival" >/dev/null
xdir="$dir/xlsx-$nx"
[ -f "$xdir/complaints-export.xlsx" ] || ./target/release/complaints-generate --cases "$nx" --out "$xdir" >/dev/null
config=sample-data/complaints.toml
out="$dir/out"
printf 'CSV:  %s (%s cases, %s MB); XLSX: %s (%s cases); %s cores; %s runs a step; %s%s\n' "$csv" "$n" \
  "$(( $(stat -c %s "$csv") / 1000000 ))" "$xdir/complaints-export.xlsx" "$nx" "$(nproc)" "$runs" \
  "$("$bin" --version)" "${base:+; baseline $base}"

# One run: "seconds KiB".
once() {
  /usr/bin/time -f '%e %M' -o "$dir/time.txt" "$@" >/dev/null 2>&1 || true
  cat "$dir/time.txt"
}
# "median-seconds max-MiB" of the "seconds KiB" lines on stdin.
summary() {
  local lines secs mem
  lines=$(cat)
  secs=$(echo "$lines" | awk '{print $1}' | sort -g | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
  mem=$(echo "$lines" | awk '{print $2}' | sort -g | tail -1)
  echo "$secs $((mem / 1024))"
}
# Measures a step, its command given after `--` with BIN standing for the build: sets $now
# (and $was, with a baseline) to "median-seconds max-MiB".
measure() {
  local new="" old="" args a
  for _ in $(seq "$runs"); do
    if [ -n "$base" ]; then
      args=(); for a in "$@"; do [ "$a" = BIN ] && args+=("$base") || args+=("$a"); done
      old+="$(once "${args[@]}")"$'\n'
    fi
    args=(); for a in "$@"; do [ "$a" = BIN ] && args+=("$bin") || args+=("$a"); done
    new+="$(once "${args[@]}")"$'\n'
  done
  now=$(printf '%s' "$new" | summary)
  was=$( [ -n "$base" ] && printf '%s' "$old" | summary || echo "")
}
ratio() { echo "$1 / $2" | bc -l; }
if [ -n "$base" ]; then
  printf '| %-48s | %8s | %6s | %10s | %8s | %6s | %10s |\n|---|---|---|---|---|---|---|\n' \
    step "baseline" "× read" "peak" "now" "× read" "peak"
else
  printf '| %-48s | %8s | %6s | %10s |\n|---|---|---|---|\n' step wall "× read" peak
fi
# A step's row: label, the floor's seconds.
row() {
  local label=$1 floor=$2 s m
  read -r s m <<< "$now"
  if [ -n "$base" ]; then
    local bs bm
    read -r bs bm <<< "$was"
    printf '| %-48s | %6.2f s | %6.2f | %6s MiB | %6.2f s | %6.2f | %6s MiB |\n' "$label" \
      "$bs" "$(ratio "$bs" "$floor")" "$bm" "$s" "$(ratio "$s" "$floor")" "$m"
  else
    printf '| %-48s | %6.2f s | %6.2f | %6s MiB |\n' "$label" "$s" "$(ratio "$s" "$floor")" "$m"
  fi
}
# A ratio row: label, the step's and one quarter's "seconds" for baseline and now.
per_quarter() {
  local label=$1
  if [ -n "$base" ]; then
    printf '|   %-46s |          | %6.2f |            |          | %6.2f |            |\n' "$label" \
      "$(ratio "${2%% *}" "${3%% *}")" "$(ratio "${4%% *}" "${5%% *}")"
  else
    printf '|   %-46s |          | %6.2f |            |\n' "$label" "$(ratio "${4%% *}" "${5%% *}")"
  fi
}
# The floors are fixed programs, timed once like a step (the same figure in both columns):
# prints the row and sets $floor to its seconds.
floor_row() {
  local label=$1 m; shift
  local saved=$base; base=""
  measure "$@"; read -r floor m <<< "$now"
  base=$saved; was=$now
  row "$label" "$floor"
}
floor_row "polars CsvReader alone ($n cases)" "$polars_read" "$csv"; csv_floor=$floor
measure BIN validate "$csv"; row "complaints validate" "$csv_floor"
measure BIN metrics "$csv" --config "$config" --period "2024/25 Q3" --format json; row "complaints metrics, one quarter" "$csv_floor"
q_now=$now; q_was=$was
measure BIN metrics "$csv" --config "$config" --period "2025/26 Q4" --format json --trend 8; row "complaints metrics --trend 8" "$csv_floor"
per_quarter "(× metrics, one quarter)" "$was" "$q_was" "$now" "$q_now"
measure BIN report "$csv" --config "$config" --out "$out"; row "complaints report (Board pack, 8-quarter trends)" "$csv_floor"
per_quarter "(× metrics, one quarter)" "$was" "$q_was" "$now" "$q_now"
measure BIN metrics "$arrival" --config "$config" --period "2024/25 Q3" --format json
row "… one quarter, the cases in arrival order" "$csv_floor"
q_now=$now; q_was=$was
measure BIN metrics "$arrival" --config "$config" --period "2025/26 Q4" --format json --trend 8
row "… --trend 8, the cases in arrival order" "$csv_floor"
per_quarter "(× one quarter in arrival order)" "$was" "$q_was" "$now" "$q_now"
floor_row "calamine alone ($nx cases, XLSX)" "$calamine_read" "$xdir/complaints-export.xlsx"; xlsx_floor=$floor
measure BIN metrics "$xdir/complaints-export.xlsx" --config "$config" --period "2024/25 Q3" --format json
row "complaints metrics, one quarter, XLSX" "$xlsx_floor"
measure BIN report sample-data/complaints-export.csv --config "$config" --out "$out-sample"
if [ -n "$base" ]; then
  read -r bs bm <<< "$was"; read -r s m <<< "$now"
  printf '| %-48s | %6.2f s |        | %6s MiB | %6.2f s |        | %6s MiB |\n' "complaints report, the sample data (3,000 cases)" "$bs" "$bm" "$s" "$m"
else
  read -r s m <<< "$now"
  printf '| %-48s | %6.2f s |        | %6s MiB |\n' "complaints report, the sample data (3,000 cases)" "$s" "$m"
fi
