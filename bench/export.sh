#!/usr/bin/env bash
# smile export against a local smile-emulator (no rate limit, no faults), in
# the same run:
#   1. 1,000 seeded linked users (one account, a link's worth of every
#      user-data type, one upload with a raw PDF each):
#        smile --rate 0 export --all-users               (one process)
#      against a shell script of `smile` calls per user, what an operator
#      writes without export: users get, users payload, the 13 lists
#      (--all), the archive files (archives download), and one invite list
#      walk. The script is timed over the first `script_n` users (default
#      100) and scaled to 1,000, said so in the results. Target: 10x.
#   2. smile's peak RSS (/usr/bin/time %M) exporting 100 and 1,000 of those
#      users: it must not grow with the users (everything streams to disk).
#   3. Archive file download throughput: `files` raw files of `mib` MiB each
#      (default 48 of 2 MiB, 4 per archive, 2 archives per user), exported by
#      smile (files fetched in parallel) against curl fetching the same URLs
#      one after another (one curl process, connection reused, and a loop of
#      one curl process per file).
# usage: bench/export.sh [BUILD_DIR] [script_n] [files] [mib]   (results: bench/results/export.txt)
#   BENCH_PARTS="downloads" runs only the named parts (export_vs_script, downloads).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
script_n=${2:-100}
files=${3:-48}
mib=${4:-2}
smile=$PWD/$build/src/smile
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
. bench/lib.sh
bench_start_emulator "$build"
n=1000
lists="accounts identities employments incomes transactions ratings documents contributions
	liabilities eincomes insights links archives uploads"

control() { # PATH [JSON]
	curl -sf -u "$auth" -H 'Content-Type: application/json' -X POST "${url%/v1}/_emulator/$1" \
		${2:+--data-binary "$2"} >/dev/null
}

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# Wall seconds of a command (its output discarded); peak RSS in KiB in $work/rss.
timed() {
	local t0 t1
	t0=$(date +%s.%N)
	/usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
	t1=$(date +%s.%N)
	elapsed "$t0" "$t1"
}

# Wall seconds of a shell function.
timed_fn() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@"
	t1=$(date +%s.%N)
	elapsed "$t0" "$t1"
}

# One user the way a script without `smile export` copies it.
script_user() {
	local id=$1 d=$2/$1 group
	mkdir -p "$d"
	"$smile" --rate 0 users get "$id" -o json >"$d/user.json"
	"$smile" --rate 0 users payload "$id" -o json >"$d/payload.json"
	for group in $lists; do
		"$smile" --rate 0 "$group" list --user-id "$id" --all -o ndjson >"$d/$group.jsonl"
	done
	jq -r .id "$d/archives.jsonl" | while read -r archive; do
		mkdir -p "$d/archives/$archive"
		"$smile" --rate 0 archives download "$archive" --output-dir "$d/archives/$archive" >/dev/null
	done
}

run_script() { # DIR IDS_FILE
	while read -r id; do script_user "$id" "$1"; done <"$2"
	"$smile" --rate 0 invites list --all -o ndjson >"$1/invites.jsonl"
}

complete_users() { find "$1/users" -name complete.json | wc -l; }

