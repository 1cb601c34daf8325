#!/usr/bin/env bash
# Start-up and single-request cost of smile next to curl, in the same run:
#   smile --version              vs  curl --version
#   smile users get ID -o json   vs  curl -u KEY:SECRET URL/users/ID
# against a local smile-emulator. Target: smile within 1.5x of curl.
# usage: bench/cli-vs-curl.sh [BUILD_DIR]   (results: bench/results/cli-vs-curl.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
smile=$build/src/smile
. bench/lib.sh
bench_start_emulator "$build"
id=$("$smile" users create -q)

out=bench/results/cli-vs-curl.txt
{
	echo "# bench/cli-vs-curl.sh, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m)"
	echo "# smile $("$smile" --version | cut -d' ' -f2), $(curl --version | head -1 | cut -d' ' -f1-2)"
	hyperfine -N --warmup 20 --runs 300 --style basic \
		"$smile --version" "curl --version" 2>&1
	hyperfine -N --warmup 20 --runs 300 --style basic \
		"$smile users get $id -o json" \
		"curl -sf -u emulator-key:emulator-secret $url/users/$id" 2>&1
} | tee "$out"
