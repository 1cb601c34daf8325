#!/usr/bin/env bats
# Getting the data out: `smile export` of linked sandbox users, compared item
# for item and byte for byte with what the API serves, and `smile accounts
# export --download` (the md5 the API reports is checked), against
# smile-emulator and, for answers the emulator would never give, against
# tests/lib/fake_archive_server.py.

bats_require_minimum_version 1.5.0

load ../lib/emulator
load ../lib/fake_archive

setup_file() {
	emulator_start
	export SMILE_CONFIG=$BATS_FILE_TMPDIR/none.yaml
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	local smile=${SMILE_BUILD:?}/src/smile
	# Four users, each with one sandbox login linked and one upload.
	local login password id
	printf '%%PDF-1.4 export test\n' >"$BATS_FILE_TMPDIR/upload.pdf"
	USERS=
	for login in George:123456 Ryan:654321 Christina:YGUS1 Anisha:123456; do
		password=${login#*:}
		login=${login%%:*}
		id=$("$smile" users create --fields user.id -o csv --no-header) || return 1
		link_account "$id" "$login" "$password" >"$BATS_FILE_TMPDIR/account-$login" || return 1
		"$smile" archives create --user-id "$id" --file-type PAYSLIP "$BATS_FILE_TMPDIR/upload.pdf" -q \
			>/dev/null || return 1
		USERS+="$id "
	done
	USER_ID=${USERS%% *}
	ACCOUNT_ID=$(cat "$BATS_FILE_TMPDIR/account-George")
	# Two users more, invited three times between them (two and one).
	curl -sS --fail -u "$EMU_KEY:$EMU_SECRET" -H 'Content-Type: application/json' -X POST \
		"$EMU_BASE/_emulator/seed" --data-binary '{"users": 2, "invites": 3}' >/dev/null || return 1
	INVITED=$("$smile" invites list --all -o json | jq -r '[.[].userId] | unique | join(" ")') || return 1
	export USERS USER_ID ACCOUNT_ID INVITED
}

teardown_file() {
	emulator_stop
}

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	unset SMILE_PROFILE
}

teardown() {
	fake_archive_stop
}

smile() { "$SMILE" "$@"; }

@test "accounts export --download saves the file the API serves, in any case of the type" {
	out=$BATS_TEST_TMPDIR/out
	run smile accounts export "$ACCOUNT_ID" --export-extension-type csv --download "$out"
	[ "$status" -eq 0 ]
	[ "$output" = "$out/export.csv" ]
	# Byte for byte what the export's own URL serves.
	url=$(smile accounts export "$ACCOUNT_ID" --export-extension-type CSV -o json | jq -er .downloadUrl)
	curl -sS --fail "$url" -o "$BATS_TEST_TMPDIR/curl.csv"
	cmp "$out/export.csv" "$BATS_TEST_TMPDIR/curl.csv"
	# Nothing else is left in the directory (no temporary file).
	[ "$(ls -A "$out")" = export.csv ]
	# Pdf is PDF on the wire.
	run smile accounts export "$ACCOUNT_ID" --export-extension-type Pdf --dry-run
	[ "$status" -eq 0 ]
	[[ $output == *'{"exportExtensionType":"PDF"}'* ]]
	run smile accounts export "$ACCOUNT_ID" --export-extension-type pdf --download "$out"
	[ "$status" -eq 0 ]
	[ "$output" = "$out/export.pdf" ]
	[[ $(head -c 5 "$out/export.pdf") == %PDF- ]]
	# An existing file is kept.
	run smile accounts export "$ACCOUNT_ID" --export-extension-type pdf --download "$out"
	[ "$status" -eq 1 ]
	[[ $output == *"already exists"* ]]
	[ "$(ls -A "$out" | sort | tr '\n' ' ')" = "export.csv export.pdf " ]
	run smile accounts export "$ACCOUNT_ID" --export-extension-type xml
	[ "$status" -eq 2 ]
	[[ $output == *"expected one of: PDF, CSV"* ]]
}

@test "accounts export --download keeps a file only when its md5 is the one the API reports" {
	fake_archive_api
	out=$BATS_TEST_TMPDIR/out
	run smile accounts export good --export-extension-type csv --download "$out" --base-url "$FAKE_URL"
	[ "$status" -eq 0 ]
	[ "$output" = "$out/export-good.csv" ]
	[ "$(cat "$out/export-good.csv")" = "file-content:export-good.csv" ]
	run smile accounts export bad --export-extension-type csv --download "$out" --base-url "$FAKE_URL"
	[ "$status" -eq 1 ]
	[[ $output == *"'$out/export-bad.csv' is damaged: its md5 is "*", the server said 00000000000000000000000000000000; not kept"* ]]
	grep -q '^GET /files/export-bad.csv' "$FAKE_LOG"
	run smile accounts export no-md5 --export-extension-type csv --download "$out" --base-url "$FAKE_URL"
	[ "$status" -eq 1 ]
	[[ $output == *"no md5 to check the file against"* ]]
	run smile accounts export unsafe --export-extension-type csv --download "$out" --base-url "$FAKE_URL"
	[ "$status" -eq 1 ]
	[[ $output == *"unsafe name from the server"* ]]
	# Only the good file is there: no damaged file, no temporary file.
	[ "$(ls -A "$out")" = export-good.csv ]
}

