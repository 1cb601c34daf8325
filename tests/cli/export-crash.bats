#!/usr/bin/env bats
# smile export when things go wrong under it: killed with SIGKILL in the
# middle (then run again), and a disk that fills up. Its own emulator, every
# answer delayed (--latency-ms) so that a run is still going when the test
# sees its first files appear.

bats_require_minimum_version 1.5.0

load ../lib/emulator

seed() {
	curl -sS --fail -u "$EMU_KEY:$EMU_SECRET" -H 'Content-Type: application/json' -X POST \
		"$EMU_BASE/_emulator/seed" --data-binary "$1" >/dev/null
}

user_ids() { "${SMILE_BUILD:?}/src/smile" users list --all -o json | jq -r '.[].id' | sort; }

setup_file() {
	emulator_start --latency-ms 40
	export SMILE_CONFIG=$BATS_FILE_TMPDIR/none.yaml
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	# One user with much data (for the full disk), then three usual ones.
	seed '{"linkedUsers": 1, "transactionsPerUser": 3000}' || return 1
	user_ids >"$BATS_FILE_TMPDIR/big"
	seed '{"linkedUsers": 3}' || return 1
	user_ids | comm -13 "$BATS_FILE_TMPDIR/big" - >"$BATS_FILE_TMPDIR/small"
}

teardown_file() {
	emulator_stop
}

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	unset SMILE_PROFILE
	SMALL=$(tr '\n' ' ' <"$BATS_FILE_TMPDIR/small")
	BIG=$(cat "$BATS_FILE_TMPDIR/big")
}

teardown() {
	if [[ -n ${MOUNTED:-} ]]; then
		umount "$MOUNTED" || true
	fi
	if [[ -n ${EXPORT_PID:-} ]]; then
		kill -9 "$EXPORT_PID" 2>/dev/null || true
	fi
}

smile() { "$SMILE" "$@"; }

# wait_for COMMAND...: runs COMMAND every 20 ms until it succeeds, at most 30 s.
wait_for() {
	local i
	for ((i = 0; i < 1500; i++)); do
		"$@" && return 0
		sleep 0.02
	done
	echo "timed out waiting for: $*" >&2
	return 1
}

# At least N JSON Lines files written under DIR, and a part being written
# (its temporary file there).
mid_part() {
	(($(find "$2" -name '*.jsonl' 2>/dev/null | wc -l) >= $1)) &&
		[ -n "$(find "$2/users" -name '.smile-download-*' 2>/dev/null)" ]
}

@test "export killed with SIGKILL mid-way, then run again: complete, verified, no line twice" {
	dir=$BATS_TEST_TMPDIR/backup
	[ "$(wc -w <<<"$SMALL")" -eq 3 ]
	# The binary itself, not the smile function: $! must be its pid.
	"$SMILE" export --dir "$dir" --user-id "${SMALL// /,}" >/dev/null 2>&1 &
	EXPORT_PID=$!
	# A user's 16 JSON Lines files and some of the next one's: the kill lands mid-user.
	wait_for mid_part 20 "$dir"
	kill -9 "$EXPORT_PID"
	wait "$EXPORT_PID" || true
	EXPORT_PID=
	left=$(find "$dir/users" -name '.smile-download-*')
	[ -n "$left" ]
	complete=$(find "$dir/users" -name complete.json | wc -l)
	[ "$complete" -lt 3 ]
	run -0 --separate-stderr smile export --dir "$dir" --user-id "${SMALL// /,}"
	[[ $stderr == *"exported $((3 - complete)) users, $complete already complete, 0 failed"* ]]
	for user in $SMALL; do
		u=$dir/users/$user
		[ -f "$u/complete.json" ]
		jq -e --arg u "$user" '.users[$u].complete' "$dir/manifest.json" >/dev/null
		for group in accounts transactions incomes archives uploads; do
			diff <(jq -c . "$u/$group.jsonl") \
				<(smile "$group" list --user-id "$user" --all -o json | jq -c '.[]') ||
				{ echo "$user $group differs"; return 1; }
		done
		for f in "$u"/*.jsonl; do
			[ -z "$(sort "$f" | uniq -d)" ] || { echo "$f has a line twice"; return 1; }
			jq -e --arg f "${f##*/}" --argjson n "$(wc -l <"$f")" --arg s "$(sha256sum "$f" | cut -d' ' -f1)" \
				'.parts[$f] | .items == $n and .sha256 == $s' "$u/complete.json" >/dev/null
		done
	done
	# Nothing the killed run left behind: no temporary file, no record set aside.
	for f in $left; do [ ! -e "$f" ] || { echo "$f is still there"; return 1; }; done
	[ -z "$(find "$dir" -name '.smile-*' -o -name complete.previous.json)" ]
	# And the export verifies: a third run finds every user complete.
	run -0 --separate-stderr smile export --dir "$dir" --user-id "${SMALL// /,}"
	[[ $stderr == *"exported 0 users, 3 already complete, 0 failed"* ]]
}

