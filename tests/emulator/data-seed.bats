#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
#
# POST /_emulator/seed: bulk data that pages like any other.
# Run: SMILE_BUILD=/abs/build-dir bats --tap tests/emulator

load data-common

setup() { emulator_start; }
teardown() { emulator_stop; }

@test "seed 100,000 transactions, users, accounts and invites; counts agree" {
	ctl_post /_emulator/seed '{"users":1000,"accounts":1000,"invites":500,"transactionsPerUser":100}'
	expect_code 201
	jq -e '.data == {users: 1000, accounts: 1000, invites: 500, transactions: 100000, total: 102500}' <<<"$body"
	control GET /_emulator/stats
	jq -e '.data.collections | .transactions == 100000 and .users == 1000 and .accounts == 1000
		and .invites == 500' <<<"$body"
}

@test "seeded transactions page with nextCursor without loss or repeat" {
	ctl_post /_emulator/seed '{"users":1000,"transactionsPerUser":100}'
	expect_code 201
	cursor= n=0
	: >"$BATS_TEST_TMPDIR/ids"
	for ((page = 0; page < 20; page++)); do
		api GET "/transactions?size=150${cursor:+&cursor=$cursor}"
		expect_code 200
		jqb '.data.items[].id' >>"$BATS_TEST_TMPDIR/ids"
		cursor=$(jqb '.data.nextCursor // empty')
		[[ -n $cursor ]]
	done
	[ "$(wc -l <"$BATS_TEST_TMPDIR/ids")" -eq 3000 ]
	[ "$(sort -u "$BATS_TEST_TMPDIR/ids" | wc -l)" -eq 3000 ]
	# the last page is reached and ends without a cursor
	api GET "/transactions?size=150&cursor=$cursor"
	expect_code 200
}

@test "one seeded user's transactions, followed to the end, number 100" {
	ctl_post /_emulator/seed '{"users":50,"transactionsPerUser":100,"incomesPerUser":6}'
	expect_code 201
	api GET "/accounts?size=1&cursor="
	user=$(jqb .data.items[0].userId)
	[ "$(count_all "/transactions?userId=$user")" -eq 100 ]
	[ "$(count_all "/incomes?userId=$user")" -eq 6 ]
	[ "$(count_all /transactions)" -eq 5000 ]
}

@test "seeded items have the metadata of a linked account" {
	ctl_post /_emulator/seed '{"users":4,"identitiesPerUser":1}'
	api GET /identities
	jq -e '(.data.items | length) == 4 and all(.data.items[];
		(.metadata.sourceId | startswith("a-")) and .metadata.sourceType == "ACCOUNT"
		and (.metadata.userId | startswith("emulator-")))' <<<"$body"
	[ "$(jqb '[.data.items[].countryResidence] | sort | join(",")')" = "ID,IN,PH,SG" ]
	api GET /accounts
	[ "$(jqb '[.data.items[].connectionStatus] | unique | join(",")')" = CONNECTED ]
}

@test "seeded invites point at a seeded template and user" {
	ctl_post /_emulator/seed '{"users":3,"invites":5}'
	api GET /invites
	[ "$(jqb '.data.items | length')" -eq 5 ]
	tpl=$(jqb .data.items[0].templateId) user=$(jqb .data.items[0].userId)
	api GET "/inviteTemplates/$tpl"
	expect_code 200
	api GET "/users/$user"
	expect_code 200
}

@test "bad seed requests are 400 naming the problem" {
	ctl_post /_emulator/seed '{"users":-1}'
	expect_error 400 INVALID_PARAMETERS users
	ctl_post /_emulator/seed '{"users":"10"}'
	expect_error 400 INVALID_PARAMETERS users
	ctl_post /_emulator/seed '{"userz":10}'
	expect_error 400 INVALID_PARAMETERS userz
	ctl_post /_emulator/seed '{"accounts":10}'
	expect_error 400 INVALID_PARAMETERS users
	ctl_post /_emulator/seed '{"users":100000,"transactionsPerUser":100000}'
	expect_error 400 INVALID_PARAMETERS "at most"
	control GET /_emulator/stats
	[ "$(jqb '.data.collections.users // 0')" -eq 0 ]
}

@test "one seed call makes at most 150,000 items" {
	ctl_post /_emulator/seed '{"users":1,"transactionsPerUser":149999}'
	expect_error 400 INVALID_PARAMETERS "at most 150000 items"
	ctl_post /_emulator/seed '{"users":150001}'
	expect_error 400 INVALID_PARAMETERS users
	control GET /_emulator/stats
	[ "$(jqb '.data.collections.users // 0')" -eq 0 ]
}

@test "linkedUsers: each user has a connected account, a link's data and an upload with its file" {
	ctl_post /_emulator/seed '{"linkedUsers": 1000}'
	expect_code 201
	jq -e '.data | .users == 1000 and .accounts == 1000 and .archives == 1000
		and .identities == 1000 and .transactions == 12000 and .incomes == 6000
		and .employments == 2000 and .links == 1000' <<<"$body"
	control GET /_emulator/stats
	jq -e '.data.collections | .users == 1000 and .accounts == 1000 and .archives == 1000
		and .files == 1000' <<<"$body"
	# One user, looked at as an export would.
	api GET "/users?size=1"
	user=$(jqb '.data.items[0].id')
	api GET "/accounts?userId=$user"
	jq -e '.data.items | length == 1 and .[0].connectionStatus == "CONNECTED"' <<<"$body"
	for kind in identities employments incomes transactions; do
		[ "$(count_all "/$kind?userId=$user&accountId=$(jqb '.data.items[0].id')")" -gt 0 ] ||
			{ echo "no $kind"; false; }
	done
	api GET "/archives?userId=$user"
	url=$(jqb '.data.items[0].rawFiles[0].url')
	curl -sf -o "$BATS_TEST_TMPDIR/p.pdf" "$url"
	[[ $(head -c 8 "$BATS_TEST_TMPDIR/p.pdf") == "%PDF-1.4" ]]
	grep -q "$user" "$BATS_TEST_TMPDIR/p.pdf"
	[ "$(jqb '.data.items[0].rawFiles[0].size')" -eq "$(stat -c %s "$BATS_TEST_TMPDIR/p.pdf")" ]
}

@test "linkedUsers: counts can be changed; bad combinations are 400" {
	ctl_post /_emulator/seed '{"linkedUsers": 3, "transactionsPerUser": 0, "uploadsPerUser": 2}'
	expect_code 201
	jq -e '.data | .users == 3 and .archives == 6 and .transactions == null' <<<"$body"
	ctl_post /_emulator/seed '{"linkedUsers": 3, "users": 2}'
	expect_error 400 INVALID_PARAMETERS "not both"
	ctl_post /_emulator/seed '{"linkedUsers": 4000}'
	expect_error 400 INVALID_PARAMETERS "at most"
	ctl_post /_emulator/seed '{"uploadsPerUser": 1}'
	expect_error 400 INVALID_PARAMETERS "users must be at least 1"
}