@test "accounts export --download into a file is a usage error before anything is sent" {
	fake_archive_api
	: >"$BATS_TEST_TMPDIR/file"
	run smile accounts export good --export-extension-type csv --download "$BATS_TEST_TMPDIR/file" --base-url "$FAKE_URL"
	[ "$status" -eq 2 ]
	[[ $output == *"is not a directory"* ]]
	[ ! -s "$FAKE_LOG" ]
}

# same_items FILE GROUP USER: FILE holds, line for line, what `smile GROUP
# list --user-id USER --all` serves.
same_items() {
	diff <(jq -c . "$1") <(smile "$2" list --user-id "$3" --all -o json | jq -c '.[]')
}

@test "export writes every user's data as the API serves it, item for item and byte for byte" {
	dir=$BATS_TEST_TMPDIR/backup
	run smile export --dir "$dir" --user-id "${USERS// /,}"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	for user in $USERS; do
		u=$dir/users/$user
		diff <(jq -c . "$u/user.json") <(smile users get "$user" -o json | jq -c .)
		diff <(jq -c . "$u/payload.json") <(smile users payload "$user" -o json | jq -c .)
		for group in accounts identities employments incomes transactions ratings documents \
			contributions liabilities eincomes insights links archives uploads; do
			same_items "$u/$group.jsonl" "$group" "$user" || { echo "$user $group differs"; return 1; }
		done
		# Linked data really is there (so the comparisons above can fail).
		[ "$(wc -l <"$u/accounts.jsonl")" -eq 1 ]
		[ "$(wc -l <"$u/transactions.jsonl")" -gt 0 ]
		# Every raw file of each archive and upload, byte for byte what its
		# URL serves, and no file on disk that the lists do not name.
		for group in archives uploads; do
			[ "$(jq -s '[.[].rawFiles[]] | length' "$u/$group.jsonl")" -gt 0 ]
			while IFS=$'\t' read -r aid name url; do
				curl -sS --fail "$url" -o "$BATS_TEST_TMPDIR/curl.file"
				cmp "$u/$group/$aid/$name" "$BATS_TEST_TMPDIR/curl.file"
			done < <(jq -r '.id as $a | .rawFiles[] | [$a, .name, .url] | @tsv' "$u/$group.jsonl")
			diff <(jq -r '.id as $a | .rawFiles[] | "\($a)/\(.name)"' "$u/$group.jsonl" | sort) \
				<(cd "$u/$group" && find . -type f | sed 's|^\./||' | sort)
		done
		# complete.json and the manifest agree with what is on disk.
		jq -e --arg u "$user" '.users[$u].complete == true' "$dir/manifest.json" >/dev/null
		for f in user.json accounts.jsonl transactions.jsonl archives.jsonl; do
			sum=$(sha256sum "$u/$f" | cut -d' ' -f1)
			jq -e --arg u "$user" --arg f "$f" --arg s "$sum" --argjson b "$(stat -c %s "$u/$f")" \
				'.users[$u].parts[$f] | .sha256 == $s and .bytes == $b' "$dir/manifest.json" >/dev/null
		done
		jq -e --argjson n "$(wc -l <"$u/transactions.jsonl")" '.parts["transactions.jsonl"].items == $n' \
			"$u/complete.json" >/dev/null
	done
	# The API host, never a credential.
	jq -e --arg h "${EMU_URL#http://}" '.apiHost == ($h | sub("/v1$"; ""))' "$dir/manifest.json" >/dev/null
	! grep -rq "$EMU_SECRET" "$dir"
	# No temporary file is left anywhere.
	[ -z "$(find "$dir" -name '.smile-*')" ]
}

@test "export writes the invites that name each user, from one walk over the invite list" {
	dir=$BATS_TEST_TMPDIR/backup
	[ "$(wc -w <<<"$INVITED")" -eq 2 ]
	run smile export --dir "$dir" --user-id "${INVITED// /,},$USER_ID" --verbose
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	# One walk over the invites, whatever the number of users.
	[ "$(grep -c 'GET .*/v1/invites?' <<<"$output")" -eq 1 ]
	total=0
	for user in $INVITED; do
		f=$dir/users/$user/invites.jsonl
		diff <(jq -c . "$f") <(smile invites list --all -o json | jq -c --arg u "$user" '.[] | select(.userId == $u)')
		n=$(wc -l <"$f")
		total=$((total + n))
		jq -e --arg u "$user" --argjson n "$n" --arg s "$(sha256sum "$f" | cut -d' ' -f1)" \
			'.users[$u].parts["invites.jsonl"] | .items == $n and .sha256 == $s' "$dir/manifest.json" >/dev/null
	done
	[ "$total" -eq 3 ]
	# A user no invite names has an empty part, counted as such.
	[ ! -s "$dir/users/$USER_ID/invites.jsonl" ]
	jq -e '.parts["invites.jsonl"] | .items == 0 and .bytes == 0' "$dir/users/$USER_ID/complete.json" >/dev/null
	# The staging of the walk is gone.
	[ -z "$(find "$dir" -name '.smile-*')" ]
}

