#!/usr/bin/env bash
# Throughput of smile-emulator on loopback, measured with wrk.
#
#   SMILE_BUILD=/abs/build bench/emulator-wrk.sh [seconds]
#
# Runs wrk twice against GET /v1/providers (the first page of the catalogue, with
# Basic auth) and twice against GET /v1/users/{id} (a store lookup), printing the
# emulator's resident memory after each run, which must level off, not grow with the
# number of requests served. Needs wrk, curl and jq.
set -euo pipefail

duration=${1:-10}
bin=${SMILE_BUILD:?SMILE_BUILD must name the build directory}/src/emulator/smile-emulator
out=$(mktemp)
trap 'kill "$pid" 2>/dev/null || true; rm -f "$out"' EXIT

"$bin" --port 0 >"$out" &
pid=$!
for ((i = 0; i < 100; i++)); do
	grep -q '^listening on ' "$out" && break
	sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$out")
[[ -n $url ]] || { echo "emulator did not start" >&2; exit 1; }

auth="Authorization: Basic $(printf 'emulator-key:emulator-secret' | base64)"
user=$(curl -s -X POST -H "$auth" "$url/users" | jq -r .data.user.id)
rss() { awk '/^VmRSS/ { print $2 " kB" }' "/proc/$pid/status"; }

echo "# smile-emulator $("$bin" --version | cut -d' ' -f2), $(nproc) CPUs, $(date -u +%F)"
echo "# rss at start: $(rss)"
for path in /providers /providers "/users/$user" "/users/$user"; do
	echo
	echo "## wrk -t2 -c32 -d${duration}s GET /v1$path"
	wrk -t2 -c32 -d"${duration}s" -H "$auth" "$url$path"
	echo "# rss after: $(rss)"
done
