#!/usr/bin/env bats
# smile export --revoke against smile-emulator: only users whose export is
# complete and verified are revoked. One user's upload names a file host
# that refuses connections (its archive was made through a Host header of a
# closed port, which is where the emulator says its file lives), so that
# user's file download fails: it keeps its account and archive.

bats_require_minimum_version 1.5.0

load ../lib/emulator

setup_file() {
	emulator_start
	export SMILE_CONFIG=$BATS_FILE_TMPDIR/none.yaml
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	local smile=${SMILE_BUILD:?}/src/smile login i id
	printf '%%PDF-1.4 revoke test\n' >"$BATS_FILE_TMPDIR/upload.pdf"
	i=0
	for login in George:123456 Ryan:654321 Christina:YGUS1; do
		i=$((i + 1))
		id=$("$smile" users create --fields user.id -o csv --no-header) || return 1
		link_account "$id" "${login%%:*}" "${login#*:}" >"$BATS_FILE_TMPDIR/account$i" || return 1
		echo "$id" >"$BATS_FILE_TMPDIR/user$i"
	done
	"$smile" archives create --user-id "$(cat "$BATS_FILE_TMPDIR/user1")" --file-type PAYSLIP \
		"$BATS_FILE_TMPDIR/upload.pdf" -q >"$BATS_FILE_TMPDIR/archive1" || return 1
	"$smile" archives create --user-id "$(cat "$BATS_FILE_TMPDIR/user2")" --file-type PAYSLIP \
		"$BATS_FILE_TMPDIR/upload.pdf" -q >"$BATS_FILE_TMPDIR/archive2" || return 1
	# User 3's upload: its raw file on a port nobody listens on.
	local body
	body=$(jq -nc --arg u "$(cat "$BATS_FILE_TMPDIR/user3")" --arg c "$(base64 -w0 "$BATS_FILE_TMPDIR/upload.pdf")" \
		'{userId: $u, fileType: "PAYSLIP", rawFiles: [{fileName: "upload.pdf", fileExtensionType: "PDF", fileContent: $c}]}')
	curl -sS --fail -u "$EMU_KEY:$EMU_SECRET" -H 'Host: 127.0.0.1:1' -H 'Content-Type: application/json' \
		-X POST "$EMU_URL/archives" --data-binary "$body" | jq -er .data.id >"$BATS_FILE_TMPDIR/archive3" || return 1
}

teardown_file() {
	emulator_stop
}

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	unset SMILE_PROFILE
	for i in 1 2 3; do
		eval "USER$i=\$(cat \"\$BATS_FILE_TMPDIR/user$i\")"
		eval "ACCOUNT$i=\$(cat \"\$BATS_FILE_TMPDIR/account$i\")"
		eval "ARCHIVE$i=\$(cat \"\$BATS_FILE_TMPDIR/archive$i\")"
	done
}

smile() { "$SMILE" "$@"; }

account_status() { smile accounts get "$1" -o json | jq -r .connectionStatus; }
archive_status() { smile archives get "$1" -o json | jq -r .state.status; }

@test "export --revoke on production without --yes refuses before anything is sent" {
	cfg=$BATS_TEST_TMPDIR/config.yaml
	printf 'profiles:\n  live:\n    api_key: %s\n    base_url: %s\n    mode: production\n' "$EMU_KEY" "$EMU_URL" >"$cfg"
	chmod 600 "$cfg"
	before=$(curl -sS -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq .data.requests)
	SMILE_CONFIG=$cfg run -2 --separate-stderr smile --profile live export --dir "$BATS_TEST_TMPDIR/d" \
		--user-id "$USER1" --revoke </dev/null
	[[ $stderr == *"without --yes"* ]]
	after=$(curl -sS -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq .data.requests)
	[ "$before" = "$after" ]
	[ "$(account_status "$ACCOUNT1")" = CONNECTED ]
}

@test "export --revoke revokes only fully exported users; the one whose file failed keeps everything" {
	dir=$BATS_TEST_TMPDIR/backup
	run -8 --separate-stderr smile export --dir "$dir" --user-id "$USER1,$USER2,$USER3" --revoke
	[ "$output" = "$USER3" ]
	[[ $stderr == *"exported 2 users, 0 already complete, 1 failed"* ]]
	[[ $stderr == *"revoked 2 users (2 accounts, 2 archives); nothing revoked of the 1 users that failed"* ]]
	[ "$(account_status "$ACCOUNT1")" = DISCONNECTED ]
	[ "$(account_status "$ACCOUNT2")" = DISCONNECTED ]
	[ "$(archive_status "$ARCHIVE1")" = REVOKED ]
	[ "$(archive_status "$ARCHIVE2")" = REVOKED ]
	[ "$(account_status "$ACCOUNT3")" = CONNECTED ]
	[ "$(archive_status "$ARCHIVE3")" != REVOKED ]
	[ ! -e "$dir/users/$USER3/complete.json" ]
	# What was exported before the revoke is on disk, verified, with what was revoked.
	[ "$(jq -r .connectionStatus "$dir/users/$USER1/accounts.jsonl")" = CONNECTED ]
	[ "$(jq -r '.accounts | join(" ")' "$dir/users/$USER1/revoked.json")" = "$ACCOUNT1" ]
	[ "$(jq -r '.archives | join(" ")' "$dir/users/$USER1/revoked.json")" = "$ARCHIVE1" ]
	# Again: complete users are verified from disk and not revoked twice (no request at all).
	before=$(curl -sS -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq .data.requests)
	run -0 --separate-stderr smile export --dir "$dir" --user-id "$USER1,$USER2" --revoke
	[[ $stderr == *"exported 0 users, 2 already complete, 0 failed"* ]]
	[[ $stderr == *"revoked 2 users (0 accounts, 0 archives)"* ]]
	after=$(curl -sS -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq .data.requests)
	[ "$before" = "$after" ]
}

@test "export --revoke --dry-run shows no revoke and revokes nothing" {
	dir=$BATS_TEST_TMPDIR/backup
	# A dry run sends no DELETE and says nothing was revoked.
	run -0 --separate-stderr smile export --dir "$dir" --user-id "$USER3" --revoke --dry-run
	[[ $output != *DELETE* && $stderr != *DELETE* ]]
	[[ $stderr == *"nothing written or revoked"* ]]
	[ "$(account_status "$ACCOUNT3")" = CONNECTED ]
}
