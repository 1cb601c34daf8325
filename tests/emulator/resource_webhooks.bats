#!/usr/bin/env bats
# The /webhooks resource (delivery itself is tested in webhooks*.bats).

load common

setup() { emulator_start; }
teardown() { emulator_stop; }

HOOK='{"name":"main","url":"http://127.0.0.1:9/hook","eventTypes":["USER_CREATED"],"active":true,"secret":"s3cret"}'

@test "create webhook answers 200 (as the spec says) with the webhook" {
	api POST /webhooks "$HOOK"
	expect_code 200
	[ "$(jqb .data.name)" = main ]
	[ "$(jqb .data.eventTypes[0])" = USER_CREATED ]
	[ "$(jqb .data.active)" = true ]
	[ "$(jqb .data.includePayload)" = false ]
	[ -n "$(jqb .data.updatedAt)" ]
}

@test "get, list and delete a webhook" {
	api POST /webhooks "$HOOK"; id=$(jqb .data.id)
	api GET "/webhooks/$id"
	expect_code 200
	[ "$(jqb .data.url)" = http://127.0.0.1:9/hook ]
	api GET /webhooks
	[ "$(jqb '[.data.items[].id] | join(",")')" = "$id" ]
	api DELETE "/webhooks/$id"
	expect_code 200
	api GET "/webhooks/$id"
	expect_code 404
	api DELETE "/webhooks/$id"
	expect_code 404
}

@test "webhook: each required field is named when missing" {
	for f in name url eventTypes active secret; do
		api POST /webhooks "$(jq -c "del(.$f)" <<<"$HOOK")"
		expect_error 400 INVALID_PARAMETERS "$f"
	done
}

@test "webhook: unknown event type is 400 naming eventTypes" {
	api POST /webhooks "$(jq -c '.eventTypes = ["USER_CREATED","NOPE"]' <<<"$HOOK")"
	expect_error 400 INVALID_PARAMETERS "eventTypes[1]"
}

@test "webhook: active must be a boolean, url http(s)" {
	api POST /webhooks "$(jq -c '.active = "yes"' <<<"$HOOK")"
	expect_error 400 INVALID_PARAMETERS active
	api POST /webhooks "$(jq -c '.url = "ftp://x"' <<<"$HOOK")"
	expect_error 400 INVALID_PARAMETERS url
}

@test "creating a user queues an event for a subscribed webhook only" {
	api POST /webhooks "$HOOK"
	api POST /webhooks "$(jq -c '.eventTypes = ["ARCHIVE_STARTED"]' <<<"$HOOK")"
	create_user >/dev/null
	control GET /_emulator/stats
	[ "$(jqb .data.webhooks.queued)" -eq 1 ]
}
