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
work=$(mktemp -d)
"$build/src/emulator/smile-emulator" --port 0 >"$work/out" 2>/dev/null &
emu=$!
trap 'kill $emu 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q listening "$work/out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/out")
export SMILE_BASE_URL=$url SMILE_API_KEY=emulator-key SMILE_API_SECRET=emulator-secret
export SMILE_CONFIG=$work/none.yaml
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
