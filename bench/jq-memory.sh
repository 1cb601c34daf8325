#!/usr/bin/env bash
# Peak memory and time of --jq over --all, per page (the default) and with
# --slurp, beside the plain --all, over 100,000 seeded users of a local
# smile-emulator, measured with /usr/bin/time -v in the same run.
# Target: per page within 1.5x of the plain --all's peak memory.
# The program is `.[].id`: per page it sees each page's items as an array,
# with --slurp every item as one array, so the output is the same.
# usage: bench/jq-memory.sh [BUILD_DIR] [USERS]   (results: bench/results/jq-memory.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
users=${2:-100000}
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
smile=$build/src/smile
. bench/lib.sh
bench_start_emulator "$build"
curl -sf -u emulator-key:emulator-secret -X POST -H 'Content-Type: application/json' \
	--data "{\"users\": $users}" "${url%/v1}/_emulator/seed" >/dev/null

# NAME ARGS...: one line: peak RSS (kB), wall time, lines printed.
measure() {
	local name=$1
	shift
	/usr/bin/time -v -o "$work/time" "$smile" --rate 0 users list --all "$@" >"$work/stdout"
	local rss wall
	rss=$(sed -n 's/^\tMaximum resident set size (kbytes): //p' "$work/time")
	wall=$(sed -n 's/^\tElapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time")
	printf '%-28s %10s kB  %8s  %7s lines\n' "$name" "$rss" "$wall" "$(wc -l <"$work/stdout")"
	echo "$rss" >"$work/rss.$name"
}

out=bench/results/jq-memory.txt
{
	echo "# bench/jq-memory.sh, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), $users users"
	echo "# smile $("$smile" --version | cut -d' ' -f2); peak RSS and wall time of: smile users list --all ..."
	for run in 1 2 3; do
		measure "plain-json-$run" -o json
		measure "plain-ndjson-$run" -o ndjson
		measure "jq-per-page-$run" --jq '.[].id'
		measure "jq-slurp-$run" --slurp --jq '.[].id'
	done
	plain=$(cat "$work"/rss.plain-ndjson-* | sort -n | sed -n 2p)
	page=$(cat "$work"/rss.jq-per-page-* | sort -n | sed -n 2p)
	slurp=$(cat "$work"/rss.jq-slurp-* | sort -n | sed -n 2p)
	echo "# medians: plain --all (ndjson) $plain kB, --jq per page $page kB, --jq --slurp $slurp kB"
	awk -v p="$plain" -v j="$page" 'BEGIN { printf "# per page / plain: %.2fx (target <= 1.5x)\n", j / p }'
} | tee "$out"
