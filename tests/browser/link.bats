#!/usr/bin/env bats
# smile link against smile-emulator, in a real headless Chromium: the page
# smile link serves, its token endpoint, the emulator's stand-in widget,
# and the callbacks smile prints.

load common
load ../lib/link

setup_file() {
	browser_require || return 0
	emulator_start
}

teardown_file() {
	emulator_stop
}

setup() {
	browser_skip
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml SMILE_BASE_URL=$EMU_URL \
		SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
}

teardown() {
	link_stop
}

GEORGE_UPWORK=(click:Continue click:Upwork fill:Username=George fill:Password=123456 'click:Log in'
	'fill:Verification code=1234' click:Submit 'see:Account connected')

@test "George connects: CONNECTED in the emulator with data, and smile printed the callbacks" {
	link_start
	run drive "$LINK_URL" 'see:Link your work account' shot:consent click:Continue \
		'see:Select your work account' shot:providers click:Upwork shot:login \
		fill:Username=George fill:Password=123456 'click:Log in' \
		'see:Enter the verification code' shot:mfa 'fill:Verification code=1234' click:Submit \
		'see:Account connected' shot:connected click:DONE closed 'page.see:onClose'
	echo "$output"
	[ "$status" -eq 0 ]
	wait_line '^onClose reason=exit$'
	line=$(grep '^onAccountConnected ' "$LINK_OUT")
	[[ $line =~ ^onAccountConnected\ accountId=(a-[0-9a-f]{32})\ userId=(emulator-[0-9a-f]{32})\ providerId=upwork$ ]]
	account=${BASH_REMATCH[1]} user=${BASH_REMATCH[2]}
	grep -qx "onAccountCreated accountId=$account userId=$user providerId=upwork" "$LINK_OUT"
	# In the order they happened.
	[ "$(grep -vE '^(onUIEvent|listening)' "$LINK_OUT" | cut -d' ' -f1 | paste -sd,)" = \
		onAccountCreated,onAccountConnected,onClose ]
	grep -q '^onUIEvent eventName=ConnectSuccessPageOpened ' "$LINK_OUT"
	emu_get "/accounts/$account" | jq -e --arg u "$user" '.data.connectionStatus == "CONNECTED" and .data.userId == $u'
	emu_get "/incomes?userId=$user" | jq -e '(.data.items | length) > 0'
}

@test "Ryan with a wrong password gives onAccountError and onClose reason error" {
	link_start
	run drive "$LINK_URL" click:Continue click:Upwork fill:Username=Ryan fill:Password=wrong \
		'click:Log in' 'see:We could not connect your account' shot:error click:Exit closed
	[ "$status" -eq 0 ]
	wait_line '^onClose reason=error$'
	grep -qE '^onAccountError accountId=a-[0-9a-f]{32} userId=emulator-[0-9a-f]{32} providerId=upwork errorCode=INVALID_CREDENTIALS$' "$LINK_OUT"
	! grep -q '^onAccountConnected' "$LINK_OUT"
}

@test "the close icon gives onClose reason close" {
	link_start
	run drive "$LINK_URL" 'see:Link your work account' click:Close closed
	[ "$status" -eq 0 ]
	wait_line '^onClose reason=close$'
}

@test "an upload gives onUploadsCreated and an archive" {
	printf '%%PDF-1.4\n%% payslip\n' >"$BATS_TEST_TMPDIR/payslip.pdf"
	link_start --enable-upload -o ndjson
	run drive "$LINK_URL" click:Continue 'click:Upload documents' click:Payslip \
		"upload:Document=$BATS_TEST_TMPDIR/payslip.pdf" click:Upload 'see:Documents uploaded' \
		shot:uploaded click:DONE closed
	echo "$output"
	[ "$status" -eq 0 ]
	wait_line '"callback":"onClose"'
	event=$(grep '"callback":"onUploadsCreated"' "$LINK_OUT")
	archive=$(jq -r '.args.uploads[0].id' <<<"$event")
	user=$(jq -r '.args.userId' <<<"$event")
	emu_get "/archives/$archive" | jq -e --arg u "$user" '.data.userId == $u and .data.type == "PAYSLIP"'
}

