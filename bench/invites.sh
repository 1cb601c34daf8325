#!/usr/bin/env bash
# 1,000 invitations against a local smile-emulator (no rate limit, no
# faults), three ways, in the same run, the emulator reset between them:
#   smile --rate 0 invites send --file people.csv      (journal, fdatasync)
#   a shell loop of curl over the same CSV              (one process per row)
#   xargs -P 8 curl over the same CSV                   (8 processes at once)
# Each is run `runs` times; the median seconds and the ratios are reported.
# Target: smile at least 10x faster than the loop and 2x faster than xargs.
# Then a re-send of a file of `big` rows (default 100,000) that were all
# invited already: smile (which reads its journal and sends nothing) against
# a plain re-run (xargs -P 8 curl, which sends every row again: timed over
# the first plain_n rows, default 5,000, and scaled), with the peak memory
# of smile; and smile's journal of a million invitations read
# for a dry run.
# usage: bench/invites.sh [BUILD_DIR] [runs] [big] [plain_n]   (results: bench/results/invites.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-3}
big=${3:-100000}
plain_n=${4:-5000}
smile=$PWD/$build/src/smile
. bench/lib.sh
bench_start_emulator "$build"
n=1000

reset_emulator() {
	curl -sf -X POST -u "$auth" "${url%/v1}/_emulator/reset" >/dev/null
	template=$(curl -sf -u "$auth" -H 'Content-Type: application/json' "$url/inviteTemplates" -d '{
		"name": "Bench", "company": {"name": "Example", "logoUrl": "https://example.com/l.png"},
		"email": {"sendEmail": false, "senderName": "Example", "replyAddress": "hr@example.com",
			  "subject": "Connect", "body": "Please connect."},
		"landingPage": {"header": "Hi", "description": "Connect", "button": "Start"},
		"successPage": {"header": "Thanks", "description": "Done", "button": "Close"}}' | jq -r .data.id)
	{
		echo "email,fullName,templateId"
		seq 1 $n | awk -v t="$template" '{ printf "p%d@example.com,Person %d,%s\n", $1, $1, t }'
	} >"$work/people.csv"
	rm -rf "$work/state"
}

invites_count() {
	curl -sf -u "$auth" "${url%/v1}/_emulator/stats" | jq -r '.data.collections.invites // 0'
}

run_smile() {
	"$smile" --rate 0 invites send --file "$work/people.csv" -o ndjson >/dev/null 2>&1
}

# One POST per row; the body is built with printf (no commas or quotes in
# these rows, so no JSON escaping is needed).
run_loop() {
	tail -n +2 "$work/people.csv" | while IFS=, read -r email name tpl; do
		curl -sf -o /dev/null -u "$auth" -H 'Content-Type: application/json' "$url/invites" \
			-d "{\"email\":\"$email\",\"fullName\":\"$name\",\"templateId\":\"$tpl\"}"
	done
}

run_xargs() {
	tail -n +2 "${1:-$work/people.csv}" |
		awk -F, '{ printf "{\"email\":\"%s\",\"fullName\":\"%s\",\"templateId\":\"%s\"}\n", $1, $2, $3 }' |
		tr '\n' '\0' |
		xargs -0 -P 8 -I{} curl -sf -o /dev/null -u "$auth" -H 'Content-Type: application/json' \
			"$url/invites" -d {}
}

