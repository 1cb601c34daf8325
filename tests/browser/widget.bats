#!/usr/bin/env bats
# The stand-in Wink SDK and widget of smile-emulator, in a real headless
# Chromium, opened by a host page (host.html) the way a developer's page
# opens the real SDK. smile link's own page is tested in link.bats.

load common

setup_file() {
	browser_require || return 0
	emulator_start
}

teardown_file() {
	emulator_stop
}

setup() { browser_skip; }

# host_url TOKEN [OPTIONS-JSON]: the host page opening the widget.
host_url() {
	local sdk="$EMU_BASE/_emulator/wink/v2/smile.v2.js"
	printf '/?sdk=%s&token=%s&options=%s' "$(jq -rn --arg s "$sdk" '$s|@uri')" "$1" \
		"$(jq -rn --arg s "${2:-{\}}" '$s|@uri')"
}

# What the page's callbacks received, without the UI events.
CALLS='page.eval:window.calls.filter(c => c.name !== "onUIEvent").map(c => [c.name, c.args])'

@test "George links Upwork: AWAITING_MFA until the code, then CONNECTED with onAccountConnected and DONE" {
	token=$(new_link_token)
	run drive --page "$BROWSER_DIR/host.html" "$(host_url "$token")" \
		'see:Link your work account' shot:consent click:Continue \
		'see:Select your work account' shot:providers click:Upwork \
		fill:Username=George fill:Password=123456 shot:login 'click:Log in' \
		'see:Enter the verification code' shot:mfa \
		"sh:curl -sf -u $EMU_KEY:$EMU_SECRET '$EMU_URL/accounts?providerId=upwork' | jq -e '.data.items[-1].connectionStatus == \"AWAITING_MFA\"'" \
		'fill:Verification code=1234' click:Submit \
		'see:Account connected' shot:connected click:DONE closed "$CALLS"
	echo "$output"
	[ "$status" -eq 0 ]
	calls=${lines[-1]}
	account=$(jq -r '.[0][1].accountId' <<<"$calls")
	user=$(jq -r '.[0][1].userId' <<<"$calls")
	jq -e --arg a "$account" --arg u "$user" '. == [
		["onAccountCreated", {accountId: $a, userId: $u, providerId: "upwork"}],
		["onAccountConnected", {accountId: $a, userId: $u, providerId: "upwork"}],
		["onClose", {reason: "exit"}]]' <<<"$calls"
	emu_get "/accounts/$account" | jq -e '.data.connectionStatus == "CONNECTED" and .data.userId == "'"$user"'"'
	emu_get "/identities?userId=$user" | jq -e '.data.items[0].firstName == "George"'
}

@test "every screen is announced with onUIEvent under the docs' names" {
	token=$(new_link_token)
	run drive --page "$BROWSER_DIR/host.html" "$(host_url "$token")" \
		click:Continue click:Fiverr fill:Username=Anisha fill:Password=123456 'click:Log in' \
		'see:Account connected' \
		'page.eval:window.calls.filter(c => c.name === "onUIEvent").map(c => c.args)'
	[ "$status" -eq 0 ]
	jq -e 'map(.eventName) == ["ConsentPageOpened", "ProviderListPageOpened", "LoginPageOpened", "ConnectSuccessPageOpened"]' <<<"${lines[-1]}"
	jq -e 'all(.mode == "SANDBOX" and (.userId | startswith("emulator-")) and (.eventTime | test("^\\d{4}-\\d\\d-\\d\\dT")))' <<<"${lines[-1]}"
	jq -e '.[2].account.providerId == "fiverr" and (.[3].account.accountId | startswith("a-"))' <<<"${lines[-1]}"
}

