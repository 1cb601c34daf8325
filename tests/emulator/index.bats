#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
#
# Lists filtered by userId or accountId walk an index of the store instead
# of the whole collection (src/emulator/store/index.c). They must page
# exactly as a filter over the whole collection does: the same items in the
# same order, and each nextCursor the cursor of the first item of the next
# page (what a walk of the whole list one item at a time hands out), and
# stay right through revoke, retention, reset and a state reload.
# Run: SMILE_BUILD=/abs/build-dir bats --tap tests/emulator/index.bats

load data-common

teardown() { emulator_stop; }

# What the filters compare: userId, sourceId else accountId, top level
# else under metadata.
JQ_KEYS='def user: .userId // .metadata.userId;
	def source: .sourceId // .metadata.sourceId // .accountId // .metadata.accountId;'

# A store where users' items interleave: U1 links George, two seeded users
# follow, then U1 links Ryan (a second account) and uploads a file. Sets
# U1, A1 (George's account), A2 (Ryan's), U2 (a seeded user), UPLOAD.
mixed_store() {
	read -r U1 A1 < <(linked_user George 123456)
	ctl_post /_emulator/seed '{"linkedUsers": 2}'
	expect_code 201
	link "$U1" Ryan 654321 1234 freelancer
	expect_code 201
	A2=$(jqb .data.id)
	UPLOAD=$(upload "$U1")
	api GET "/accounts?size=150"
	U2=$(jq -r --arg u "$U1" '[.data.items[] | select(.userId != $u)][0].userId' <<<"$body")
	[ -n "$U2" ] && [ "$U2" != "$U1" ]
}

# follow PATH SIZE FILTER: follows nextCursor from the start, printing FILTER
# (jq -c) of each page's body; $c in FILTER is the cursor that fetched the
# page ("-" for the first).
follow() {
	local cursor= sep i
	[[ $1 == *\?* ]] && sep='&' || sep='?'
	for ((i = 0; i < 2000; i++)); do
		api GET "$1${sep}size=$2${cursor:+&cursor=$cursor}"
		expect_code 200 >&2 || return 1
		jq -c --arg c "${cursor:--}" "$3" <<<"$body"
		cursor=$(jqb '.data.nextCursor // empty')
		[[ -n $cursor ]] || return 0
	done
	return 1
}

# every PATH: the whole list one item a page; one JSON line per item, in
# order: [the cursor that fetched it ("-" for the first), item].
every() { follow "$1" 1 '.data.items[] | [$c, .]'; }
# pages PATH SIZE: one JSON line per page: [ids, nextCursor].
pages() { follow "$1" "$2" '[[.data.items[].id], .data.nextCursor]'; }
# items PATH: every item of the list, one JSON line each.
items() { follow "$1" 150 '.data.items[]'; }

