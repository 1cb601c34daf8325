#!/usr/bin/env bats
# An invitee opens the landing page (no API credentials) and links an
# account: the invitation becomes LINKED, its log records it, and
# INVITE_LINKED is sent. Raw files are served like a file host: no
# credentials needed.

load data-common

setup() { emulator_start; }
teardown() { emulator_stop; }

new_invite() {
	tpl=$(create_invite_template)
	api POST /invites "{\"fullName\":\"Ryan Lestari\",\"email\":\"ryan1234@smileapi.io\",\"templateId\":\"$tpl\"}"
	expect_code 201
	invite=$(jqb .data.id)
	user=$(jqb .data.userId)
	landing=$(jqb .data.inviteLandingPageUrl)
}

@test "the landing page opens without API credentials, with the invite's token" {
	new_invite
	run curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$landing"
	[ "$output" = 200 ]
	run curl -s -o /dev/null -w '%{http_code}' --max-time 10 "${landing%token=*}token=wrong"
	[ "$output" = 404 ]
}

@test "the API itself still needs credentials" {
	run curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$EMU_URL/invites"
	[ "$output" = 401 ]
	run curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST "$EMU_BASE/_emulator/link"
	[ "$output" = 401 ]
}

@test "linking the invitee's account marks the invitation LINKED and logs it" {
	new_invite
	link "$user" Ryan 654321
	expect_code 201
	api GET "/invites/$invite"
	expect_code 200
	[ "$(jqb .data.status)" = LINKED ]
	api GET "/invites/$invite/logs"
	[ "$(jqb '[.data.items[].inviteStatus] | index("LINKED") != null')" = true ]
}

@test "a failed link leaves the invitation INVITED" {
	new_invite
	link "$user" Ryan wrong
	api GET "/invites/$invite"
	[ "$(jqb .data.status)" = INVITED ]
}

@test "raw archive files download without credentials, byte for byte" {
	uid=$(create_user)
	printf '%%PDF-1.4\n%% test\n%%%%EOF\n' >"$BATS_TEST_TMPDIR/a.pdf"
	b64=$(base64 -w0 "$BATS_TEST_TMPDIR/a.pdf")
	api POST /archives "{\"userId\":\"$uid\",\"fileType\":\"PAYSLIP\",\"rawFiles\":[{\"fileName\":\"a.pdf\",\"fileExtensionType\":\"PDF\",\"fileSubtype\":\"PAYSLIP\",\"fileContent\":\"$b64\"}]}"
	expect_code 200
	id=$(jqb .data.id)
	api GET "/archives/$id"
	url=$(jqb '.data.rawFiles[0].url // empty')
	[ -n "$url" ]
	curl -sf --max-time 10 -o "$BATS_TEST_TMPDIR/back.pdf" "$url"
	cmp "$BATS_TEST_TMPDIR/a.pdf" "$BATS_TEST_TMPDIR/back.pdf"
}