export_vs_script() {
	control reset
	control seed '{"linkedUsers": 1000}'
	"$smile" users list --all -o json | jq -r '.[].id' >"$work/ids"
	[ "$(wc -l <"$work/ids")" -eq $n ] || { echo "the seed made $(wc -l <"$work/ids") users" >&2; exit 1; }
	head -n 100 "$work/ids" >"$work/ids100"
	head -n "$script_n" "$work/ids" >"$work/ids-script"
	local s s100 rss rss100 t
	s100=$(timed "$smile" --rate 0 export --dir "$work/e100" --user-id - <"$work/ids100")
	rss100=$(cat "$work/rss")
	s=$(timed "$smile" --rate 0 export --dir "$work/e" --all-users)
	rss=$(cat "$work/rss")
	[ "$(complete_users "$work/e")" -eq $n ] || { echo "smile exported $(complete_users "$work/e") users" >&2; exit 1; }
	t=$(timed_fn run_script "$work/script" "$work/ids-script")
	local items bytes
	items=$(jq '[.users[].parts[].items] | add' "$work/e/manifest.json")
	bytes=$(du -sk "$work/e" | cut -f1)
	printf '%-52s %8s s  (%s items, %.1f MiB on disk)\n' "smile --rate 0 export --all-users, $n users" "$s" \
		"$items" "$(awk -v k="$bytes" 'BEGIN { print k / 1024 }')"
	printf '%-52s %8s s  (%s users: %s s, scaled)\n' "shell script of smile calls per user, $n users" \
		"$(awk -v t="$t" -v a="$script_n" -v b=$n 'BEGIN { printf "%.1f", t * b / a }')" "$script_n" "$t"
	awk -v s="$s" -v t="$t" -v a="$script_n" -v b=$n 'BEGIN {
		printf "export vs script: %.0fx faster (target 10x)\n", t * b / a / s }'
	printf '%-52s %8.1f MiB\n' "smile peak RSS, export of 100 users ($s100 s)" "$(awk -v r="$rss100" 'BEGIN { print r / 1024 }')" \
		"smile peak RSS, export of $n users" "$(awk -v r="$rss" 'BEGIN { print r / 1024 }')"
}

# $files PDFs of $mib MiB, 4 to an archive, 2 archives to a user.
seed_files() {
	control reset
	local users=$(((files + 7) / 8)) u a i id
	for ((u = 0; u < users; u++)); do
		id=$("$smile" users create -q)
		echo "$id" >>"$work/file-users"
		for a in 1 2; do
			for i in 1 2 3 4; do
				{ printf '%%PDF-1.4 bench %s %s %s\n' "$id" "$a" "$i"; head -c $((mib << 20)) /dev/urandom; } \
					>"$work/f$i.pdf"
			done
			"$smile" archives create --user-id "$id" --file-type PAYSLIP "$work"/f[1-4].pdf -q >/dev/null
		done
	done
	rm -f "$work"/f[1-4].pdf
}

downloads() {
	seed_files
	local s c l total mb
	s=$(timed "$smile" --rate 0 export --dir "$work/files" --user-id - <"$work/file-users")
	# The same files' URLs, as the export saved them.
	find "$work/files/users" -name archives.jsonl -exec jq -r '.rawFiles[].url' {} + >"$work/urls"
	total=$(wc -l <"$work/urls")
	mkdir -p "$work/curl"
	awk -v d="$work/curl" '{ printf "url = \"%s\"\noutput = \"%s/%d\"\n", $0, d, NR }' "$work/urls" >"$work/curl.cfg"
	c=$(timed curl -sf -K "$work/curl.cfg")
	rm -rf "$work/curl" && mkdir -p "$work/curl"
	l=$(timed bash -c 'i=0; while read -r u; do i=$((i + 1)); curl -sf -o "$1/$i" "$u" || exit 1; done <"$2"' \
		_ "$work/curl" "$work/urls")
	mb=$(find "$work/curl" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f", s / 1048576 }')
	[ "$(find "$work/files/users" -path '*/archives/*/*' -name '*.pdf' | wc -l)" -eq "$total" ] ||
		{ echo "smile saved fewer files than the archives list" >&2; exit 1; }
	printf '%-52s %8s s  %6.0f MiB/s\n' "smile export, $total files, $mb MiB (with the lists)" "$s" \
		"$(awk -v m="$mb" -v t="$s" 'BEGIN { print m / t }')" \
		"curl, one process, the files one after another" "$c" "$(awk -v m="$mb" -v t="$c" 'BEGIN { print m / t }')" \
		"loop of curl, one process per file" "$l" "$(awk -v m="$mb" -v t="$l" 'BEGIN { print m / t }')"
	awk -v s="$s" -v c="$c" 'BEGIN { printf "downloads vs curl one after another: %.1fx (target >= 1x)\n", c / s }'
}

out=bench/results/export.txt
{
	echo "# bench/export.sh, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), load average at start:$(cut -d' ' -f1-3 /proc/loadavg | sed 's/^/ /')"
	echo "# smile $("$smile" --version | cut -d' ' -f2), $(curl --version | head -1 | cut -d' ' -f1-2), emulator without --rate-limit"
	for part in ${BENCH_PARTS:-export_vs_script downloads}; do "$part"; done
	echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
