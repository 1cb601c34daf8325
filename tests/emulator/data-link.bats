#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
#
# POST /_emulator/link with the sandbox identities, and the accounts it makes.
# Run: SMILE_BUILD=/abs/build-dir bats --tap tests/emulator

load data-common

setup() { emulator_start; }
teardown() {
	[[ -z ${HOOK_PID:-} ]] || kill "$HOOK_PID" 2>/dev/null || true
	emulator_stop
}

KINDS="identities employments incomes transactions ratings documents contributions liabilities eincomes insights links"

# link_and_check LOGIN PASSWORD COUNTRY CURRENCY FULLNAME: the account
# connects and every kind holds data of that person with full metadata.
link_and_check() {
	local user account kind
	user=$(create_user)
	link "$user" "$1" "$2"
	expect_code 201
	[ "$(jqb .data.connectionStatus)" = CONNECTED ]
	[ "$(jqb .data.connection.status)" = CONNECTED ]
	[ "$(jqb .data.userId)" = "$user" ]
	[[ $(jqb .data.id) == a-* ]]
	account=$(jqb .data.id)
	for kind in $KINDS; do
		api GET "/$kind?userId=$user"
		expect_code 200
		jq -e --arg u "$user" --arg a "$account" '
			(.data.items | length) > 0 and
			all(.data.items[]; .metadata.userId == $u and .metadata.sourceId == $a
				and .metadata.accountId == $a and .metadata.sourceType == "ACCOUNT"
				and .metadata.providerId == "upwork"
				and (.metadata.createdAt | test("Z$"))
				and (.metadata.itemCreatedAt | test("Z$")))' <<<"$body" >/dev/null ||
			{ echo "bad $kind: $body"; return 1; }
	done
	api GET "/identities?userId=$user"
	[ "$(jqb .data.items[0].countryResidence)" = "$3" ]
	[ "$(jqb .data.items[0].fullName)" = "$5" ]
	api GET "/incomes?userId=$user"
	[ "$(jqb '[.data.items[].currency] | unique | join(",")')" = "$4" ]
	api GET "/transactions?userId=$user"
	[ "$(jqb '[.data.items[].currency] | unique | join(",")')" = "$4" ]
}

@test "link George: PH identity, PHP money" {
	link_and_check George 123456 PH PHP "George Palomero Jr."
}

@test "link Ryan: ID identity, IDR money" {
	link_and_check Ryan 654321 ID IDR "Ryan Lestari"
}

@test "link Christina: SG identity, SGD money" {
	link_and_check Christina YGUS1 SG SGD "Christina Tan"
}

@test "link Anisha: IN identity, INR money" {
	link_and_check Anisha 123456 IN INR "Anisha Bhatia"
}

@test "link accepts the email as user name, in any case" {
	user=$(create_user)
	link "$user" GPalomero1234@SmileAPI.io 123456
	expect_code 201
	[ "$(jqb .data.connectionStatus)" = CONNECTED ]
}

@test "wrong password: account in ERROR, no data" {
	user=$(create_user)
	link "$user" George 999999
	expect_code 201
	[ "$(jqb .data.connectionStatus)" = ERROR ]
	[ "$(jqb .data.connection.errorCode)" = INVALID_CREDENTIALS ]
	api GET "/identities?userId=$user"
	[ "$(jqb '.data.items | length')" -eq 0 ]
}

@test "unknown login: account in ERROR" {
	user=$(create_user)
	link "$user" nobody 123456
	[ "$(jqb .data.connection.errorCode)" = INVALID_CREDENTIALS ]
}

@test "wrong verification code: account in ERROR with INVALID_MFA" {
	user=$(create_user)
	link "$user" Ryan 654321 0000
	expect_code 201
	[ "$(jqb .data.connectionStatus)" = ERROR ]
	[ "$(jqb .data.connection.errorCode)" = INVALID_MFA ]
	api GET "/accounts/$(jqb .data.id)"
	[ "$(jqb .data.connectionStatus)" = ERROR ]
	api GET "/transactions?userId=$user"
	[ "$(jqb '.data.items | length')" -eq 0 ]
}