@test "export again skips complete users and redoes one whose files no longer match" {
	dir=$BATS_TEST_TMPDIR/backup
	run smile export --dir "$dir" --user-id "$USER_ID"
	[ "$status" -eq 0 ]
	run smile export --dir "$dir" --user-id "$USER_ID"
	[ "$status" -eq 0 ]
	[[ $output == *"exported 0 users, 1 already complete, 0 failed"* ]]
	# A damaged file makes the user incomplete: exported again, whole.
	echo '{"forged": true}' >>"$dir/users/$USER_ID/transactions.jsonl"
	run smile export --dir "$dir" --user-id "$USER_ID"
	[ "$status" -eq 0 ]
	[[ $output == *"exported 1 users, 0 already complete, 0 failed"* ]]
	same_items "$dir/users/$USER_ID/transactions.jsonl" transactions "$USER_ID"
}

@test "export of an unknown user fails that user alone and prints its id" {
	dir=$BATS_TEST_TMPDIR/backup
	run --separate-stderr smile export --dir "$dir" --user-id "nobody-1,$USER_ID"
	[ "$status" -eq 8 ]
	[ "$output" = nobody-1 ]
	[[ $stderr == *"exported 1 users, 0 already complete, 1 failed"* ]]
	[ -f "$dir/users/$USER_ID/complete.json" ]
	[ ! -e "$dir/users/nobody-1" ]
	jq -e '.users | keys == ["'"$USER_ID"'"]' "$dir/manifest.json" >/dev/null
	# Alone, its own status: 4, not found.
	run smile export --dir "$dir" --user-id nobody-1
	[ "$status" -eq 4 ]
	# Ids from stdin, as a pipeline feeds them.
	run bash -c "printf '%s\n' '$USER_ID' | '$SMILE' export --dir '$BATS_TEST_TMPDIR/piped' --user-id -"
	[ "$status" -eq 0 ]
	[ -f "$BATS_TEST_TMPDIR/piped/users/$USER_ID/complete.json" ]
}

@test "export into a file or an unwritable directory is exit 2 before anything is sent" {
	fake_archive_api
	: >"$BATS_TEST_TMPDIR/file"
	run smile export --dir "$BATS_TEST_TMPDIR/file" --user-id good --base-url "$FAKE_URL"
	[ "$status" -eq 2 ]
	[[ $output == *"is not a directory"* ]]
	[ ! -s "$FAKE_LOG" ]
	run smile export --dir "$BATS_TEST_TMPDIR/file/sub" --user-id good --base-url "$FAKE_URL"
	[ "$status" -eq 2 ]
	[ ! -s "$FAKE_LOG" ]
	run smile export --dir "$BATS_TEST_TMPDIR/d"
	[ "$status" -eq 2 ]
	[[ $output == *"give --user-id ID... or --all-users"* ]]
	# --dry-run shows the requests and writes nothing.
	run smile export --dir "$BATS_TEST_TMPDIR/dry" --user-id "$USER_ID" --dry-run
	[ "$status" -eq 0 ]
	[[ $output == *"/v1/transactions?userId=$USER_ID"* ]]
	[[ $output == *"smile: dry run: the requests of 1 users shown (0 already complete), nothing written"* ]]
	[[ $output != *"exported"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/dry" ]
}

@test "export fetches a raw file once when the upload is also an archive" {
	dir=$BATS_TEST_TMPDIR/backup
	run -0 --separate-stderr smile export --dir "$dir" --user-id "$USER_ID" --verbose
	u=$dir/users/$USER_ID
	url=$(jq -r '.rawFiles[0].url' "$u/uploads.jsonl")
	[ "$url" = "$(jq -r '.rawFiles[0].url' "$u/archives.jsonl")" ]
	[ "$(grep -cF "GET $url" <<<"$stderr")" -eq 1 ]
	aid=$(jq -r .id "$u/uploads.jsonl")
	name=$(jq -r '.rawFiles[0].name' "$u/uploads.jsonl")
	cmp "$u/uploads/$aid/$name" "$u/archives/$aid/$name"
	jq -e --arg a "archives/$aid/$name" --arg b "uploads/$aid/$name" '.files[$a] == .files[$b]' "$u/complete.json" >/dev/null
}