@test "Ryan with a wrong password: onAccountError, the error screen, Exit closes with reason error" {
	token=$(new_link_token)
	run drive --page "$BROWSER_DIR/host.html" "$(host_url "$token")" \
		click:Continue click:Upwork fill:Username=Ryan fill:Password=wrong 'click:Log in' \
		'see:We could not connect your account' shot:error click:Exit closed "$CALLS"
	echo "$output"
	[ "$status" -eq 0 ]
	jq -e '.[0][0] == "onAccountCreated" and .[1][0] == "onAccountError"
		and .[1][1].errorCode == "INVALID_CREDENTIALS" and .[1][1].accountId == .[0][1].accountId
		and .[2] == ["onClose", {reason: "error"}] and length == 3' <<<"${lines[-1]}"
	account=$(jq -r '.[0][1].accountId' <<<"${lines[-1]}")
	emu_get "/accounts/$account" | jq -e '.data.connectionStatus == "ERROR"'
}

@test "the close icon closes with reason close, on any screen" {
	token=$(new_link_token)
	run drive --page "$BROWSER_DIR/host.html" "$(host_url "$token")" \
		click:Continue 'see:Select your work account' click:Close closed "$CALLS"
	[ "$status" -eq 0 ]
	jq -e '. == [["onClose", {reason: "close"}]]' <<<"${lines[-1]}"
}

@test "an unknown token and a token spent on an earlier session give onTokenExpired" {
	run drive --page "$BROWSER_DIR/host.html" "$(host_url not-a-token)" \
		'see:This link has expired' shot:expired "$CALLS"
	[ "$status" -eq 0 ]
	jq -e '. == [["onTokenExpired", null]]' <<<"${lines[-1]}"
	# The SDK calls onTokenExpired with no argument at all, as documented.
	token=$(new_link_token)
	run drive --page "$BROWSER_DIR/host.html" "$(host_url "$token")" 'see:Link your work account'
	[ "$status" -eq 0 ]
	run drive --page "$BROWSER_DIR/host.html" "$(host_url "$token")" 'see:This link has expired' \
		'page.eval:window.calls.map(c => [c.name, c.argc])'
	[ "$status" -eq 0 ]
	jq -e '. == [["onTokenExpired", 0]]' <<<"${lines[-1]}"
}

@test "providers filters the list, topProviders comes first, search narrows it" {
	token=$(new_link_token)
	run drive --page "$BROWSER_DIR/host.html" \
		"$(host_url "$token" '{"providers":["upwork","grab","sss_ph"],"topProviders":["sss_ph"]}')" \
		click:Continue 'see:Top providers' shot:filtered \
		'eval:[...document.querySelectorAll("button.item")].map(b => b.getAttribute("aria-label"))' \
		'fill:Search providers=gra' \
		'eval:[...document.querySelectorAll("button.item")].map(b => b.getAttribute("aria-label"))'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[-2]}" = '["SSS","Upwork","Grab"]' ]
	[ "${lines[-1]}" = '["Grab"]' ]
}

@test "one provider and enableConsentPage false go straight to its login" {
	token=$(new_link_token)
	run drive --page "$BROWSER_DIR/host.html" \
		"$(host_url "$token" '{"providers":["sprout"],"enableConsentPage":false}')" \
		'see:Log in to Sprout' 'page.eval:window.calls.map(c => c.args.eventName)'
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = '["LoginPageOpened"]' ]
}

@test "an upload makes an archive of the user and calls onUploadsCreated" {
	printf '%%PDF-1.4\n%% a payslip\n' >"$BATS_TEST_TMPDIR/payslip.pdf"
	token=$(new_link_token)
	run drive --page "$BROWSER_DIR/host.html" "$(host_url "$token" '{"enableUpload":true}')" \
		click:Continue 'click:Upload documents' shot:file-types click:Payslip \
		"upload:Document=$BATS_TEST_TMPDIR/payslip.pdf" shot:upload click:Upload \
		'see:Documents uploaded' shot:uploaded click:DONE closed "$CALLS"
	echo "$output"
	[ "$status" -eq 0 ]
	calls=${lines[-1]}
	jq -e '.[0][0] == "onUploadsCreated" and (.[0][1].uploads | length) == 1
		and .[1] == ["onClose", {reason: "exit"}]' <<<"$calls"
	archive=$(jq -r '.[0][1].uploads[0].id' <<<"$calls")
	user=$(jq -r '.[0][1].userId' <<<"$calls")
	emu_get "/archives/$archive" | jq -e --arg u "$user" '.data.userId == $u and .data.type == "PAYSLIP"
		and .data.rawFiles[0].name == "payslip.pdf"'
}

