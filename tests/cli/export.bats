#!/usr/bin/env bats
# Getting the data out: `smile accounts export --download` (the md5 the API
# reports is checked) against smile-emulator and, for files the emulator
# would never get wrong, against tests/lib/fake_archive_server.py.

load ../lib/emulator
load ../lib/fake_archive

setup_file() {
	emulator_start
	export SMILE_CONFIG=$BATS_FILE_TMPDIR/none.yaml
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	local smile=${SMILE_BUILD:?}/src/smile
	USER_ID=$("$smile" users create --fields user.id -o csv --no-header) || return 1
	ACCOUNT_ID=$(link_account "$USER_ID" George 123456) || return 1
	export USER_ID ACCOUNT_ID
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
