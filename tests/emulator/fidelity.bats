#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
#
# The emulator as the docs describe Smile, where it once differed: invites'
# linkedAt, links that wait for their verification code, early-access body
# checks, and the uploadRawFile error. One emulator for the whole file.
# Run: SMILE_BUILD=/abs/build-dir bats --tap tests/emulator

setup_file() {
	source "$BATS_TEST_DIRNAME/../lib/emulator.bash"
	emulator_start
}
teardown_file() {
	source "$BATS_TEST_DIRNAME/../lib/emulator.bash"
	emulator_stop
}
load data-common

CONSENT='{"type":"GENERAL","version":"1","consentedAt":"2024-05-01T08:00:00Z","consentedWith":"web"}'

# early PATH JSON: POSTs JSON with a valid consent (JSON's own wins).
early() {
	api POST "$1" "$(jq -c --argjson c "$CONSENT" '{consent: $c} * .' <<<"$2")"
}

@test "an invite's linkedAt is null until the person links, then when they did" {
	tpl=$(create_invite_template)
	api POST /invites "{\"fullName\":\"Ryan Lestari\",\"email\":\"ryan@smileapi.io\",\"templateId\":\"$tpl\"}"
	expect_code 201
	jq -e '.data.linkedAt == null and (.data.invitedAt | test("Z$"))' <<<"$body"
	invite=$(jqb .data.id) user=$(jqb .data.userId)
	api GET "/invites/$invite"
	jq -e '.data | has("linkedAt") and .linkedAt == null' <<<"$body"
	ctl_post /_emulator/seed '{"users":1,"invites":1}'
	api GET /invites?size=150
	jq -e 'all(.data.items[]; has("linkedAt") and .linkedAt == null)' <<<"$body"
	link "$user" Ryan 654321
	expect_code 201
	api GET "/invites/$invite"
	jq -e '.data.status == "LINKED" and (.data.linkedAt | test("^[0-9-]{10}T[0-9:]{8}Z$"))' <<<"$body"
}

@test "a link without mfaCode waits AWAITING_MFA until a second call gives it" {
	user=$(create_user)
	ctl_post /_emulator/link "$(jq -nc --arg u "$user" '{userId: $u, providerId: "upwork", username: "George", password: "123456"}')"
	expect_code 201
	account=$(jqb .data.id)
	[ "$(jqb .data.connectionStatus)" = AWAITING_MFA ]
	api GET "/accounts/$account"
	[ "$(jqb .data.connectionStatus)" = AWAITING_MFA ]
	api GET "/identities?userId=$user"
	[ "$(jqb '.data.items | length')" -eq 0 ]
	ctl_post /_emulator/link "$(jq -nc --arg a "$account" '{accountId: $a, mfaCode: "1234"}')"
	expect_code 200
	[ "$(jqb .data.connectionStatus)" = CONNECTED ]
	api GET "/identities?userId=$user"
	[ "$(jqb .data.items[0].firstName)" = George ]
	# Once connected, the account awaits no code any more.
	ctl_post /_emulator/link "$(jq -nc --arg a "$account" '{accountId: $a, mfaCode: "1234"}')"
	expect_error 400 INVALID_PARAMETERS "not awaiting"
}

@test "a wrong code in the second call leaves the account in ERROR" {
	user=$(create_user)
	ctl_post /_emulator/link "$(jq -nc --arg u "$user" '{userId: $u, providerId: "grab", username: "Ryan", password: "654321"}')"
	[ "$(jqb .data.connectionStatus)" = AWAITING_MFA ]
	account=$(jqb .data.id)
	ctl_post /_emulator/link "$(jq -nc --arg a "$account" '{accountId: $a, mfaCode: "0000"}')"
	expect_code 200
	jq -e '.data.connectionStatus == "ERROR" and .data.connection.errorCode == "INVALID_MFA"' <<<"$body"
	ctl_post /_emulator/link "$(jq -nc --arg a "$account" '{accountId: $a}')"
	expect_error 400 INVALID_PARAMETERS mfaCode
	ctl_post /_emulator/link '{"accountId": "a-nope", "mfaCode": "1234"}'
	expect_error 404 MISSING_RESOURCE accountId
}