@test "unknown userId or providerId is 404 naming the field" {
	link emulator-nope George 123456
	expect_error 404 MISSING_RESOURCE userId
	user=$(create_user)
	link "$user" George 123456 1234 nosuchprovider
	expect_error 404 MISSING_RESOURCE providerId
}

@test "missing or mistyped fields are 400 naming the field" {
	ctl_post /_emulator/link '{"providerId":"upwork","username":"George","password":"123456"}'
	expect_error 400 INVALID_PARAMETERS userId
	ctl_post /_emulator/link '{"userId":"x","providerId":"upwork","username":"George","password":123456}'
	expect_error 400 INVALID_PARAMETERS password
	user=$(create_user)
	ctl_post /_emulator/link "$(jq -nc --arg u "$user" '{userId: $u, providerId: "upwork", username: "George"}')"
	expect_error 400 INVALID_PARAMETERS password
}

@test "without a login the first sandbox identity links" {
	user=$(create_user)
	ctl_post /_emulator/link "$(jq -nc --arg u "$user" '{userId: $u, providerId: "grab"}')"
	expect_code 201
	[ "$(jqb .data.connectionStatus)" = CONNECTED ]
	api GET "/identities?userId=$user"
	[ "$(jqb .data.items[0].firstName)" = George ]
}

@test "link needs the API credentials" {
	code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		--data '{}' --max-time 10 "$EMU_BASE/_emulator/link")
	[ "$code" = 401 ]
}

@test "the user lists the provider; a LINK_ACCOUNT task finished" {
	read -r user account < <(linked_user George 123456)
	api GET "/users/$user"
	[ "$(jqb '.data.providers | index("upwork") != null')" = true ]
	api GET "/tasks?userId=$user"
	expect_code 200
	jq -e --arg a "$account" '.data.items | length == 1 and .[0].type == "LINK_ACCOUNT"
		and .[0].status == "Finished" and .[0].metadata.sourceId == $a
		and (.[0].datapoints | index("TRANSACTIONS") != null)' <<<"$body"
}

@test "accounts: list filters by userId and dates, get, 404" {
	read -r u1 a1 < <(linked_user George 123456)
	read -r u2 a2 < <(linked_user Anisha 123456)
	api GET "/accounts?userId=$u1"
	[ "$(jqb '[.data.items[].id] | join(",")')" = "$a1" ]
	api GET /accounts
	[ "$(jqb '.data.items | length')" -eq 2 ]
	today=$(date -u +%F)
	api GET "/accounts?startDate=$today&endDate=$today"
	[ "$(jqb '.data.items | length')" -eq 2 ]
	api GET "/accounts?endDate=2000-01-01"
	[ "$(jqb '.data.items | length')" -eq 0 ]
	api GET "/accounts/$a2"
	expect_code 200
	[ "$(jqb .data.userId)" = "$u2" ]
	[ "$(jqb .data.monitorStatus)" = ACTIVE ]
	api GET /accounts/a-doesnotexist
	expect_error 404 MISSING_RESOURCE a-doesnotexist
}

@test "revoke: account DISCONNECTED, its data gone, other data kept" {
	read -r u1 a1 < <(linked_user George 123456)
	read -r u2 a2 < <(linked_user Christina YGUS1)
	api DELETE "/accounts/$a1"
	expect_code 200
	[ "$(jqb .code)" = OK ]
	api GET "/accounts/$a1"
	[ "$(jqb .data.connectionStatus)" = DISCONNECTED ]
	for kind in $KINDS; do
		api GET "/$kind?userId=$u1"
		[ "$(jqb '.data.items | length')" -eq 0 ] || { echo "$kind left: $body"; return 1; }
		api GET "/$kind?accountId=$a2"
		[ "$(jqb '.data.items | length')" -gt 0 ] || { echo "$kind lost: $body"; return 1; }
	done
	api DELETE /accounts/a-nope
	expect_code 404
}

