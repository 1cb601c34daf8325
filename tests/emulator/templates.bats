#!/usr/bin/env bats
# Consent templates and invite templates.

load common

setup() { emulator_start; }
teardown() { emulator_stop; }

CONSENT='{"consentType":"DATA_SHARING","title":"Sharing","version":"1.0","consentText":"I agree"}'

@test "consent template: create 201, list, delete" {
	api POST /consentTemplates "$CONSENT"
	expect_code 201
	id=$(jqb .data.id)
	[ "$(jqb .data.version)" = 1.0 ]
	[ -n "$(jqb .data.createdAt)" ]
	api GET /consentTemplates
	[ "$(jqb '[.data.items[].id] | join(",")')" = "$id" ]
	api DELETE "/consentTemplates/$id"
	expect_code 200
	api GET /consentTemplates
	[ "$(jqb '.data.items | length')" -eq 0 ]
}

@test "consent template: missing required field is 400 naming it" {
	api POST /consentTemplates '{"consentType":"X","version":"1"}'
	expect_error 400 INVALID_PARAMETERS consentText
}

@test "consent template: version as a number is 400 (the schema says string)" {
	api POST /consentTemplates '{"consentType":"X","version":1,"consentText":"t"}'
	expect_error 400 INVALID_PARAMETERS version
}

@test "consent template: deleting an unknown one is 404" {
	api DELETE /consentTemplates/ct-none
	expect_error 404 MISSING_RESOURCE ct-none
}

@test "invite template: create 201 and get" {
	api POST /inviteTemplates "$INVITE_TEMPLATE"
	expect_code 201
	id=$(jqb .data.id)
	[[ $id =~ ^ivt-[0-9a-f]{32}$ ]]
	api GET "/inviteTemplates/$id"
	expect_code 200
	[ "$(jqb .data.company.name)" = Acme ]
	[ "$(jqb .data.email.sendEmail)" = true ]
}

@test "invite template: missing nested field is 400 naming its path" {
	api POST /inviteTemplates "$(jq -c 'del(.email.subject)' <<<"$INVITE_TEMPLATE")"
	expect_error 400 INVALID_PARAMETERS email.subject
	api POST /inviteTemplates "$(jq -c '.landingPage.button = 3' <<<"$INVITE_TEMPLATE")"
	expect_error 400 INVALID_PARAMETERS landingPage.button
	api POST /inviteTemplates "$(jq -c 'del(.successPage)' <<<"$INVITE_TEMPLATE")"
	expect_error 400 INVALID_PARAMETERS successPage
}

@test "invite template: PUT replaces the content, keeps id and createdAt" {
	id=$(create_invite_template)
	api GET "/inviteTemplates/$id"; created=$(jqb .data.createdAt)
	api PUT "/inviteTemplates/$id" "$(jq -c '.name = "Autumn"' <<<"$INVITE_TEMPLATE")"
	expect_code 200
	[ "$(jqb .data.id)" = "$id" ]
	[ "$(jqb .data.name)" = Autumn ]
	[ "$(jqb .data.createdAt)" = "$created" ]
	api GET "/inviteTemplates/$id"
	[ "$(jqb .data.name)" = Autumn ]
}

@test "invite template: PUT on an unknown id is 404, a bad body 400" {
	api PUT /inviteTemplates/ivt-none "$INVITE_TEMPLATE"
	expect_code 404
	id=$(create_invite_template)
	api PUT "/inviteTemplates/$id" '{"name":"x"}'
	expect_error 400 INVALID_PARAMETERS company
}

@test "invite template: delete, then get is 404" {
	id=$(create_invite_template)
	api DELETE "/inviteTemplates/$id"
	expect_code 200
	api GET "/inviteTemplates/$id"
	expect_code 404
	api DELETE "/inviteTemplates/$id"
	expect_code 404
}

@test "invite template: list pages" {
	for i in 1 2 3; do create_invite_template >/dev/null; done
	api GET "/inviteTemplates?size=2"
	[ "$(jqb '.data.items | length')" -eq 2 ]
	api GET "/inviteTemplates?size=2&cursor=$(jqb .data.nextCursor)"
	[ "$(jqb '.data.items | length')" -eq 1 ]
	[ "$(jqb .data.nextCursor)" = null ]
}