@test "--once -q prints exactly the connected account id and exits 0" {
	link_start --once -q --providers upwork
	# One provider: the consent leads straight to its login.
	run drive "$LINK_URL" click:Continue 'see:Log in to Upwork' fill:Username=George \
		fill:Password=123456 'click:Log in' 'fill:Verification code=1234' click:Submit \
		'see:Account connected' click:DONE closed
	[ "$status" -eq 0 ]
	wait "$LINK_PID"
	rc=$?
	LINK_PID=
	[ "$rc" -eq 0 ]
	[ "$(sed 1d "$LINK_OUT" | wc -l)" -eq 1 ]
	account=$(sed -n 2p "$LINK_OUT")
	[[ $account =~ ^a-[0-9a-f]{32}$ ]]
	emu_get "/accounts/$account" | jq -e '.data.connectionStatus == "CONNECTED"'
}

@test "--once exits 1 when the widget closes without a connected account" {
	link_start --once
	run drive "$LINK_URL" 'see:Link your work account' click:Close closed
	[ "$status" -eq 0 ]
	wait "$LINK_PID" || rc=$?
	LINK_PID=
	[ "${rc:-0}" -eq 1 ]
	grep -q 'closed without connecting an account' "$LINK_ERR"
}

@test "every launch mints a fresh token, and the secret never reaches the browser" {
	link_start --top-providers sss_ph --providers upwork,sss_ph
	a=$(curl -sf "${LINK_URL}api/create_link_token")
	b=$(curl -sf "${LINK_URL}api/create_link_token")
	jq -e '(.accessToken | length) > 0 and .topProviders == ["sss_ph"] and .providers == ["upwork", "sss_ph"]
		and .enableUpload == false and (.expiresAt | test("Z$"))' <<<"$a"
	[ "$(jq -r .accessToken <<<"$a")" != "$(jq -r .accessToken <<<"$b")" ]
	[ "$(jq -r .userId <<<"$a")" != "$(jq -r .userId <<<"$b")" ]
	page=$(curl -sf "$LINK_URL")
	[[ $page == *"src=\"$EMU_BASE/_emulator/wink/v2/smile.v2.js\""* ]]
	for body in "$a" "$b" "$page"; do
		[[ $body != *"$EMU_SECRET"* ]]
		[[ $body != *"$(printf '%s:%s' "$EMU_KEY" "$EMU_SECRET" | base64)"* ]]
	done
	# A request for another host name (DNS rebinding) gets nothing.
	run curl -s -o /dev/null -w '%{http_code}' -H 'Host: attacker.test' "${LINK_URL}api/create_link_token"
	[ "$output" = 421 ]
}

@test "with --user-id the widget links accounts of that user" {
	user=$(curl -sf -u "$EMU_KEY:$EMU_SECRET" -H 'Content-Type: application/json' -d '{}' "$EMU_URL/users" |
		jq -r .data.user.id)
	link_start --user-id "$user" --once -q
	run drive "$LINK_URL" "${GEORGE_UPWORK[@]}" click:DONE closed
	[ "$status" -eq 0 ]
	wait "$LINK_PID"
	LINK_PID=
	account=$(sed -n 2p "$LINK_OUT")
	emu_get "/accounts/$account" | jq -e --arg u "$user" '.data.userId == $u'
}

@test "a token that expires while the widget is open gives onTokenExpired" {
	link_start
	# The widget opens with a fresh token; then the emulator's clock moves a
	# day on, past its expiresAt, and the login is refused.
	clock="curl -sf -u $EMU_KEY:$EMU_SECRET -H 'Content-Type: application/json' -d '{\"advanceDays\": 1}' $EMU_BASE/_emulator/clock"
	run drive "$LINK_URL" 'see:Link your work account' "sh:$clock >/dev/null" \
		click:Continue click:Upwork fill:Username=George fill:Password=123456 'click:Log in' \
		'see:This link has expired' shot:expired click:Close closed
	echo "$output"
	[ "$status" -eq 0 ]
	wait_line '^onClose reason=close$'
	grep -qx onTokenExpired "$LINK_OUT"
	! grep -q '^onAccountCreated' "$LINK_OUT"
}
