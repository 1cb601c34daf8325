#!/usr/bin/env bats
# How results are seen (issues 15 and 16), against smile-emulator: --jq
# page by page and --slurp, raw strings, --jq into a table, ids never cut,
# the first-page hint and --print-cursor, empty tables, --fields warnings,
# default columns and csv of every field.

bats_require_minimum_version 1.5.0
load ../lib/emulator

setup_file() {
	emulator_start
	# 400 users: three pages of 150 with --all.
	curl -sf -u "$EMU_KEY:$EMU_SECRET" -X POST -H 'Content-Type: application/json' \
		--data '{"users": 400}' "$EMU_BASE/_emulator/seed" >/dev/null
}

teardown_file() { emulator_stop; }

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	unset SMILE_PROFILE NO_COLOR
	export COLUMNS=200
}

smile() { "$SMILE" --rate 0 "$@"; }

# Runs smile on a pseudo-terminal (stdout and stderr), COLUMNS wide.
on_tty() { # COLUMNS ARGS...
	local cols=$1
	shift
	COLUMNS=$cols script -qec "$(printf '%q ' "$SMILE" --rate 0 "$@")" /dev/null | tr -d '\r'
}

@test "--jq with --all runs page by page; --slurp once over every item; a per-item program agrees" {
	run smile users list --all --jq 'length'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '150\n150\n100')" ]
	run smile users list --all --slurp --jq 'length'
	[ "$status" -eq 0 ]
	[ "$output" = 400 ]
	smile users list --all --jq '.[].id' >"$BATS_TEST_TMPDIR/page"
	smile users list --all --slurp --jq '.[].id' >"$BATS_TEST_TMPDIR/slurp"
	smile users list --all -o json | jq '.[].id' >"$BATS_TEST_TMPDIR/plain"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/page")" -eq 400 ]
	cmp "$BATS_TEST_TMPDIR/page" "$BATS_TEST_TMPDIR/slurp"
	cmp "$BATS_TEST_TMPDIR/page" "$BATS_TEST_TMPDIR/plain"
}

@test "--all --jq: a runtime error on page 3 keeps pages 1 and 2, says so in one line, exit 1, no page 4" {
	third=$(smile users list --all --size 100 -o json | jq -r '.[200].id')
	prog="if any(.[]; .id == \"$third\") then error(\"page 3\") else length end"
	run --separate-stderr smile users list --all --size 100 --jq "$prog"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '100\n100')" ]
	[ "$stderr" = "smile: jq: error: page 3" ]
	# The same with --slurp: one run over everything, so nothing before the error.
	run --separate-stderr smile users list --all --size 100 --slurp --jq ".[] | select(.id == \"$third\") | error(\"item\")"
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "smile: jq: error: item" ]
}

@test "smile api --all --jq runs per envelope; --slurp over the array of them" {
	run smile api GET /users -f size=150 --all --jq '.data.items | length'
	[ "$output" = "$(printf '150\n150\n100')" ]
	run smile api GET /users -f size=150 --all --slurp --jq 'map(.data.items | length) | add'
	[ "$status" -eq 0 ]
	[ "$output" = 400 ]
}

@test "--slurp and --raw-output without --jq are usage errors" {
	run smile users list --slurp
	[ "$status" -eq 2 ]
	[ "$output" = "smile: --slurp applies to --jq, which is not given" ]
	run smile users list -r
	[ "$status" -eq 2 ]
}

@test "--jq -r prints strings raw, as jq -r; without it JSON strings" {
	run smile users list --size 2 --jq '.[].id' -r
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == emulator-* ]]
	run smile users list --size 2 --raw-output --jq '.[] | {id}' -o ndjson
	[[ ${lines[0]} == '{"id":"emulator-'* ]]
	run smile users list --size 2 --jq '.[].id'
	[[ ${lines[0]} == '"emulator-'* ]]
}

