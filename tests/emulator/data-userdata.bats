#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
#
# The eleven user-data lists and gets: filters, paging, 404.
# Run: SMILE_BUILD=/abs/build-dir bats --tap tests/emulator

load data-common

setup() {
	emulator_start
	read -r U1 A1 < <(linked_user George 123456)
	read -r U2 A2 < <(linked_user Ryan 654321)
}
teardown() { emulator_stop; }

# kind:items one link makes
COUNTS="identities:1 employments:2 incomes:6 transactions:12 ratings:1 documents:2
contributions:6 liabilities:1 eincomes:6 insights:1 links:1"

# month_start N: first day of the month N months before this one.
month_start() {
	date -u -d "$(date -u +%Y-%m-01) -$1 months" +%F
}

@test "every list filters by userId, accountId and sourceId" {
	for pair in $COUNTS; do
		kind=${pair%%:*} n=${pair##*:}
		api GET "/$kind?userId=$U1&size=150"
		[ "$(jqb '.data.items | length')" -eq "$n" ] || { echo "$kind userId: $body"; return 1; }
		api GET "/$kind?accountId=$A2&size=150"
		jq -e --arg u "$U2" --argjson n "$n" '(.data.items | length) == $n
			and all(.data.items[]; .metadata.userId == $u)' <<<"$body" >/dev/null ||
			{ echo "$kind accountId: $body"; return 1; }
		api GET "/$kind?sourceId=$A1&size=150"
		[ "$(jqb '.data.items | length')" -eq "$n" ] || { echo "$kind sourceId: $body"; return 1; }
		api GET "/$kind?size=150"
		[ "$(jqb '.data.items | length')" -eq $((2 * n)) ] || { echo "$kind all: $body"; return 1; }
		api GET "/$kind?userId=emulator-nobody"
		[ "$(jqb '.data.items | length')" -eq 0 ]
		[ "$(jqb .data.nextCursor)" = null ]
	done
}

@test "every get finds an item by id and answers 404 for an unknown one" {
	for pair in $COUNTS; do
		kind=${pair%%:*}
		api GET "/$kind?userId=$U1&size=1"
		id=$(jqb .data.items[0].id)
		api GET "/$kind/$id"
		expect_code 200
		[ "$(jqb .data.id)" = "$id" ]
		[ "$(jqb .data.metadata.userId)" = "$U1" ]
		api GET "/$kind/x-unknown"
		expect_error 404 MISSING_RESOURCE x-unknown
	done
}

@test "ids carry the documented prefixes" {
	for pair in identities:i- employments:e- incomes:inc- transactions:t- ratings:r- documents:d- \
		contributions:con- eincomes:einc- liabilities:lia- insights:insight- links:link-; do
		api GET "/${pair%%:*}?userId=$U1&size=150"
		jq -e --arg p "${pair##*:}" 'all(.data.items[]; .id | startswith($p))' <<<"$body" >/dev/null ||
			{ echo "${pair%%:*}: $body"; return 1; }
	done
}

@test "transactions page by 5 with nextCursor, without loss or repeat" {
	ids=() cursor=
	for ((page = 0; page < 10; page++)); do
		api GET "/transactions?userId=$U1&size=5${cursor:+&cursor=$cursor}"
		expect_code 200
		[ "$(jqb '.data.items | length')" -le 5 ]
		ids+=($(jqb '.data.items[].id'))
		cursor=$(jqb '.data.nextCursor // empty')
		[[ -n $cursor ]] || break
	done
	[ "$page" -eq 2 ]
	[ "${#ids[@]}" -eq 12 ]
	[ "$(printf '%s\n' "${ids[@]}" | sort -u | wc -l)" -eq 12 ]
	api GET "/transactions?userId=$U1&size=150"
	[ "$(jqb '[.data.items[].id] | join(" ")')" = "${ids[*]}" ]
}

@test "transactions: startDate/endDate filter on the transaction date" {
	start=$(date -u -d '10 days ago' +%F) end=$(date -u +%F)
	api GET "/transactions?userId=$U1&startDate=$start&endDate=$end"
	expect_code 200
	jq -e --arg s "$start" --arg e "$end" '(.data.items | length) == 4
		and all(.data.items[]; .date >= $s and .date <= $e)' <<<"$body"
	# paged by 3: 3 then 1
	api GET "/transactions?userId=$U1&startDate=$start&size=3"
	[ "$(jqb '.data.items | length')" -eq 3 ]
	cursor=$(jqb .data.nextCursor)
	api GET "/transactions?userId=$U1&startDate=$start&size=3&cursor=$cursor"
	[ "$(jqb '.data.items | length')" -eq 1 ]
	[ "$(jqb .data.nextCursor)" = null ]
	api GET "/transactions?endDate=2000-01-01"
	[ "$(jqb '.data.items | length')" -eq 0 ]
}

@test "incomes, employments, contributions, liabilities filter on their own dates" {
	api GET "/incomes?userId=$U1&startDate=$(month_start 3)"
	[ "$(jqb '.data.items | length')" -eq 3 ]
	api GET "/employments?userId=$U1&endDate=$(date -u -d '4 years ago' +%F)"
	[ "$(jqb '[.data.items[].status] | join(",")')" = INACTIVE ]
	api GET "/contributions?accountId=$A2&startDate=$(month_start 1)"
	[ "$(jqb '.data.items | length')" -eq 2 ]
	api GET "/liabilities?userId=$U1&startDate=$(month_start 10)&endDate=$(month_start 10)"
	[ "$(jqb '.data.items | length')" -eq 1 ]
}

@test "eincomes filter by startMonth/endMonth" {
	from=$(month_start 2) to=$(month_start 1)
	api GET "/eincomes?userId=$U1&startMonth=${from:0:7}&endMonth=${to:0:7}"
	expect_code 200
	jq -e --arg f "${from:0:7}" --arg t "${to:0:7}" '(.data.items | length) == 2
		and all(.data.items[]; .month >= $f and .month <= $t)' <<<"$body"
	api GET "/eincomes?startMonth=2024-13"
	expect_error 400 INVALID_PARAMETERS startMonth
	api GET "/eincomes?endMonth=2024-1"
	expect_error 400 INVALID_PARAMETERS endMonth
}

@test "bad paging or date parameters are 400 naming them" {
	api GET "/transactions?size=0"
	expect_error 400 INVALID_PARAMETERS size
	api GET "/transactions?size=151&startDate=2024-01-01"
	expect_error 400 INVALID_PARAMETERS size
	api GET "/transactions?startDate=yesterday"
	expect_error 400 INVALID_PARAMETERS startDate
	api GET "/identities?endDate=2024-02"
	expect_error 400 INVALID_PARAMETERS endDate
	api GET "/incomes?startDate=2024-05-01&endDate=2024-01-01"
	expect_error 400 INVALID_PARAMETERS startDate
}

@test "amounts are numbers in the person's currency; dates are dates" {
	api GET "/incomes?userId=$U2&size=1"
	jq -e '.data.items[0] | .currency == "IDR" and (.grossAmount | type) == "number"
		and (.startDate | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")) and .frequency == "Monthly"' <<<"$body"
	api GET "/liabilities?userId=$U2"
	jq -e '.data.items[0] | .amortizationFrequency == "Monthly" and .loanAmount > 0' <<<"$body"
	api GET "/ratings?userId=$U2"
	jq -e '.data.items[0] | .currentRating <= .maxRating' <<<"$body"
}
