#!/usr/bin/env bats
# Providers and file types: fixed catalogues with filters and paging.

load common

setup() { emulator_start; }
teardown() { emulator_stop; }

@test "providers list has 10 by default and a next cursor" {
	api GET /providers
	expect_code 200
	[ "$(jqb '.data.items | length')" -eq 10 ]
	[ "$(jqb '.data.nextCursor | type')" = string ]
}

@test "paging through providers visits each once and ends with a null cursor" {
	cursor= ids=() pages=0
	while ((pages < 20)); do
		api GET "/providers?size=4${cursor:+&cursor=$cursor}"
		expect_code 200
		ids+=($(jqb '.data.items[].id'))
		pages=$((pages + 1))
		cursor=$(jqb '.data.nextCursor // empty')
		[ -n "$cursor" ] || break
	done
	[ "$(jqb .data.nextCursor)" = null ]
	[ "${#ids[@]}" -ge 12 ]
	[ "$(printf '%s\n' "${ids[@]}" | sort -u | wc -l)" -eq "${#ids[@]}" ]
	api GET "/providers?size=150"
	[ "$(jqb '.data.items | length')" -eq "${#ids[@]}" ]
}

@test "providers have every field the schema requires" {
	api GET "/providers?size=150"
	bad=$(jqb '[.data.items[] | select((has("id") and has("name") and has("longName") and has("logoUrl")
		and has("type") and has("typeLabel") and has("subType") and has("subTypeLabel")
		and has("active") and has("enabled") and has("mfa") and has("accountConnection")
		and has("supported") and has("monitorSupported")) | not)] | length')
	[ "$bad" -eq 0 ]
}

@test "get provider upwork" {
	api GET /providers/upwork
	expect_code 200
	[ "$(jqb .data.id)" = upwork ]
	[ "$(jqb .data.type)" = GIG ]
}

@test "unknown provider is 404 naming it" {
	api GET /providers/nosuch
	expect_error 404 MISSING_RESOURCE nosuch
}

@test "filter by type and subType" {
	api GET "/providers?type=GIG&subType=TRANSPORTATION&size=150"
	expect_code 200
	[ "$(jqb '.data.items | length')" -ge 2 ]
	[ "$(jqb '[.data.items[] | select(.subType != "TRANSPORTATION")] | length')" -eq 0 ]
	[[ $(jqb '[.data.items[].id] | join(",")') == *grab* ]]
}

@test "filter by name matches part of it, any case" {
	api GET "/providers?name=upw"
	[ "$(jqb '[.data.items[].id] | join(",")')" = upwork ]
}

@test "filter by ids keeps exactly those" {
	api GET "/providers?ids=grab,upwork"
	[ "$(jqb '[.data.items[].id] | sort | join(",")')" = grab,upwork ]
}

@test "topIds puts the given providers first" {
	api GET "/providers?topIds=abccorp,grab&size=3"
	[ "$(jqb '[.data.items[].id] | join(",")')" = abccorp,grab,upwork ]
}

@test "boolean filter must be true or false" {
	api GET "/providers?active=maybe"
	expect_error 400 INVALID_PARAMETERS active
	api GET "/providers?accountConnection=false"
	expect_code 200
	[ "$(jqb '.data.items | length')" -eq 0 ]
}

@test "size out of range is 400 naming size" {
	for s in 0 151 -1 abc; do
		api GET "/providers?size=$s"
		expect_error 400 INVALID_PARAMETERS size
	done
}

@test "unknown cursor is 400 naming cursor" {
	api GET "/providers?cursor=999999"
	expect_error 400 INVALID_PARAMETERS cursor
}

@test "file types list with the ocr filter" {
	api GET /fileTypes
	expect_code 200
	[[ $(jqb '[.data.items[].type] | join(",")') == *PAYSLIP* ]]
	[ "$(jqb .data.nextCursor)" = null ]
	api GET "/fileTypes?ocr=false"
	[ "$(jqb '[.data.items[].type] | join(",")')" = COMPANY_ID ]
}