@test "a provider without codes connects without mfaCode" {
	user=$(create_user)
	ctl_post /_emulator/link "$(jq -nc --arg u "$user" '{userId: $u, providerId: "fiverr", username: "George", password: "123456"}')"
	[ "$(jqb .data.connectionStatus)" = CONNECTED ]
}

@test "early access: dates and date-times are checked as the spec's formats say" {
	early /alpha/signals '{"phone":"+639559991234","consent":{"consentedAt":"<dateTime>"}}'
	expect_error 400 INVALID_PARAMETERS "consent.consentedAt must be a date-time"
	early /alpha/signals '{"phone":"+639559991234","consent":{"consentedAt":"2024-13-01T08:00:00Z"}}'
	expect_error 400 INVALID_PARAMETERS consent.consentedAt
	early /alpha/signals '{"phone":"+639559991234","consent":{"consentedAt":"2024-05-01T08:00:00.123+08:00"}}'
	expect_code 200
	early /alpha/blacklists '{"mobileNumber":"+639171234567","applicationDate":"01/05/2024"}'
	expect_error 400 INVALID_PARAMETERS "applicationDate must be a date"
	early /alpha/blacklists '{"mobileNumber":"+639171234567","applicationDate":"2024-05-01"}'
	expect_code 200
	early /alpha/verifications '{"fullName":"George Palomero Jr.","additionalData":{"dob":"yesterday"}}'
	expect_error 400 INVALID_PARAMETERS additionalData.dob
}

@test "early access: emails and enums are checked as the GA endpoints check them" {
	early /alpha/socialSecurities '{"emailAddress":"not-an-email","fullName":"Juan","mobileNumber":"+525512345678","curp":"PEPJ800101HDFRRN09","templateId":"t"}'
	expect_error 400 INVALID_PARAMETERS "emailAddress must be an email address"
	early /alpha/footprints '{"templateId":"t","emailAddress":"a@b","countryCode":"PH"}'
	expect_error 400 INVALID_PARAMETERS emailAddress
	early /alpha/footprints '{"templateId":"t","mobileNumber":"+639171234567","countryCode":"ZZ"}'
	expect_error 400 INVALID_PARAMETERS "countryCode must be an ISO 3166"
	early /alpha/maws '{"mobileNumber":"+639171234567","countryCode":"ph","templateId":"t"}'
	expect_error 400 INVALID_PARAMETERS countryCode
	early /beta/maws/requestMaw3 '{"templateId":"t","mobileNumber":"+639171234567","fullName":"J","idNumber":"1","idType":"LIBRARY_CARD","countryCode":"PH"}'
	expect_error 400 INVALID_PARAMETERS idType
	early /alpha/verifications '{"fullName":"George Palomero Jr.","additionalData":{"gender":"male"}}'
	expect_error 400 INVALID_PARAMETERS additionalData.gender
	early /alpha/maws '{"mobileNumber":"+639171234567","countryCode":"PH","templateId":"t"}'
	expect_code 200
}

@test "uploadRawFile names its own top-level field in errors" {
	user=$(create_user)
	api POST /archives/-/payslips/uploadRawFile \
		"$(jq -nc --arg u "$user" '{userId: $u, fileExtensionType: "PDF", fileContent: "%%%%"}')"
	expect_error 400 INVALID_PARAMETERS "fileContent is not valid base64"
	[[ $(jqb .message) != *rawFiles* ]]
	api POST /archives/-/payslips/uploadRawFile \
		"$(jq -nc --arg u "$user" '{userId: $u, fileExtensionType: "PNG", fileContent: "JVBERi0xLjQK"}')"
	expect_error 400 INVALID_PARAMETERS "fileContent is not a PNG file"
	[[ $(jqb .message) != *rawFiles* ]]
}