@test "--jq -o table renders the results as a table: the verb's columns, else the results' keys" {
	run smile users list --size 3 --jq '.[] | select(.id)' -o table
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == "ID "*CREATEDAT* ]]
	[ "${#lines[@]}" -eq 4 ]
	run smile users list --size 2 --jq '.[] | {id, n: 1}' -o table
	[[ ${lines[0]} =~ ^ID\ +N$ ]]
	[[ ${lines[1]} =~ ^emulator-[0-9a-f]+\ +1$ ]]
	run smile users list --size 2 --jq '.[] | {id, n: 1}' -o csv
	[ "${lines[0]}" = id,n ]
}

@test "a table never cuts ids: other columns give way first" {
	run env COLUMNS=60 "$SMILE" users list --size 3 -o table
	[ "$status" -eq 0 ]
	[[ ${lines[1]} =~ ^emulator-[0-9a-f]{32}\  ]]
	run env COLUMNS=60 "$SMILE" users list --size 3 -o table --fields session.status,id
	[[ ${lines[1]} =~ \ emulator-[0-9a-f]{32}$ ]]
}

@test "a first page says on a terminal that more exist, and how; --print-cursor gives the cursor to scripts" {
	out=$(on_tty 200 providers list)
	[[ $out == *"smile: 10 shown, more exist: --all for every page, or --cursor "*" for the next"* ]]
	# Not on a terminal: stderr stays quiet.
	run --separate-stderr smile providers list -q
	[ -z "$stderr" ]
	[ "${#lines[@]}" -eq 10 ]
	# --all, and the last page, have nothing to say.
	out=$(on_tty 200 providers list --all)
	[[ $out != *"more exist"* ]]
	cursor=$(smile providers list -q --print-cursor 2>&1 >/dev/null)
	[ -n "$cursor" ]
	run --separate-stderr smile providers list -q --cursor "$cursor" --print-cursor
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	total=$(smile providers list --all -q | wc -l)
	[ "${#lines[@]}" -eq $((total - 10)) ]
}

@test "an empty list in table mode prints the header; csv its default columns" {
	run --separate-stderr smile accounts list -o table
	[ "$status" -eq 0 ]
	[[ $output =~ ^ID\ +USERID\ +PROVIDERID ]]
	[ "${#lines[@]}" -eq 1 ]
	run smile accounts list -o table --no-header
	[ -z "$output" ]
	run smile accounts list -o csv
	[[ $output == id,userId,providerId,* ]]
}

@test "--fields with a field no item has warns on stderr" {
	run --separate-stderr smile users list --size 2 --fields id,nosuchfield -o json
	[ "$status" -eq 0 ]
	[ "$stderr" = "smile: warning: no item has the field 'nosuchfield' (--fields help lists the fields there are)" ]
	[ "$(jq -r '.[0].id' <<<"$output")" != null ]
	run --separate-stderr smile users list --size 2 --fields id,session.status -o table
	[ -z "$stderr" ]
}

@test "default columns: users get, incomes, transactions, accounts (errorCode)" {
	id=$(smile users create -q)
	run smile users get "$id" -o table
	[[ ${lines[0]} == *EXTERNALMETADATA*PROVIDERS* ]]
	run smile accounts list -o table
	[[ ${lines[0]} == *CONNECTIONSTATUS\ *CONNECTION.ERRORCODE* ]]
	run smile incomes list -o table
	[[ ${lines[0]} == *METADATA.SOURCEID*METADATA.PROVIDERID* ]]
	run smile transactions list -o table
	[[ ${lines[0]} == *METADATA.SOURCEID*METADATA.PROVIDERID* ]]
	run smile webhooks list -o table
	[[ ${lines[0]} == *EVENTTYPES*ACTIVE* ]]
}

@test "-o csv writes every field, flattened with dot paths, the default columns first" {
	id=$(smile users create --metadata crm=42 -q)
	run smile users get "$id" -o csv
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == id,createdAt,session.status,externalMetadata,providers,* ]]
	[[ ,${lines[0]}, == *,externalMetadata.crm,* ]]
	run smile users get "$id" -o csv --fields id
	[ "${lines[0]}" = id ]
}