# expected_pages EVERY_FILE KEY VALUE SIZE: the pages a filter on KEY (user
# or source) over the whole list makes, as pages prints them.
expected_pages() {
	jq -sc --arg v "$3" --argjson s "$4" "$JQ_KEYS"'
		[.[] | select(.[1] | '"$2"' == $v)] as $k
		| if ($k | length) == 0 then [[], null]
		  else range(0; $k | length; $s) as $i
		       | [[$k[$i:$i + $s][] | .[1].id], ($k[$i + $s] // [null])[0]] end' "$1"
}

# same_pages PATH KEY VALUE SIZE: the filtered list pages as expected.
same_pages() {
	local param=userId
	[[ $2 == source ]] && param=accountId
	pages "$1?$param=$3" "$4" >"$BATS_TEST_TMPDIR/got"
	expected_pages "$BATS_TEST_TMPDIR/every" "$2" "$3" "$4" >"$BATS_TEST_TMPDIR/want"
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got" >&2 ||
		{ echo "$1 $param=$3 size=$4 pages differ (want, got)" >&2; return 1; }
}

# same_ids PATH KEY VALUE: the filtered list's ids (pages of 2) are the ids a
# filter over the whole list keeps.
same_ids() {
	local param=userId got want
	[[ $2 == source ]] && param=accountId
	got=$(pages "$1?$param=$3" 2 | jq -r '.[0][]') || return 1
	want=$(items "$1" | jq -r --arg v "$3" "$JQ_KEYS"' select('"$2"' == $v) | .id') || return 1
	[ "$got" = "$want" ] || { echo "$1 $param=$3: got [$got], want [$want]" >&2; return 1; }
}

# all_lists_right: the checks of same_ids over U1's and U2's lists.
all_lists_right() {
	local kind
	for kind in accounts incomes transactions archives; do
		same_ids "/$kind" user "$U1" && same_ids "/$kind" user "$U2" || return 1
	done
	same_ids /incomes source "$A1" && same_ids /incomes source "$A2"
}

@test "lists by userId and accountId page exactly as a filter over the whole list" {
	emulator_start
	mixed_store
	local kind user size
	for kind in accounts incomes transactions archives uploads; do
		every "/$kind" >"$BATS_TEST_TMPDIR/every"
		for user in "$U1" "$U2" emulator-nobody; do
			for size in 1 4 150; do
				same_pages "/$kind" user "$user" "$size"
			done
		done
	done
	every /incomes >"$BATS_TEST_TMPDIR/every"
	for size in 1 5; do
		same_pages /incomes source "$A1" "$size"
		same_pages /incomes source "$A2" "$size"
	done
	# U1's items really are in two runs, with others' between them.
	[ "$(jq -s --arg u "$U1" "$JQ_KEYS"' [.[][1] | user == $u] | indices(true)
		| last - first + 1 > length' "$BATS_TEST_TMPDIR/every")" = true ]
}

@test "the user's payload and the lists by item date take the same items as the lists" {
	emulator_start
	mixed_store
	api GET "/users/$U1/payload"
	expect_code 200
	[ "$(jqb '[.data.accounts[].id] | join(" ")')" = "$A1 $A2" ]
	[ "$(jqb '[.data.archives[].id] | join(" ")')" = "$UPLOAD" ]
	[ "$(jqb '[.data.accounts[].payload.incomes[]] | length')" -eq 12 ]
	# startDate sends transactions through the pager by the item's own date.
	api GET "/transactions?userId=$U1&size=150"
	want=$(jqb '[.data.items[].id] | join(" ")')
	api GET "/transactions?userId=$U1&size=150&startDate=1970-01-01"
	expect_code 200
	[ "$(jqb '[.data.items[].id] | join(" ")')" = "$want" ]
	[ "$(jqb '.data.items | length')" -eq 24 ]
	api GET "/transactions?accountId=$A2&size=150&startDate=1970-01-01"
	[ "$(jqb '.data.items | length')" -eq 12 ]
	[ "$(jq --arg a "$A2" '[.data.items[].metadata.sourceId | select(. != $a)] | length' <<<"$body")" -eq 0 ]
}

@test "lists by user stay right after revoke, a state reload, retention and reset" {
	state=$BATS_TEST_TMPDIR/state.json
	emulator_start --state "$state"
	mixed_store
	all_lists_right

	api DELETE "/accounts/$A1"
	expect_code 200
	api DELETE "/archives/$UPLOAD"
	expect_code 200
	all_lists_right
	[ "$(count_all "/incomes?userId=$U1")" -eq 6 ]
	[ "$(count_all "/incomes?accountId=$A1")" -eq 0 ]

	emulator_stop
	emulator_start --state "$state"
	all_lists_right
	[ "$(count_all "/incomes?userId=$U1")" -eq 6 ]
	# Items put after the load join the loaded ones.
	link "$U1" George 123456 1234 fiverr
	expect_code 201
	all_lists_right
	[ "$(count_all "/incomes?userId=$U1")" -eq 12 ]

	ctl_post /_emulator/clock '{"advanceDays": 61}'
	expect_code 200
	all_lists_right
	[ "$(count_all "/incomes?userId=$U1")" -eq 0 ]
	[ "$(count_all "/incomes?userId=$U2")" -eq 0 ]
	[ "$(count_all "/accounts?userId=$U1")" -eq 1 ] # the revoked one stays
	[ "$(count_all "/archives?userId=$U1")" -eq 1 ]

	ctl_post /_emulator/reset '{}'
	expect_code 200
	[ "$(count_all "/accounts?userId=$U1")" -eq 0 ]
	read -r U1 A1 < <(linked_user George 123456)
	read -r U2 A2 < <(linked_user Ryan 654321)
	all_lists_right
	[ "$(count_all "/incomes?userId=$U1")" -eq 6 ]
}
