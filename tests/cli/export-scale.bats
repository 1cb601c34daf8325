#!/usr/bin/env bats
# smile export of many users: users exported at once (--concurrency), the
# memory it needs flat however many users (peak RSS, a size, not a time),
# and its progress line on a terminal.

bats_require_minimum_version 1.5.0

load ../lib/emulator

setup_file() {
	emulator_start
	curl -sS --fail -u "$EMU_KEY:$EMU_SECRET" -H 'Content-Type: application/json' -X POST \
		"$EMU_BASE/_emulator/seed" --data-binary '{"linkedUsers": 150}' >/dev/null || return 1
}

teardown_file() {
	emulator_stop
}

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	unset SMILE_PROFILE
	IDS=$("$SMILE" users list --all -o json | jq -r '.[].id' | sort)
}

# Under AddressSanitizer freed memory sits in a quarantine that would be
# counted as RSS; a small one keeps the measurement about smile.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4

smile() { "$SMILE" "$@"; }

# The users the first N requests of a --verbose run went to (/users/ID).
first_users() {
	grep -oE 'GET [^ ]*/v1/users/[^/? ]+' | head -n "$1" | sed 's|.*/users/||' | sort -u | wc -l
}

@test "export --concurrency N starts N users at once; 1 exports them one after another" {
	four=$(head -n 4 <<<"$IDS" | paste -sd,)
	run -0 --separate-stderr smile export --dir "$BATS_TEST_TMPDIR/a" --user-id "$four" --concurrency 4 --verbose
	[ "$(first_users 4 <<<"$stderr")" -eq 4 ]
	run -0 --separate-stderr smile export --dir "$BATS_TEST_TMPDIR/b" --user-id "$four" --concurrency 1 --verbose
	# user.json then payload.json of the first user: one user so far.
	[ "$(first_users 2 <<<"$stderr")" -eq 1 ]
	# Both exports hold the same data.
	for id in $(tr , ' ' <<<"$four"); do
		diff <(jq -S .parts "$BATS_TEST_TMPDIR/a/users/$id/complete.json" | grep -v exportedAt) \
			<(jq -S .parts "$BATS_TEST_TMPDIR/b/users/$id/complete.json" | grep -v exportedAt)
	done
	run -2 smile export --dir "$BATS_TEST_TMPDIR/c" --user-id "$four" --concurrency 0
}

@test "export of 10 times the users needs no more memory" {
	[ -x /usr/bin/time ] || skip "/usr/bin/time is not installed"
	/usr/bin/time -f %M -o "$BATS_TEST_TMPDIR/small" \
		"$SMILE" --rate 0 export --dir "$BATS_TEST_TMPDIR/s" --user-id "$(head -n 15 <<<"$IDS" | paste -sd,)"
	/usr/bin/time -f %M -o "$BATS_TEST_TMPDIR/large" \
		"$SMILE" --rate 0 export --dir "$BATS_TEST_TMPDIR/l" --all-users
	[ "$(find "$BATS_TEST_TMPDIR/l/users" -name complete.json | wc -l)" -eq 150 ]
	small=$(cat "$BATS_TEST_TMPDIR/small") large=$(cat "$BATS_TEST_TMPDIR/large")
	echo "peak RSS: $small kB for 15 users, $large kB for 150"
	[ "$large" -lt $((small + 8192)) ]
}

@test "export shows its progress on a terminal, and only there" {
	command -v script >/dev/null || skip "script (util-linux) is not installed"
	two=$(head -n 2 <<<"$IDS" | paste -sd,)
	script -qec "'$SMILE' export --dir '$BATS_TEST_TMPDIR/t' --user-id $two" /dev/null >"$BATS_TEST_TMPDIR/tty"
	grep -q 'users done, 0 failed, .* left, [0-9]* items, .*/s' "$BATS_TEST_TMPDIR/tty"
	grep -q 'exported 2 users' "$BATS_TEST_TMPDIR/tty"
	run -0 --separate-stderr smile export --dir "$BATS_TEST_TMPDIR/p" --user-id "$two"
	[[ $stderr != *"users done"* ]]
}
