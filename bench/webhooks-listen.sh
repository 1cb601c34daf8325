#!/usr/bin/env bash
# Events per second that `smile webhooks listen --forward-to` sustains against
# smile-emulator with a local downstream, and the listener's peak memory.
#
#   SMILE_BUILD=/abs/build bench/webhooks-listen.sh [events]
#
# Side by side, in the same run: (a) the emulator delivering straight to the
# downstream (tests/lib/webhook_receiver.py, which checks every signature), and
# (b) the same events through `smile webhooks listen --forward-to`, which
# checks each signature, prints a line per event and per forward, and relays
# each delivery. Events are emitted with POST /_emulator/trigger by one curl
# process (--parallel). A run ends when the downstream holds every event.
# Needs curl, jq and python3. Results: bench/results/webhooks-listen.txt.
set -euo pipefail

events=${1:-2000}
build=${SMILE_BUILD:?SMILE_BUILD must name the build directory}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT

wait_for() { # FILE PATTERN: bounded wait for a line
	for ((i = 0; i < 200; i++)); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "timed out waiting for '$2' in $1" >&2
	exit 1
}

"$build/src/emulator/smile-emulator" --port 0 --webhook-retry-delays-ms none >"$tmp/emu.out" 2>"$tmp/emu.err" &
pids+=($!)
wait_for "$tmp/emu.out" '^listening on '
export SMILE_CONFIG=$tmp/none.yaml SMILE_API_KEY=emulator-key SMILE_API_SECRET=emulator-secret
SMILE_BASE_URL=$(sed -n 's/^listening on //p' "$tmp/emu.out")
export SMILE_BASE_URL
base=${SMILE_BASE_URL%/v1}
smile=$build/src/smile
printf 'bench secret\n' >"$tmp/secret"

: >"$tmp/down.jsonl"
python3 "$here/../tests/lib/webhook_receiver.py" --secret 'bench secret' --out "$tmp/down.jsonl" \
	--lifetime 3600 >"$tmp/down.port" &
pids+=($!)
wait_for "$tmp/down.port" '^[0-9]'
down=http://127.0.0.1:$(head -n 1 "$tmp/down.port")/hooks

# One curl process sends every trigger, 8 at a time.
for ((i = 0; i < events; i++)); do
	printf 'url = "%s/_emulator/trigger"\n' "$base"
done >"$tmp/triggers.curl"
trigger_all() {
	curl -s --no-progress-meter -o /dev/null -Z --parallel-max 8 -u emulator-key:emulator-secret -H 'Content-Type: application/json' \
		-d '{"eventType":"USER_CREATED"}' -K "$tmp/triggers.curl" >/dev/null 2>&1
}

# Seconds until the downstream holds n more lines than it had.
run_until_delivered() {
	local before start now
	before=$(wc -l <"$tmp/down.jsonl")
	start=$(date +%s.%N)
	trigger_all
	while [ "$(wc -l <"$tmp/down.jsonl")" -lt $((before + events)) ]; do
		sleep 0.05
		now=$(date +%s.%N)
		if awk -v a="$start" -v b="$now" 'BEGIN { exit !(b - a > 300) }'; then
			echo "not delivered within 300 s" >&2
			exit 1
		fi
	done
	now=$(date +%s.%N)
	awk -v a="$start" -v b="$now" 'BEGIN { printf "%.2f", b - a }'
}

report() { # LABEL SECONDS
	awk -v l="$1" -v s="$2" -v n="$events" 'BEGIN { printf "%-44s %6d events in %6.2f s: %7.0f events/s\n", l, n, s, n / s }'
}

echo "# smile $("$smile" --version | cut -d' ' -f2), $(nproc) CPUs, $(date -u +%F), $events USER_CREATED events"

# (a) straight to the downstream; run again after (b), so warming up favours neither.
direct() {
	local id
	id=$("$smile" -o json webhooks create --name bench-direct --url "$down" --event-types USER_CREATED \
		--active true --secret-file "$tmp/secret" </dev/null | jq -r .id)
	report "emulator -> downstream" "$(run_until_delivered)"
	"$smile" webhooks delete "$id" --yes >/dev/null
}
direct

# (b) through smile webhooks listen --forward-to.
"$smile" webhooks listen --secret-file "$tmp/secret" --events USER_CREATED --forward-to "$down" \
	>"$tmp/listen.out" 2>"$tmp/listen.err" &
lpid=$!
pids+=($lpid)
wait_for "$tmp/listen.out" '^listening on '
echo "# listen rss at start: $(awk '/^VmRSS/ { print $2 " kB" }' "/proc/$lpid/status")"
report "emulator -> smile webhooks listen -> downstream" "$(run_until_delivered)"
echo "# listen peak rss (VmHWM): $(awk '/^VmHWM/ { print $2 " kB" }' "/proc/$lpid/status")"
echo "# listen printed $(grep -c ' --> ' "$tmp/listen.out") events and $(grep -c ' <-- \[200\]' "$tmp/listen.out") forwards answered 200"
bad=$(jq -s '[.[] | select(.signatureValid | not)] | length' "$tmp/down.jsonl")
echo "# downstream: $(wc -l <"$tmp/down.jsonl") deliveries, $bad with a bad signature"
kill -INT "$lpid"
wait "$lpid" || true
direct