@test "a connected account can be disconnected: onAccountRemoved, DISCONNECTED" {
	token=$(new_link_token)
	run drive --page "$BROWSER_DIR/host.html" "$(host_url "$token")" \
		click:Continue click:Fiverr fill:Username=George fill:Password=123456 'click:Log in' \
		'see:Account connected' "$CALLS"
	[ "$status" -eq 0 ]
	user=$(jq -r '.[0][1].userId' <<<"${lines[-1]}")
	account=$(jq -r '.[0][1].accountId' <<<"${lines[-1]}")
	token=$(curl -sf -u "$EMU_KEY:$EMU_SECRET" -X POST "$EMU_URL/tokens?userId=$user" | jq -r .data.accessToken)
	run drive --page "$BROWSER_DIR/host.html" "$(host_url "$token")" \
		click:Continue 'see:Connected' click:Fiverr 'see:Fiverr is connected' shot:revoke click:Disconnect \
		'see:Select your work account' "$CALLS"
	echo "$output"
	[ "$status" -eq 0 ]
	jq -e --arg a "$account" --arg u "$user" \
		'. == [["onAccountRemoved", {accountId: $a, userId: $u, providerId: "fiverr"}]]' <<<"${lines[-1]}"
	emu_get "/accounts/$account" | jq -e '.data.connectionStatus == "DISCONNECTED"'
}

@test "companyName shows on the consent and login screens; the search and type bars can be hidden" {
	token=$(new_link_token)
	run drive --page "$BROWSER_DIR/host.html" \
		"$(host_url "$token" '{"companyName":"Acme Lending","enableSearchBar":false,"enableTypeBar":false}')" \
		'see:Acme Lending uses Smile' click:Continue 'see:Select your work account' \
		'eval:[document.querySelectorAll("input[type=search]").length, document.querySelectorAll(".types").length]' \
		click:Grab 'see:Your Grab data will be shared with Acme Lending.'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = '[0,0]' ]
}

@test "an upload can be deleted in a later session: onUploadsRemoved, the archive REVOKED" {
	printf '%%PDF-1.4\n%% a payslip\n' >"$BATS_TEST_TMPDIR/payslip.pdf"
	token=$(new_link_token)
	run drive --page "$BROWSER_DIR/host.html" "$(host_url "$token" '{"enableUpload":true}')" \
		click:Continue 'click:Upload documents' click:Payslip \
		"upload:Document=$BATS_TEST_TMPDIR/payslip.pdf" click:Upload 'see:Documents uploaded' "$CALLS"
	[ "$status" -eq 0 ]
	archive=$(jq -r '.[0][1].uploads[0].id' <<<"${lines[-1]}")
	user=$(jq -r '.[0][1].userId' <<<"${lines[-1]}")
	token=$(curl -sf -u "$EMU_KEY:$EMU_SECRET" -X POST "$EMU_URL/tokens?userId=$user" | jq -r .data.accessToken)
	run drive --page "$BROWSER_DIR/host.html" "$(host_url "$token" '{"enableUpload":true}')" \
		click:Continue "click:Uploaded PAYSLIP ($archive)" shot:archive-revoke 'click:Delete upload' \
		'see:Select your work account' "$CALLS"
	echo "$output"
	[ "$status" -eq 0 ]
	jq -e --arg a "$archive" --arg u "$user" \
		'length == 1 and .[0][0] == "onUploadsRemoved" and .[0][1].userId == $u
		and .[0][1].uploads[0].id == $a' <<<"${lines[-1]}"
	emu_get "/archives/$archive" | jq -e '.data.state.status == "REVOKED"'
}