@test "export onto a full disk leaves the user incomplete, fails, and revokes nothing" {
	small=$BATS_TEST_TMPDIR/small
	mkdir "$small"
	mount -t tmpfs -o size=128k tmpfs "$small" 2>/dev/null || skip "cannot mount a tmpfs here"
	MOUNTED=$small
	account=$(smile accounts list --user-id "$BIG" -o json | jq -r '.[0].id')
	run --separate-stderr smile export --dir "$small/backup" --user-id "$BIG" --revoke
	[ "$status" -ne 0 ]
	[[ $stderr == *"No space left on device"* ]]
	[ "$output" = "$BIG" ]
	[ ! -e "$small/backup/users/$BIG/complete.json" ]
	[ ! -e "$small/backup/users/$BIG/revoked.json" ]
	[ "$(smile accounts get "$account" -o json | jq -r .connectionStatus)" = CONNECTED ]
	# The temporary file that did not fit is gone.
	[ -z "$(find "$small/backup/users" -name '.smile-*')" ]
}

# The inodes of the files and folders the trace shows fsynced (strace -y
# names each fd by its path) before the line that renames a file onto
# DIR/complete.json (not the one that sets an old record aside).
fsynced_before_record() { # TRACE USER_DIR
	local n
	n=$(grep -n -F ", \"$2/complete.json\")" "$1" | cut -d: -f1)
	[ -n "$n" ] || return 1
	head -n "$n" "$1" | sed -n 's/.*fsync([0-9]*<\([^>]*\)>.*/\1/p' |
		while read -r path; do stat -c %i "$path" 2>/dev/null || true; done | sort -u
}

@test "export fsyncs every file and folder of a user before its complete.json names them" {
	command -v strace >/dev/null && strace -f -qq -o /dev/null true 2>/dev/null || skip "no strace that can trace here"
	dir=$BATS_TEST_TMPDIR/backup
	# LeakSanitizer cannot run under ptrace (an ASan build); the other
	# tests check the export for leaks.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		run -0 strace -f -y -qq -e trace=fsync,rename,renameat,renameat2 -o "$BATS_TEST_TMPDIR/trace" \
		"$SMILE" export --dir "$dir" --user-id "${SMALL// /,}"
	local id files=0
	for id in $SMALL; do
		udir=$dir/users/$id
		fsynced_before_record "$BATS_TEST_TMPDIR/trace" "$udir" >"$BATS_TEST_TMPDIR/synced"
		[ -s "$BATS_TEST_TMPDIR/synced" ]
		# Every file the record names, and every folder that holds one.
		jq -r '(.parts, .files) | keys[]' "$udir/complete.json" | while read -r name; do
			for p in "$udir/$name" "$(dirname "$udir/$name")"; do
				grep -qx "$(stat -c %i "$p")" "$BATS_TEST_TMPDIR/synced" ||
					{ echo "$p was not fsynced before $udir/complete.json"; return 1; }
			done
		done
		files=$((files + $(jq '.files | length' "$udir/complete.json")))
	done
	# The users have raw files too, not only their lists.
	((files > 0))
}
