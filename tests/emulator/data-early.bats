#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
#
# Early-access operations (/alpha, /beta): create, then get and list.
# Run: SMILE_BUILD=/abs/build-dir bats --tap tests/emulator

load data-common

setup() { emulator_start; }
teardown() { emulator_stop; }

CONSENT='{"type":"GENERAL","version":"1","consentedAt":"2024-05-01T08:00:00Z","consentedWith":"web"}'

# with_consent JSON: JSON plus the consent object.
with_consent() {
	jq -c --argjson c "$CONSENT" '. + {consent: $c}' <<<"$1"
}

# create_then_get POST-PATH BASE-PATH STATUS JSON: creates, then finds the
# object by id and in the list; prints the id.
create_then_get() {
	api POST "$1" "$(with_consent "$4")"
	expect_code "$3" >&2 || return 1
	local id
	id=$(jqb .data.id)
	jq -e '.data.status == "COMPLETED" and (.data.createdAt | test("Z$"))
		and (.data.requestMeta.consent.consentedWith == "web")' <<<"$body" >/dev/null ||
		{ echo "create $1: $body" >&2; return 1; }
	api GET "$2/$id"
	expect_code 200 >&2 || return 1
	[[ $(jqb .data.id) == "$id" ]] || return 1
	api GET "$2?size=150"
	jq -e --arg id "$id" '[.data.items[].id] | index($id) != null' <<<"$body" >/dev/null ||
		{ echo "$2 list lacks $id" >&2; return 1; }
	echo "$id"
}

@test "verification: create, get, list; a sandbox name matches" {
	id=$(create_then_get /alpha/verifications /alpha/verifications 200 \
		'{"fullName":"George Palomero Jr.","additionalData":{"email":"gpalomero1234@smileapi.io"}}')
	api GET "/alpha/verifications/$id"
	[ "$(jqb .data.result.finalMatches)" = true ]
	create_then_get /alpha/verifications /alpha/verifications 200 '{"fullName":"Nobody Known"}' >/dev/null
	api GET "/alpha/verifications?finalMatches=true"
	[ "$(jqb '[.data.items[].id] | join(",")')" = "$id" ]
	api GET "/alpha/verifications?verificationId=$id"
	[ "$(jqb '.data.items | length')" -eq 1 ]
}

@test "signals: alpha, beta, Signal2 and Signal3 stored and filtered" {
	create_then_get /alpha/signals /alpha/signals 200 '{"phone":"+639559991234"}' >/dev/null
	[ "$(jqb '.data.items[0].result | type')" = object ]
	create_then_get /beta/signals /beta/signals 200 '{"phone":"+639559991234","templateId":"tpl-1"}' >/dev/null
	create_then_get /beta/signals/createSignal2 /beta/signals 200 '{"phone":"+628119994321","templateId":"tpl-1"}' >/dev/null
	create_then_get /beta/signals/createSignal3 /beta/signals 200 \
		'{"fullName":"Juan Perez","phone":"+525512345678","curp":"PEPJ800101HDFRRN09","templateId":"tpl-1"}' >/dev/null
	create_then_get /beta/signals/createSignal3 /beta/signals 200 \
		'{"fullName":"Juan Cruz","mobileNumber":"+639171234567","idType":"PID","idNumber":"1234","templateId":"tpl-1"}' >/dev/null
	api GET "/beta/signals?signalType=Signal3"
	[ "$(jqb '.data.items | length')" -eq 2 ]
	api GET "/beta/signals?phone=%2B628119994321"
	[ "$(jqb '.data.items[0].signalType')" = Signal2 ]
	api GET "/alpha/signals?phone=%2B639559991234"
	[ "$(jqb '.data.items | length')" -eq 1 ]
}

@test "footprints, maws, validations, blacklists: create then get" {
	create_then_get /alpha/footprints /alpha/footprints 200 '{"emailAddress":"a@b.test","templateId":"t"}' >/dev/null
	create_then_get /alpha/maws /alpha/maws 200 '{"mobileNumber":"+639171234567","countryCode":"PH","templateId":"t"}' >/dev/null
	[ "$(jqb '.data.items[0].items[0].level')" != null ]
	create_then_get /beta/maws/requestMaw2 /beta/maws 200 '{"mobileNumber":"+639171234567","countryCode":"PH","templateId":"t"}' >/dev/null
	create_then_get /beta/maws/requestMaw3 /beta/maws 200 '{"gaid":"38400000-8cf0-11bd-b23e-10b96e40000d","templateId":"t"}' >/dev/null
	api GET "/beta/maws?mawType=MAW3"
	[ "$(jqb '[.data.items[].type] | join(",")')" = MAW3 ]
	id=$(create_then_get /alpha/validations/validateBankAccount /alpha/validations 200 \
		'{"name":"Christina Tan","accountNumber":"123-456-789","countryCode":"SG"}')
	api GET "/alpha/validations/$id"
	[ "$(jqb .data.result.type)" = BankAccount ]
	[ "$(jqb .data.result.matchScore)" -eq 95 ]
	create_then_get /alpha/blacklists /alpha/blacklists 200 '{"mobileNumber":"+639171234567"}' >/dev/null
}