@test "payload holds every datapoint of the account" {
	read -r user account < <(linked_user George 123456)
	api GET "/accounts/$account/payload"
	expect_code 200
	jq -e --arg a "$account" '.data.metadata.sourceId == $a and .data.identity.fullName == "George Palomero Jr."
		and (.data.transactions | length) == 12 and (.data.incomes | length) == 6
		and .data.rating.maxRating == 5 and (.data.insight.features | type) == "object"' <<<"$body"
}

@test "the user payload holds each account's payload, as /accounts/{id}/payload shows it" {
	read -r user account < <(linked_user George 123456)
	api GET "/accounts/$account/payload"
	account_payload=$(jq -cS .data <<<"$body")
	api GET "/users/$user/payload"
	expect_code 200
	[ "$(jqb '.data.accounts | length')" -eq 1 ]
	[ "$(jqb .data.accounts[0].id)" = "$account" ]
	[ "$(jq -cS .data.accounts[0].payload <<<"$body")" = "$account_payload" ]
	[ "$(jqb .data.accounts[0].payload.identity.fullName)" = "George Palomero Jr." ]
	# An archive's entry names its file type and carries what was read from it.
	api POST /archives "$(jq -nc --arg u "$user" '{userId: $u, fileType: "PAYSLIP", rawFiles: [
		{fileName: "p.pdf", fileExtensionType: "PDF", fileContent: "JVBERi0xLjQK"}]}')"
	expect_code 200
	archive=$(jqb .data.id)
	api GET "/users/$user/payload"
	jq -e --arg a "$archive" '.data.archives[0] | .id == $a and .fileType == "PAYSLIP"
		and .payload.metadata.sourceType == "ARCHIVE" and .payload.metadata.sourceId == $a' <<<"$body"
}

@test "export: CSV and PDF, downloadable, md5 matches" {
	read -r user account < <(linked_user George 123456)
	api POST "/accounts/$account/exports/generate" '{"exportExtensionType":"CSV"}'
	expect_code 200
	[ "$(jqb .data.accountId)" = "$account" ]
	curl -s -u "$EMU_KEY:$EMU_SECRET" --max-time 10 -o "$BATS_TEST_TMPDIR/export.csv" "$(jqb .data.downloadUrl)"
	[ "$(md5sum <"$BATS_TEST_TMPDIR/export.csv" | cut -d' ' -f1)" = "$(jqb .data.md5)" ]
	grep -q '^transactions,t-' "$BATS_TEST_TMPDIR/export.csv"
	api POST "/accounts/$account/exports/generate" '{"exportExtensionType":"PDF"}'
	curl -s -u "$EMU_KEY:$EMU_SECRET" --max-time 10 -o "$BATS_TEST_TMPDIR/export.pdf" "$(jqb .data.downloadUrl)"
	[ "$(head -c 5 "$BATS_TEST_TMPDIR/export.pdf")" = "%PDF-" ]
	api POST "/accounts/$account/exports/generate" '{"exportExtensionType":"XLS"}'
	expect_error 400 INVALID_PARAMETERS exportExtensionType
}

@test "disableMonitor sets CUSTOMER_DISABLED" {
	read -r user account < <(linked_user George 123456)
	api POST "/accounts/$account/disableMonitor"
	expect_code 200
	api GET "/accounts/$account"
	[ "$(jqb .data.monitorStatus)" = CUSTOMER_DISABLED ]
	[ "$(jqb .data.monitor.status)" = CUSTOMER_DISABLED ]
}