# Median seconds of `runs` runs of one way; checks every run made n invites.
measure() {
	local fn=$1 i t0 t1 times=()
	for ((i = 0; i < runs; i++)); do
		reset_emulator
		t0=$(date +%s.%N)
		"$fn"
		t1=$(date +%s.%N)
		made=$(invites_count)
		[ "$made" -eq $n ] || { echo "$fn made $made invites, not $n" >&2; exit 1; }
		times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
	done
	printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

seconds_of() { # command...: wall seconds; peak RSS (KiB) in $work/rss
	local t0 t1
	t0=$(date +%s.%N)
	/usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1 || true
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

# Everyone in a file of $big rows was invited; the file is sent again.
resend_big() {
	reset_emulator
	{
		echo "email,fullName,templateId"
		seq 1 "$big" | awk -v t="$template" '{ printf "p%d@example.com,Person %d,%s\n", $1, $1, t }'
	} >"$work/big.csv"
	local first again plain
	first=$(seconds_of "$smile" --rate 0 invites send --file "$work/big.csv" -o ndjson)
	[ "$(invites_count)" -eq "$big" ] || { echo "the first send made $(invites_count) invites" >&2; exit 1; }
	again=$(seconds_of "$smile" --rate 0 invites send --file "$work/big.csv" -o ndjson)
	rss=$(cat "$work/rss")
	[ "$(invites_count)" -eq "$big" ] || { echo "smile's re-send invited someone twice" >&2; exit 1; }
	# The plain re-run sends every row again; at ~60 rows/s on a small
	# machine 100,000 would take half an hour, so it runs over the first
	# $plain_n rows and its time is scaled to $big (said so in the results).
	head -n $((plain_n + 1)) "$work/big.csv" >"$work/plain.csv"
	local t0 t1
	t0=$(date +%s.%N)
	run_xargs "$work/plain.csv"
	t1=$(date +%s.%N)
	plain=$(awk -v a="$t0" -v b="$t1" -v n="$plain_n" -v m="$big" 'BEGIN { printf "%.1f", (b - a) * m / n }')
	printf '%-44s %8s s\n' "first send of $big rows, smile --rate 0" "$first" \
		"re-send of the same $big rows, smile" "$again" \
		"re-send, xargs -P 8 curl (from $plain_n rows)" "$plain"
	awk -v a="$again" -v p="$plain" -v n="$(invites_count)" -v b="$big" -v r="$rss" 'BEGIN {
		printf "re-send: smile %.0fx faster, peak RSS %.1f MiB, 0 invitations sent again;\n", p / a, r / 1024
		printf "         the plain re-run invited %d people twice\n", n - b
	}'
}

# A journal of a million sent invitations, read for a dry run of its file.
journal_million() {
	local m=1000000 dir="$work/state/smile" t journal
	{
		echo "email,fullName,templateId"
		seq 1 $m | awk '{ printf "m%d@example.com,Person %d,ivt-m\n", $1, $1 }'
	} >"$work/million.csv"
	rm -rf "$work/state"
	journal=$("$smile" invites send --file "$work/million.csv" --dry-run | sed 's/.*; journal \(.*\))$/\1/')
	mkdir -p "$dir"
	seq 1 $m | awk '{ printf "{\"email\":\"m%d@example.com\",\"templateId\":\"ivt-m\",\"state\":\"sent\",\"inviteId\":\"iv-%032d\"}\n", $1, $1 }' >"$journal"
	t=$(seconds_of "$smile" invites send --file "$work/million.csv" --dry-run)
	printf '%-44s %8s s, peak RSS %.1f MiB, journal %.1f MiB\n' "dry run of 1,000,000 rows, all in the journal" "$t" \
		"$(awk '{ print $1 / 1024 }' "$work/rss")" "$(du -k "$journal" | awk '{ print $1 / 1024 }')"
}

out=bench/results/invites.txt
{
	echo "# bench/invites.sh, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), $n invitations, median of $runs runs"
	echo "# smile $("$smile" --version | cut -d' ' -f2), $(curl --version | head -1 | cut -d' ' -f1-2), emulator without --rate-limit"
	s=$(measure run_smile)
	l=$(measure run_loop)
	x=$(measure run_xargs)
	printf '%-44s %8s s\n' "smile --rate 0 invites send --file (c=8)" "$s" \
		"shell loop of curl" "$l" "xargs -P 8 curl" "$x"
	awk -v s="$s" -v l="$l" -v x="$x" 'BEGIN {
		printf "smile vs loop:  %.1fx faster (target 10x)\n", l / s
		printf "smile vs xargs: %.1fx faster (target 2x)\n", x / s
	}'
	resend_big
	journal_million
} | tee "$out"