@test "social securities answer 201 and store the request" {
	req='{"emailAddress":"j@p.test","fullName":"Juan Perez","mobileNumber":"+525512345678","curp":"PEPJ800101HDFRRN09","templateId":"t"}'
	id=$(create_then_get /alpha/socialSecurities /alpha/socialSecurities 201 "$req")
	api GET "/alpha/socialSecurities/$id"
	[ "$(jqb .data.result.curp)" = PEPJ800101HDFRRN09 ]
	[ "$(jqb .data.result.gender)" = Male ]
	[ "$(jqb .data.result.currency)" = MXN ]
	create_then_get /beta/socialSecurities /beta/socialSecurities 201 "$(jq -c 'del(.emailAddress)' <<<"$req")" >/dev/null
	api GET "/alpha/socialSecurities?socialSecurityId=$id"
	[ "$(jqb '.data.items | length')" -eq 1 ]
}

@test "required fields are checked: 400 naming the field" {
	api POST /alpha/signals '{"phone":"+63"}'
	expect_error 400 INVALID_PARAMETERS consent
	api POST /alpha/signals "$(jq -nc '{phone: "+63", consent: {consentedWith: "web"}}')"
	expect_error 400 INVALID_PARAMETERS consent.consentedAt
	api POST /beta/signals "$(with_consent '{"phone":"+63"}')"
	expect_error 400 INVALID_PARAMETERS templateId
	api POST /alpha/footprints "$(with_consent '{"templateId":"t"}')"
	expect_error 400 INVALID_PARAMETERS emailAddress
	api POST /beta/maws/requestMaw3 "$(with_consent '{"templateId":"t","mobileNumber":"+63"}')"
	expect_error 400 INVALID_PARAMETERS fullName
	api POST /alpha/socialSecurities "$(with_consent '{"fullName":"x"}')"
	expect_error 400 INVALID_PARAMETERS emailAddress
	api POST /alpha/validations/validateBankAccount "$(with_consent '{"name":"x","idType":"PASSPORT"}')"
	expect_error 400 INVALID_PARAMETERS idType
	api GET /alpha/signals
	[ "$(jqb '.data.items | length')" -eq 0 ]
}

@test "unknown ids are 404" {
	for p in /alpha/verifications /alpha/signals /beta/signals /alpha/footprints /alpha/maws \
		/beta/maws /alpha/validations /alpha/blacklists /alpha/socialSecurities /beta/socialSecurities \
		/alpha/forms; do
		api GET "$p/x-nope"
		expect_error 404 MISSING_RESOURCE x-nope
	done
}

@test "forms list fixed examples that get finds" {
	api GET /alpha/forms
	expect_code 200
	[ "$(jqb '.data.items | length')" -eq 2 ]
	id=$(jqb .data.items[0].id) site=$(jqb .data.items[0].winkSiteId)
	api GET "/alpha/forms/$id"
	expect_code 200
	[ "$(jqb '.data.data | type')" = object ]
	api GET "/alpha/forms?winkSiteId=$site"
	[ "$(jqb '.data.items | length')" -eq 2 ]
	api GET "/alpha/forms?winkSiteId=ws-other"
	[ "$(jqb '.data.items | length')" -eq 0 ]
}

@test "employer look-ups match by name, need 3 characters" {
	api GET "/alpha/employerBasics/query?keyword=manila"
	expect_code 200
	[ "$(jqb '.data[0].businessName')" = "Manila Logistics Corporation" ]
	[ "$(jqb '.data[0].registrations[0].organization')" = SEC ]
	api GET "/alpha/employers/query?businessName=ABC%20Inc"
	[ "$(jqb '.data | length')" -eq 1 ]
	[ "$(jqb '.data[0].shortName')" = ABC ]
	api GET "/alpha/employers/query?businessName=zzzz"
	[ "$(jqb '.data | length')" -eq 0 ]
	api GET "/alpha/employerBasics/query?keyword=ab"
	expect_error 400 INVALID_PARAMETERS keyword
}