# Starts tests/lib/webhook_receiver.py; sets HOOK_URL, HOOK_LOG, HOOK_PID.
hook_start() {
	local port= i
	HOOK_LOG=$BATS_TEST_TMPDIR/hooks.jsonl
	: >"$HOOK_LOG"
	python3 "$BATS_TEST_DIRNAME/../lib/webhook_receiver.py" --secret s3cret --out "$HOOK_LOG" \
		--lifetime 60 >"$BATS_TEST_TMPDIR/hook.port" 2>/dev/null &
	HOOK_PID=$!
	for ((i = 0; i < 200; i++)); do
		port=$(head -n1 "$BATS_TEST_TMPDIR/hook.port" 2>/dev/null || true)
		[[ -n $port ]] && break
		sleep 0.05
	done
	[[ -n $port ]] || return 1
	HOOK_URL=http://127.0.0.1:$port/hook
}

# wait_hook_lines N: bounded wait (30 s) for N deliveries.
wait_hook_lines() {
	local i
	for ((i = 0; i < 600; i++)); do
		(($(wc -l <"$HOOK_LOG") >= $1)) && return 0
		sleep 0.05
	done
	echo "only $(wc -l <"$HOOK_LOG") of $1 deliveries arrived"
	return 1
}

@test "link sends the account, task and data events" {
	hook_start
	events='["ACCOUNT_CREATED","ACCOUNT_CONNECTED","ACCOUNT_FAILED","ACCOUNT_DISCONNECTED","TASK_STARTED","TASK_FINISHED","IDENTITY_ADDED","TRANSACTIONS_ADDED","INCOMES_ADDED","LINK_ADDED"]'
	api POST /webhooks "$(jq -nc --arg url "$HOOK_URL" --argjson ev "$events" \
		'{name: "data", url: $url, eventTypes: $ev, active: true, secret: "s3cret"}')"
	expect_code 200
	read -r user account < <(linked_user George 123456)
	wait_hook_lines 8
	kill "$HOOK_PID" 2>/dev/null || true
	# Deliveries run in parallel, so only the set is certain, not the order.
	types=$(jq -r '.body | fromjson | .type' "$HOOK_LOG" | sort | paste -sd, -)
	echo "got $types"
	[ "$types" = "ACCOUNT_CONNECTED,ACCOUNT_CREATED,IDENTITY_ADDED,INCOMES_ADDED,LINK_ADDED,TASK_FINISHED,TASK_STARTED,TRANSACTIONS_ADDED" ]
	jq -e --arg a "$account" -s 'map(.body | fromjson | {(.type): .data}) | add
		| .IDENTITY_ADDED.accountId == $a and (.IDENTITY_ADDED.identityId | startswith("i-"))
		and .TRANSACTIONS_ADDED.count == 12 and .TASK_FINISHED.status == "SUCCEEDED"
		and .TASK_FINISHED.sourceId == $a and .ACCOUNT_CONNECTED.loginName == "George"' "$HOOK_LOG"
}

@test "a failed link sends ACCOUNT_FAILED with the error code" {
	hook_start
	api POST /webhooks "$(jq -nc --arg url "$HOOK_URL" \
		'{name: "data", url: $url, eventTypes: ["ACCOUNT_FAILED"], active: true, secret: "s3cret"}')"
	user=$(create_user)
	link "$user" George 123456 9999
	wait_hook_lines 1
	kill "$HOOK_PID" 2>/dev/null || true
	jq -e '.body | fromjson | .type == "ACCOUNT_FAILED" and .data.errorCode == "INVALID_MFA"' "$HOOK_LOG"
}

@test "linked data survives a restart with --state" {
	emulator_stop
	emulator_start --state "$BATS_TEST_TMPDIR/state.json"
	read -r user account < <(linked_user Christina YGUS1)
	emulator_stop
	emulator_start --state "$BATS_TEST_TMPDIR/state.json"
	api GET "/accounts/$account"
	expect_code 200
	[ "$(jqb .data.connectionStatus)" = CONNECTED ]
	api GET "/transactions?userId=$user"
	[ "$(jqb '.data.items | length')" -eq 10 ]
	[ "$(jqb .data.items[0].currency)" = SGD ]
}
