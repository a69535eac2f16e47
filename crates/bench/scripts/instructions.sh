#!/usr/bin/env bash
# Instructions per operation for every contender of the cases matching a
# filter, counted by callgrind inside the measured region only.
#
#   crates/bench/scripts/instructions.sh arena/u64-reused [N]
#
# Each contender runs twice, with N and 2N operations; the difference of the
# two counts divided by N cancels setup and teardown.
set -euo pipefail
filter=${1:?usage: instructions.sh CASE-FILTER [N]}
ops=${2:-200000}
cd "$(dirname "$0")/../../.."
command -v valgrind >/dev/null || { echo "valgrind is not installed: no instruction counts" >&2; exit 0; }
cargo build --quiet --release -p bench --bin compare
bin=target/release/compare
count() {
    valgrind --tool=callgrind --toggle-collect='*measured_region*' --callgrind-out-file=/dev/null \
        "$bin" --ops "$1" --case "$2" --contender "$3" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf '%-28s %-20s %12s\n' case contender instr/op
"$bin" --list | grep -F -- "$filter" | while read -r case contender; do
    small=$(count "$ops" "$case" "$contender")
    large=$(count "$((2 * ops))" "$case" "$contender")
    awk -v a="$small" -v b="$large" -v n="$ops" -v c="$case" -v k="$contender" \
        'BEGIN { printf "%-28s %-20s %12.2f\n", c, k, (b - a) / n }'
done
