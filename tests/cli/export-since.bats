#!/usr/bin/env bats
# smile export --since against smile-emulator: a second export adds only
# what the lists' date filters return from that day on, merged by item id
# into the first one, with its counts and hashes updated. Its own emulator:
# the tests move its clock.

bats_require_minimum_version 1.5.0

load ../lib/emulator

setup_file() {
	emulator_start
	export SMILE_CONFIG=$BATS_FILE_TMPDIR/none.yaml
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	local smile=${SMILE_BUILD:?}/src/smile id
	printf '%%PDF-1.4 since test\n' >"$BATS_FILE_TMPDIR/upload.pdf"
	for i in 1 2; do
		id=$("$smile" users create --fields user.id -o csv --no-header) || return 1
		link_account "$id" George 123456 >/dev/null || return 1
		"$smile" archives create --user-id "$id" --file-type PAYSLIP "$BATS_FILE_TMPDIR/upload.pdf" -q \
			>"$BATS_FILE_TMPDIR/archive$i" || return 1
		echo "$id" >"$BATS_FILE_TMPDIR/user$i"
	done
}

teardown_file() {
	emulator_stop
}

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	unset SMILE_PROFILE
	USER1=$(cat "$BATS_FILE_TMPDIR/user1") USER2=$(cat "$BATS_FILE_TMPDIR/user2")
	ARCHIVE1=$(cat "$BATS_FILE_TMPDIR/archive1")
}

smile() { "$SMILE" "$@"; }

emulator_today() {
	curl -sS --fail -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/clock" | jq -r '.data.now[:10]'
}

# Every JSON Lines file of a user's folder: no id twice, and as many lines
# as complete.json and the manifest say, with their sha256.
check_folder() {
	local dir=$1 user=$2 f name
	for f in "$dir/users/$user"/*.jsonl; do
		name=${f##*/}
		[ -z "$(jq -r .id "$f" | sort | uniq -d)" ] || { echo "$name has an id twice"; return 1; }
		jq -e --arg f "$name" --argjson n "$(wc -l <"$f")" --argjson b "$(stat -c %s "$f")" --arg s "$(sha256sum "$f" | cut -d' ' -f1)" \
			'.parts[$f] | .items == $n and .sha256 == $s and .bytes == $b' "$dir/users/$user/complete.json" >/dev/null ||
			{ echo "$name: complete.json is not what is on disk"; return 1; }
		jq -e --arg u "$user" --arg f "$name" --arg s "$(sha256sum "$f" | cut -d' ' -f1)" \
			'.users[$u].parts[$f].sha256 == $s' "$dir/manifest.json" >/dev/null ||
			{ echo "$name: the manifest is not what is on disk"; return 1; }
	done
}

@test "export --since adds only what is newer, merged by id, with counts and hashes updated" {
	dir=$BATS_TEST_TMPDIR/backup
	run -0 smile export --dir "$dir" --user-id "$USER1"
	u=$dir/users/$USER1
	cp -r "$u" "$BATS_TEST_TMPDIR/first"
	old_archive=$(cat "$u/archives.jsonl")
	[ "$(wc -l <"$u/archives.jsonl")" -eq 1 ]
	# Later: the old archive changes at Smile (revoked, its file gone) and a new one comes.
	smile archives revoke "$ARCHIVE1" >/dev/null
	curl -sS --fail -u "$EMU_KEY:$EMU_SECRET" -H 'Content-Type: application/json' -X POST \
		"$EMU_BASE/_emulator/clock" --data-binary '{"advanceDays": 2}' >/dev/null
	since=$(emulator_today)
	new_archive=$(smile archives create --user-id "$USER1" --file-type PAYSLIP "$BATS_FILE_TMPDIR/upload.pdf" -q)
	run -0 --separate-stderr smile export --dir "$dir" --user-id "$USER1" --since "$since" --verbose
	# The dated lists are asked from that day on, the others whole.
	[[ $stderr == *"/v1/transactions?userId=$USER1&startDate=$since"* ]]
	[[ $stderr == *"/v1/archives?userId=$USER1&startDate=$since"* ]]
	[[ $stderr == *"/v1/eincomes?userId=$USER1&startMonth=${since:0:7}"* ]]
	[[ $stderr == *"/v1/identities?userId=$USER1&size"* ]]
	[[ $stderr == *"exported 1 users, 0 already complete, 0 failed"* ]]
	# The old archive as first exported (not what the API says of it now), then the new one.
	[ "$(wc -l <"$u/archives.jsonl")" -eq 2 ]
	[ "$(head -n 1 "$u/archives.jsonl")" = "$old_archive" ]
	[ "$(jq -r .id "$u/archives.jsonl" | tail -n 1)" = "$new_archive" ]
	diff <(tail -n 1 "$u/archives.jsonl" | jq -c .) <(smile archives get "$new_archive" -o json | jq -c .)
	# The old archive's file is kept though Smile no longer has it; the new one's is fetched.
	for a in "$ARCHIVE1" "$new_archive"; do
		[ "$(ls "$u/archives/$a" | wc -l)" -eq 1 ]
		jq -e --arg a "archives/$a/" '[.files | keys[] | select(startswith($a))] | length == 1' \
			"$u/complete.json" >/dev/null
	done
	# Nothing older came twice: the transactions are the first export's, byte for byte.
	cmp "$u/transactions.jsonl" "$BATS_TEST_TMPDIR/first/transactions.jsonl"
	# A list with no date filter is fetched whole and merged: what the first export had stays.
	[ -z "$(grep -Fxvf "$u/identities.jsonl" "$BATS_TEST_TMPDIR/first/identities.jsonl")" ]
	check_folder "$dir" "$USER1"
	jq -e --arg s "$since" '.since == $s' "$u/complete.json" >/dev/null
	[ -z "$(find "$dir" -name '.smile-*' -o -name 'complete.previous.json')" ]
	# Again with the same day: nothing is added twice.
	cp "$u/complete.json" "$BATS_TEST_TMPDIR/complete.json"
	run -0 smile export --dir "$dir" --user-id "$USER1" --since "$since"
	diff <(jq -S .parts "$u/complete.json") <(jq -S .parts "$BATS_TEST_TMPDIR/complete.json")
	check_folder "$dir" "$USER1"
}

@test "export --since exports whole a user not exported yet, and a part that no longer matches" {
	dir=$BATS_TEST_TMPDIR/backup
	since=$(emulator_today)
	run -0 smile export --dir "$dir" --user-id "$USER2" --since "$since"
	u=$dir/users/$USER2
	# Its transactions are all older than the day, and all there.
	[ "$(wc -l <"$u/transactions.jsonl")" -gt 0 ]
	diff <(jq -c . "$u/transactions.jsonl") <(smile transactions list --user-id "$USER2" --all -o json | jq -c '.[]')
	# A damaged part is fetched whole again, not merged into.
	echo '{"id": "forged"}' >>"$u/transactions.jsonl"
	run -0 --separate-stderr smile export --dir "$dir" --user-id "$USER2" --since "$since" --verbose
	[[ $stderr == *"/v1/transactions?userId=$USER2&size"* ]]
	! grep -q forged "$u/transactions.jsonl"
	check_folder "$dir" "$USER2"
}

@test "export --since with a date that is not one is exit 2 before anything is sent" {
	run -2 smile export --dir "$BATS_TEST_TMPDIR/d" --user-id "$USER1" --since yesterday
	[[ $output == *"--since"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/d" ]
}
