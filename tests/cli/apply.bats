#!/usr/bin/env bats
# smile apply against smile-emulator: the example manifest from scratch and
# again, --plan and --dry-run sending nothing that changes state, --delete,
# --prune and updates, -o json and --env-file, link: refused elsewhere,
# exactly once under --fail-rate 0.2 and after kill -9, and every kind of
# bad manifest reported at its line and column with nothing sent. Counts
# come from the emulator (/_emulator/stats, GET /v1/...), never from timing.

load ../lib/emulator

bats_require_minimum_version 1.5.0

setup_file() {
	emulator_start
}

teardown_file() {
	emulator_stop
}

# A second emulator, with faults, for one test: stopped even when the
# test fails (a running one would hold bats' output open).
start_extra() {
	emulator_start "$@"
	EXTRA_PID=$EMU_PID EXTRA_LOG=$EMU_LOG
	export SMILE_BASE_URL=$EMU_URL
}

teardown() {
	[[ -n ${EXTRA_PID:-} ]] || return 0
	EMU_PID=$EXTRA_PID EMU_LOG=$EXTRA_LOG emulator_stop
}

setup() {
	EXTRA_PID=
	SMILE=${SMILE_BUILD:?}/src/smile
	EXAMPLE=$BATS_TEST_DIRNAME/../../examples/ci/seed.yaml
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	export HOOK_URL=https://ci.example.com/hooks HOOK_SECRET=hook-secret-1234
	export XDG_STATE_HOME=$BATS_TEST_TMPDIR/state
	unset SMILE_PROFILE NO_COLOR
	cd "$BATS_TEST_TMPDIR"
	cp "$EXAMPLE" seed.yaml
	curl -sf -X POST -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/reset" >/dev/null
}

# stats JQ-PATH [BASE]: a number from the emulator's counters.
stats() {
	curl -sf --max-time 10 -u "$EMU_KEY:$EMU_SECRET" "${2:-$EMU_BASE}/_emulator/stats" | jq -r ".data.$1 // 0"
}

# The objects the example makes, as "templates webhooks invites accounts".
counts() {
	echo "$(stats collections.inviteTemplates "$@") $(stats collections.webhooks "$@")" \
		"$(stats collections.invites "$@") $(stats collections.accounts "$@")"
}

# Every item of a list, paged with curl (a faulted page is asked again).
list_all() { # PATH JQ [BASE]
	local cursor= page pages i base=${3:-$EMU_BASE}
	for ((pages = 0; pages < 100; pages++)); do
		page=
		for ((i = 0; i < 30; i++)); do
			page=$(curl -sf --max-time 10 -u "$EMU_KEY:$EMU_SECRET" \
				"$base/v1$1?size=150${cursor:+&cursor=$cursor}") && break
			page=
		done
		[ -n "$page" ] || return 1
		jq -r ".data.items[] | $2" <<<"$page"
		cursor=$(jq -r '.data.nextCursor // empty' <<<"$page")
		[ -n "$cursor" ] || return 0
	done
	return 1
}

@test "apply: the example from scratch creates exactly what it names" {
	run "$SMILE" apply -f seed.yaml
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(counts)" = "1 1 5 1" ]
	[ "$(grep -c '^created ' <<<"$output")" -eq 8 ]
	[[ $output == *"apply: 8 created, 0 updated, 0 kept, 0 failed"* ]]
	# The invites use the template created, the user is marked for look-ups.
	[ "$(list_all /invites .templateId | sort -u)" = "$(list_all /inviteTemplates .id)" ]
	[ "$(list_all /users '.externalMetadata.smileApply // empty' | grep -c ':george$')" -eq 1 ]
	[ "$(stat -c %a seed.yaml.state)" = 600 ]
}

@test "apply again: creates nothing, sends no API request, object counts unchanged" {
	"$SMILE" apply -f seed.yaml >/dev/null 2>&1
	before=$(counts) requests=$(stats requests)
	run "$SMILE" apply -f seed.yaml
	[ "$status" -eq 0 ]
	[ "$(grep -c '^kept ' <<<"$output")" -eq 8 ]
	[[ $output == *"0 created, 0 updated, 8 kept, 0 failed"* ]]
	[ "$(counts)" = "$before" ]
	[ "$(stats requests)" -eq "$requests" ]
}

@test "--plan: one line per object and a count line; sends no request that changes state" {
	requests=$(stats requests)
	run "$SMILE" apply -f seed.yaml --plan
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "+ hr (invite-templates)" ]
	[[ $output == *"+ george/account (accounts, linked in the emulator)"* ]]
	[[ $output == *"+ invitees[4] (invites)"* ]]
	[ "${lines[-1]}" = "Plan: 9 to create, 0 to update, 0 to delete, 0 unchanged." ]
	[ "$(counts)" = "0 0 0 0" ]
	[ "$(stats requests)" -eq "$requests" ]
	[ ! -e seed.yaml.state ]
	# After an apply, and with a change, an addition and a removal.
	"$SMILE" apply -f seed.yaml >/dev/null 2>&1
	sed -i 's/subject: Connect your payroll/subject: Connect your payroll now/; s/count: 5/count: 6/; s/name: ci$/name: ci2/' seed.yaml
	requests=$(stats requests)
	run "$SMILE" apply -f seed.yaml --plan
	[ "$status" -eq 0 ]
	[[ $output == *"~ hr (invite-templates) ivt-"* ]]
	[[ $output == *"! hook (webhooks) wh-"*"rename it in the manifest and apply with --prune"* ]]
	[[ $output == *"+ invitees[5] (invites)"* ]]
	[[ $output == *"= invitees[0] (invites) iv-"* ]]
	[ "${lines[-1]}" = "Plan: 1 to create, 1 to update, 0 to delete, 7 unchanged, 1 changed that cannot be updated." ]
	[ "$(stats requests)" -eq "$requests" ]
}

@test "--dry-run: shows the requests, sends none, writes no state" {
	requests=$(stats requests) control=$(stats controlRequests)
	run "$SMILE" apply -f seed.yaml --dry-run
	[ "$status" -eq 0 ]
	[[ $output == *"curl"*"/v1/inviteTemplates"* ]]
	[[ $output == *'"templateId":"${hr.id}"'* ]]
	[[ $output != *hook-secret-1234* ]]
	[[ $output != *'"password":"123456"'* ]]
	[ "$(stats requests)" -eq "$requests" ]
	# Only the stats calls of this test reached the control API.
	[ "$(stats controlRequests)" -eq $((control + 2)) ]
	[ ! -e seed.yaml.state ]
}

@test "update, changed, added and --prune: the template updated, the removed webhook deleted" {
	"$SMILE" apply -f seed.yaml >/dev/null 2>&1
	template=$(list_all /inviteTemplates .id)
	sed -i 's/subject: Connect your payroll/subject: Updated subject/' seed.yaml
	run "$SMILE" apply -f seed.yaml
	[ "$status" -eq 0 ]
	[[ $output == *"updated hr (invite-templates) $template"* ]]
	[ "$(curl -sf -u "$EMU_KEY:$EMU_SECRET" "$EMU_URL/inviteTemplates/$template" | jq -r .data.email.subject)" = "Updated subject" ]
	# The webhook removed from the manifest: reported, kept without --prune.
	python3 - seed.yaml <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r"  hook:\n(    .*\n|      .*\n)+", "", s)
open(p, "w").write(s)
PY
	run "$SMILE" apply -f seed.yaml
	[ "$status" -eq 0 ]
	[ "$(stats collections.webhooks)" -eq 1 ]
	run "$SMILE" apply -f seed.yaml --plan --prune
	[[ $output == *"- hook (webhooks) wh-"* ]]
	run "$SMILE" apply -f seed.yaml --prune
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(stats collections.webhooks)" -eq 0 ]
	[ "$(counts)" = "1 0 5 1" ]
}

@test "-o json and --env-file: ids and tokens for later steps; never in --verbose" {
	run --separate-stderr "$SMILE" apply -f seed.yaml -o json --env-file ci.env -v
	[ "$status" -eq 0 ]
	user=$(jq -r .george.user.id <<<"$output")
	token=$(jq -r .george.token.accessToken <<<"$output")
	[[ $user == *-* && -n $token && $token != null ]]
	[ "$(jq -r '.invitees | length' <<<"$output")" -eq 5 ]
	[ "$(jq -r .george.account.providerId <<<"$output")" = upwork ]
	[ "$(jq -r .hr.id <<<"$output")" = "$(list_all /inviteTemplates .id)" ]
	grep -qx "GEORGE_USER_ID=$user" ci.env
	grep -qx "GEORGE_TOKEN_ACCESS_TOKEN=$token" ci.env
	grep -q '^INVITEES_4_ID=iv-' ci.env
	grep -q '^GEORGE_ACCOUNT_ID=' ci.env
	[[ $stderr != *"$token"* ]]
	[[ $stderr != *hook-secret-1234* ]]
	[ "$(stat -c %a ci.env)" = 600 ]
	# The env file is sourced as a CI system reads it.
	grep -q "^HR_NAME=CI onboarding$" ci.env
}

@test "--delete: deletable objects gone in reverse order, the rest listed; again deletes nothing" {
	"$SMILE" apply -f seed.yaml >/dev/null 2>&1
	account=$(list_all /accounts .id)
	run "$SMILE" apply -f seed.yaml --delete --plan
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "- george/account (accounts) $account" ]
	[[ ${lines[1]} == "- hook (webhooks) wh-"* && ${lines[2]} == "- hr (invite-templates) ivt-"* ]]
	[ "$(counts)" = "1 1 5 1" ]
	run "$SMILE" apply -f seed.yaml --delete
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(stats collections.inviteTemplates) $(stats collections.webhooks)" = "0 0" ]
	[ "$(curl -sf -u "$EMU_KEY:$EMU_SECRET" "$EMU_URL/accounts/$account" | jq -r .data.connectionStatus)" != CONNECTED ]
	[[ $output == *"george (users) "*"not deleted: the API cannot delete users"* ]]
	[ "$(grep -c 'not deleted: the API cannot delete invites' <<<"$output")" -eq 5 ]
	[[ $output == *"3 deleted, 0 failed; 6 not deleted (invites, users)"* ]]
	run "$SMILE" apply -f seed.yaml --delete
	[ "$status" -eq 0 ]
	[[ $output == *"0 deleted, 0 failed"* ]]
}

@test "an outcome lost after the create: looked up by name, marker and e-mail, not created twice" {
	"$SMILE" apply -f seed.yaml >/dev/null 2>&1
	before=$(counts) users=$(stats collections.users)
	# As if the answers had been lost: "creating" is the last word on each.
	grep -vE '"key":"(hr|hook|george|invitees\[2\])","(type":"[a-z-]+","|)event":"created"' seed.yaml.state >lost.state
	[ "$(grep -c '"event":"created"' lost.state)" -eq 5 ]
	mv lost.state seed.yaml.state
	# Just written: a real run would first wait out that run's requests;
	# --dry-run sends nothing, so it does not wait.
	run --separate-stderr "$SMILE" --timeout 30 apply -f seed.yaml --dry-run
	[ "$status" -eq 0 ]
	[[ $stderr != *"waiting"* ]]
	# Long ago: no request of that run can still be in flight, so the
	# re-run need not wait a --timeout first (the kill -9 test does).
	touch -d '2 minutes ago' seed.yaml.state
	run "$SMILE" apply -f seed.yaml --plan
	[[ $output == *"? george (users): its create may have happened; looked up first"* ]]
	run --separate-stderr "$SMILE" apply -f seed.yaml --env-file ci.env
	echo "$output $stderr"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^found ' <<<"$output")" -eq 4 ]
	[[ $stderr == *"4 created"*"(4 of the created found after an unknown outcome)"* ]]
	[ "$(counts)" = "$before" ]
	[ "$(stats collections.users)" -eq "$users" ]
	# The user found from the list gets a token, as its create gave one.
	grep -q '^GEORGE_TOKEN_ACCESS_TOKEN=.' ci.env
}

# few.yaml (seed.yaml with 2 invitees, qa+0..1) applied, then qa+2..4 sent
# by invites send --file with its template: template holds its id.
apply_two_then_send_three() {
	sed 's/count: 5/count: 2/' seed.yaml >few.yaml
	"$SMILE" apply -f few.yaml >/dev/null 2>&1
	template=$(list_all /inviteTemplates .id)
	invite_rows 2 4 >rows.csv
	"$SMILE" invites send --file rows.csv --template-id "$template" >/dev/null
}

# qa+FROM..qa+TO as invites send --file rows.
invite_rows() { # FROM TO
	local i
	echo "email,fullName"
	for ((i = $1; i <= $2; i++)); do echo "qa+$i@example.org,QA $i"; done
}

@test "invites send --file after apply: what apply invited is not sent again" {
	"$SMILE" apply -f seed.yaml >/dev/null 2>&1
	template=$(list_all /inviteTemplates .id)
	invite_rows 3 6 >rows.csv
	run --separate-stderr "$SMILE" invites send --file rows.csv --template-id "$template"
	echo "$output $stderr"
	[ "$status" -eq 0 ]
	[ "$(list_all /invites .email | wc -l)" -eq 7 ]
	[ "$(list_all /invites .email | sort -u | wc -l)" -eq 7 ]
}

@test "apply after invites send --file: invites sent by it are found, not sent again" {
	apply_two_then_send_three
	[ "$(list_all /invites .email | wc -l)" -eq 5 ]
	# The same template, now with 6 invitees: qa+2..4 exist already.
	sed 's/count: 2/count: 6/' few.yaml >more.yaml
	cp few.yaml.state more.yaml.state
	run --separate-stderr "$SMILE" apply -f more.yaml
	echo "$output $stderr"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^found invitees\[[234]\]' <<<"$output")" -eq 3 ]
	[ "$(grep -c '^created invitees\[5\]' <<<"$output")" -eq 1 ]
	[ "$(list_all /invites .email | wc -l)" -eq 6 ]
	[ "$(list_all /invites .email | sort -u | wc -l)" -eq 6 ]
	# And again: nothing more, by either.
	run "$SMILE" invites send --file rows.csv --template-id "$template"
	[ "$(list_all /invites .email | wc -l)" -eq 6 ]
}

@test "--delete: an object already gone counts as deleted" {
	"$SMILE" apply -f seed.yaml >/dev/null 2>&1
	"$SMILE" webhooks delete "$(list_all /webhooks .id)" >/dev/null
	run "$SMILE" apply -f seed.yaml --delete
	[ "$status" -eq 0 ]
	[[ $output == *"- hook (webhooks) wh-"* ]]
	[[ $output == *"3 deleted, 0 failed"* ]]
}

# bad NAME TEXT WHERE MESSAGE: the manifest is refused at its place, exit
# 2, and the emulator saw no request at all.
bad() {
	printf '%s' "$2" >"$1.yaml"
	requests=$(stats requests) control=$(stats controlRequests)
	run "$SMILE" apply -f "$1.yaml"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ $output == *"smile: $1.yaml:$3: "*"$4"* ]]
	[ "$(stats requests)" -eq "$requests" ]
	[ "$(stats controlRequests)" -eq $((control + 2)) ]
	[ ! -e "$1.yaml.state" ]
}

@test "bad manifests: each at its line and column, exit 2, nothing sent" {
	bad syntax $'resources:\n  a: {type: users\n' 3:1 "did not find expected"
	bad duplicate $'resources:\n  a: {type: users}\n  a: {type: users}\n' 3:3 "duplicate key 'a'"
	bad type $'resources:\n  a: {type: userz}\n' 2:13 "a: unknown type 'userz'"
	bad unknown_name $'resources:\n  a:\n    type: users\n    body: {externalMetadata: {x: "${b.user.id}"}}\n' 4:34 "unknown name 'b'"
	bad cycle $'resources:\n  a:\n    type: users\n    body: {externalMetadata: {x: "${b.user.id}"}}\n  b:\n    type: users\n    body: {externalMetadata: {x: "${a.user.id}"}}\n' 7:11 "reference cycle: a -> b -> a"
	bad schema $'resources:\n  h:\n    type: webhooks\n    body: {name: h, url: "ftp://x", eventTypes: [ALL_EVENTS], active: true, secret: s}\n' 4:26 "invalid value 'ftp://x' for url: expected an http:// or https:// URL"
	bad enum $'resources:\n  h:\n    type: webhooks\n    body: {name: h, url: "https://x", eventTypes: [ALL, ALL_EVENTS], active: true, secret: s}\n' 4:52 "invalid value 'ALL' for eventTypes"
	bad type_of_value $'resources:\n  h:\n    type: webhooks\n    body: {name: h, url: "https://x", eventTypes: [ALL_EVENTS], active: "yes", secret: s}\n' 4:73 "invalid value for active: expected true or false"
	bad required $'resources:\n  i:\n    type: invites\n    body: {email: a@example.org, templateId: t}\n' 4:11 "i: body: missing required field 'fullName'"
	bad too_long $'resources:\n  t:\n    type: consent-templates\n    body: {consentType: x, version: "12345678901234567890123456789012345678901234567890123456789012345", consentText: y}\n' 4:37 "expected 1 to 64 characters"
	bad secret $'resources:\n  h:\n    type: webhooks\n    body: {name: h, url: "https://x", eventTypes: [ALL_EVENTS], active: true, secret: ""}\n' 4:87 "invalid value for secret"
	bad env $'resources:\n  a:\n    type: users\n    body: {externalMetadata: {x: "${env.NOT_SET_ANYWHERE}"}}\n' 4:34 "the environment variable NOT_SET_ANYWHERE is not set"
	bad index $'resources:\n  a:\n    type: users\n    body: {externalMetadata: {x: "u${index}"}}\n' 4:34 '${index} is only known in a resource with count:'
	bad counted_ref $'resources:\n  a: {type: users, count: 2}\n  b:\n    type: users\n    body: {externalMetadata: {x: "${a.user.id}"}}\n' 5:34 "a is counted"
	bad count $'resources:\n  a: {type: users, count: 0}\n' 2:27 "count: expected a whole number from 1 to"
	bad link_type $'resources:\n  h:\n    type: consent-templates\n    body: {consentType: x, version: "1", consentText: y}\n    link: {providerId: upwork}\n' 5:11 "only users link accounts"
	bad member $'resources:\n  a: {type: users, bdy: {}}\n' 2:25 "unknown member 'bdy'"
	bad reference_syntax $'resources:\n  a:\n    type: users\n    body: {externalMetadata: {x: "${a b}"}}\n' 4:34 "is not a reference"
	bad empty $'resources: {}\n' 1:12 "no resources"
	bad unknown_field $'resources:\n  h:\n    type: webhooks\n    body: {name: h, url: "https://x", eventTypes: [ALL_EVENTS], active: true, secret: s, colour: red}\n' 4:98 "h: body: unknown field 'colour': the webhooks request has name, url, eventTypes, active, includePayload, secret"
	bad unknown_nested $'resources:\n  t:\n    type: invite-templates\n    body:\n      name: t\n      company: {name: x, logo: y}\n' 6:32 "t: body: unknown field 'company.logo': the invite-templates request has name, logoUrl"
	bad unknown_in_counted $'resources:\n  i:\n    type: invites\n    count: 2\n    body: {email: "a${index}@example.org", fullName: A, templateId: t, template: t}\n' 5:82 "i: body: unknown field 'template'"
	# Every problem is told, not only the first.
	printf 'resources:\n  a: {type: userz}\n  b: {type: users, count: -1}\n' >two.yaml
	run "$SMILE" apply -f two.yaml
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "link: against a server that is not smile-emulator is refused before anything is sent" {
	python3 - >server.port 2>server.log <<'PY' &
import http.server, socketserver, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        sys.stderr.write("GET %s\n" % self.path); sys.stderr.flush()
        self.send_response(404); self.send_header("Content-Type", "application/json"); self.end_headers()
        self.wfile.write(b'{"code":"MISSING_RESOURCE","message":"no","data":{}}')
    def do_POST(self):
        sys.stderr.write("POST %s\n" % self.path); sys.stderr.flush()
        self.send_response(500); self.end_headers()
    def log_message(self, *a): pass
s = socketserver.TCPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.handle_request(); s.handle_request()
PY
	server=$!
	for ((i = 0; i < 100; i++)); do [ -s server.port ] && break; sleep 0.05; done
	run "$SMILE" apply -f seed.yaml --base-url "http://127.0.0.1:$(cat server.port)/v1"
	kill "$server" 2>/dev/null || true
	wait "$server" 2>/dev/null || true
	echo "$output"
	[ "$status" -eq 2 ]
	[[ $output == *"link: needs smile-emulator, refused before sending anything"*"answered HTTP 404"*"Wink widget"* ]]
	[ "$(cat server.log)" = "GET /_emulator/" ]
	[ ! -e seed.yaml.state ]
}

@test "a second apply on the same state waits for nothing: refused while the first holds it" {
	"$SMILE" apply -f seed.yaml >/dev/null 2>&1
	run flock seed.yaml.state "$SMILE" apply -f seed.yaml
	[ "$status" -eq 1 ]
	[[ $output == *"the state file 'seed.yaml.state' is in use by another smile apply"* ]]
}

@test "a state file of another base URL is refused" {
	sed -i '/link:/d' seed.yaml
	"$SMILE" apply -f seed.yaml >/dev/null 2>&1
	run "$SMILE" apply -f seed.yaml --base-url "http://127.0.0.1:9/v1"
	[ "$status" -eq 1 ]
	[[ $output == *"holds objects of $EMU_URL, not of http://127.0.0.1:9/v1"* ]]
}

# Every object exactly once, in the emulator at BASE: one template, one
# webhook, N invites of distinct e-mails, one marked user per counted user.
exactly_once() { # BASE N_INVITES N_USERS
	[ "$(list_all /inviteTemplates .id "$1" | wc -l)" -eq 1 ]
	[ "$(list_all /webhooks .id "$1" | wc -l)" -eq 1 ]
	[ "$(list_all /consentTemplates .id "$1" | wc -l)" -eq 1 ]
	[ "$(list_all /invites .email "$1" | sort | uniq | wc -l)" -eq "$2" ]
	[ "$(list_all /invites .email "$1" | wc -l)" -eq "$2" ]
	[ "$(list_all /users '.externalMetadata.smileApply // empty' "$1" | sort | uniq -d | wc -l)" -eq 0 ]
	[ "$(list_all /users '.externalMetadata.smileApply // empty' "$1" | wc -l)" -eq "$3" ]
	[ "$(list_all /accounts .id "$1" | wc -l)" -eq 1 ]
}

# Applies until it succeeds (bounded): faults may leave objects unknown.
apply_until_done() { # MANIFEST [OPTIONS...]
	local i
	for ((i = 0; i < 8; i++)); do
		"$SMILE" --retries 6 apply -f "$@" >/dev/null 2>>apply.err && return 0
	done
	cat apply.err >&2
	return 1
}

CONSENT=$'  consent:\n    type: consent-templates\n    body: {consentType: DATA_SHARING, version: "1.0", title: CI, consentText: I agree}\n'

big_manifest() { # N_INVITES N_USERS
	sed "s/count: 5/count: $1/" "$EXAMPLE" >big.yaml
	printf '  crowd:\n    type: users\n    count: %d\n    body: {externalMetadata: {n: "${index}"}}\n' "$2" >>big.yaml
	printf '%s' "$CONSENT" >>big.yaml
}

@test "--fail-rate 0.2: every object exists exactly once" {
	start_extra --fail-rate 0.2 --fault-seed 11
	big_manifest 100 20
	apply_until_done big.yaml --timeout 1
	run "$SMILE" apply -f big.yaml
	[ "$status" -eq 0 ]
	[[ $output == *"0 created, 0 updated, 124 kept, 0 failed"* ]]
	faulted=$(stats faults.afterHandler)
	echo "# faults struck after the handler: $faulted" >&3
	[ "$faulted" -gt 0 ]
	exactly_once "$EMU_BASE" 100 21
}

@test "a consent template whose outcome was lost: found by type, version, title and text, not made twice" {
	printf '%s' "$CONSENT" >>seed.yaml
	"$SMILE" apply -f seed.yaml >/dev/null 2>&1
	[ "$(stats collections.consentTemplates)" -eq 1 ]
	id=$(list_all /consentTemplates .id)
	# Another consent template of the same type and version, other text: not it.
	"$SMILE" consent-templates create --consent-type DATA_SHARING --version 1.0 --title CI \
		--consent-text "I do not agree" >/dev/null
	grep -v '"key":"consent","type":"consent-templates","event":"created"' seed.yaml.state >lost.state
	mv lost.state seed.yaml.state
	touch -d '2 minutes ago' seed.yaml.state
	run "$SMILE" apply -f seed.yaml --plan
	[[ $output == *"? consent (consent-templates): its create may have happened"* ]]
	run --separate-stderr "$SMILE" apply -f seed.yaml
	echo "$output $stderr"
	[ "$status" -eq 0 ]
	[[ $output == *"found consent (consent-templates) $id"* ]]
	[ "$(stats collections.consentTemplates)" -eq 2 ]
	# Its text changed: now it is a new one, not the one found.
	sed -i 's/consentText: I agree}/consentText: I agree again}/' seed.yaml
	run "$SMILE" apply -f seed.yaml
	[[ $output == *"changed consent (consent-templates) $id"* ]]
}

@test "kill -9 at a random moment, then apply again: every object exactly once" {
	# 25 ms: the requests a killed run had out queue in the emulator's four
	# threads and can finish after the next run's look-up, unless it waits.
	start_extra --latency-ms 25 --fail-rate 0.05 --fault-seed 3
	big_manifest 150 30
	for round in 1 2 3; do
		# Killed once the state holds a random number of lines more.
		at=$(($(wc -l <big.yaml.state 2>/dev/null || echo 0) + RANDOM % 150 + 2))
		"$SMILE" --rate 0 --retries 6 --timeout 1 apply -f big.yaml >killed.out 2>killed.err &
		apply_pid=$!
		for ((i = 0; i < 2000; i++)); do
			[ "$(wc -l <big.yaml.state 2>/dev/null || echo 0)" -ge "$at" ] && break
			kill -0 "$apply_pid" 2>/dev/null || break
			sleep 0.01
		done
		kill -KILL "$apply_pid" 2>/dev/null || true
		wait "$apply_pid" 2>/dev/null || true
		echo "# round $round: killed at $(wc -l <big.yaml.state) state lines (aimed at $at)" >&3
	done
	# --timeout 1: each run after a kill waits at most 1 s before its look-up.
	apply_until_done big.yaml --timeout 1
	exactly_once "$EMU_BASE" 150 31
}

@test "apply --help, smile-apply(1) and completion come from the tables" {
	run "$SMILE" apply --help
	[ "$status" -eq 0 ]
	[[ $output == *"usage: smile apply"* && $output == *"--env-file FILE"* && $output == *"--prune"* ]]
	run "$SMILE" __man apply
	[ "$status" -eq 0 ]
	[[ $output == *'.TH "smile-apply" 1'* && $output == *'\-\-plan'* && $output == *'\-\-env\-file'* ]]
	run "$SMILE" __complete apply --
	[[ $output == *"--delete"* && $output == *"--state"* ]]
}

@test "examples/ci: the workflow's steps that need no CI service run as written" {
	# The GitHub job's and the GitLab job's script steps, against this emulator.
	export GITHUB_ENV=$BATS_TEST_TMPDIR/github.env
	export PATH=${SMILE_BUILD}/src:$PATH
	local steps=$BATS_TEST_DIRNAME/../../examples/ci/steps.sh
	# archives.yaml and its committed file, copied so that its state stays here.
	cp "$BATS_TEST_DIRNAME/../../examples/ci/archives.yaml" .
	cp -r "$BATS_TEST_DIRNAME/../../examples/ci/files" .
	for manifest in seed.yaml archives.yaml; do
		run bash "$steps" seed "$manifest"
		echo "$output"
		[ "$status" -eq 0 ]
	done
	[ "$(stats collections.archives)" -eq 1 ]
	grep -q '^PAYSLIP_ID=' "$GITHUB_ENV"
	run bash "$steps" test "$GITHUB_ENV"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *", archive "* ]]
	# What the archive holds is the committed file, byte for byte.
	mkdir out
	"$SMILE" archives download "$(jq -r .payslip.id archives.json)" --output-dir out >/dev/null
	cmp out/payslip.pdf files/payslip.pdf
	for manifest in archives.yaml seed.yaml; do
		run bash "$steps" teardown "$manifest"
		echo "$output"
		[ "$status" -eq 0 ]
	done
	[ "$(stats collections.inviteTemplates) $(stats collections.webhooks)" = "0 0" ]
	# Revoked: the emulator keeps it, REVOKED, without its files.
	[[ $(curl -sf -u "$EMU_KEY:$EMU_SECRET" "$EMU_URL/archives/$(jq -r .payslip.id archives.json)") == *'"REVOKED"'* ]]
}

# archive_manifest DIR: a user and an archive of two local files, the
# paths relative to the manifest's directory.
archive_manifest() {
	mkdir -p "$1/docs"
	printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$1/docs/march.pdf"
	{ printf '\x89PNG\r\n\x1a\n'; head -c 3000 /dev/urandom; } >"$1/docs/scan.png"
	cat >"$1/archive.yaml" <<'YAML'
resources:
  ann:
    type: users
    body: {externalMetadata: {suite: archives}}
  papers:
    type: archives
    body: {userId: "${ann.user.id}", fileType: PAYSLIP}
    files: [docs/march.pdf, docs/scan.png]
YAML
}

# The files of an archive as the emulator keeps them: name, type, content.
stored_files() { # ARCHIVE-ID
	curl -sf -u "$EMU_KEY:$EMU_SECRET" "$EMU_URL/archives/$1" |
		jq -c '[.data.rawFiles[] | del(.id, .url, .fileUrl, .createdAt)]'
}

@test "archives: files: sent as archives create sends them; downloaded back byte for byte; again creates nothing" {
	archive_manifest m
	cd "$BATS_TEST_TMPDIR" # the paths are the manifest's, not the current directory's
	run --separate-stderr "$SMILE" apply -f m/archive.yaml -o json
	echo "$output $stderr"
	[ "$status" -eq 0 ]
	id=$(jq -r .papers.id <<<"$output") user=$(jq -r .ann.user.id <<<"$output")
	[[ $id == u-* ]]
	mkdir out
	"$SMILE" archives download "$id" --output-dir out >/dev/null
	cmp out/march.pdf m/docs/march.pdf
	cmp out/scan.png m/docs/scan.png
	# What `smile archives create` makes of the same files is the same.
	other=$("$SMILE" archives create --user-id "$user" --file-type PAYSLIP m/docs/march.pdf m/docs/scan.png --fields id -o csv --no-header)
	[ "$(stored_files "$id")" = "$(stored_files "$other")" ]
	[ "$(stored_files "$id" | jq length)" -eq 2 ]
	archives=$(stats collections.archives) requests=$(stats requests)
	run "$SMILE" apply -f m/archive.yaml
	[ "$status" -eq 0 ]
	[[ $output == *"0 created, 0 updated, 2 kept, 0 failed"* ]]
	[ "$(stats collections.archives)" -eq "$archives" ]
	[ "$(stats requests)" -eq "$requests" ]
	# A file changed on disk is a changed body, told by --plan.
	printf 'more' >>m/docs/march.pdf
	run "$SMILE" apply -f m/archive.yaml --plan
	[[ $output == *"! papers (archives) $id"* ]]
}

@test "archives: bad files: are refused at their line and column, exit 2, nothing sent" {
	mkdir -p docs
	printf '%%PDF-1.4\n' >docs/ok.pdf
	: >docs/empty.pdf
	printf 'x' >docs/notes.txt
	mkdir docs/dir.pdf
	truncate -s $((15 * 1024 * 1024 + 1)) docs/big.pdf
	head=$'resources:\n  a:\n    type: archives\n    body: {userId: u-1, fileType: PAYSLIP}\n'
	bad missing_file "$head"$'    files: [docs/ok.pdf, docs/gone.pdf]\n' 5:26 "a: files: cannot read '"
	bad empty_file "$head"$'    files: [docs/empty.pdf]\n' 5:13 "is empty"
	bad file_type "$head"$'    files: [docs/notes.txt]\n' 5:13 "unsupported file type (accepted: .pdf, .png, .jpg, .jpeg)"
	bad not_regular "$head"$'    files:\n      - docs/dir.pdf\n' 6:9 "is not a regular file"
	bad big_file "$head"$'    files: [docs/big.pdf]\n' 5:13 "larger than the API's limit of 15 MB per file"
	bad no_files "$head" 3:5 "a: files: missing"
	bad files_on_users $'resources:\n  u:\n    type: users\n    files: [docs/ok.pdf]\n' 4:12 "only archives send files, not users"
	bad both $'resources:\n  a:\n    type: archives\n    body: {userId: u-1, rawFiles: []}\n    files: [docs/ok.pdf]\n' 5:12 "not both"
}

@test "--plan and --dry-run: invites sent earlier by invites send --file show as kept, not to create" {
	apply_two_then_send_three
	sed 's/count: 2/count: 6/' few.yaml >more.yaml
	cp few.yaml.state more.yaml.state
	requests=$(stats requests)
	run --separate-stderr "$SMILE" apply -f more.yaml --plan
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^= invitees\[[234]\] (invites)' <<<"$output")" -eq 3 ]
	[ "$(grep -c '^+ invitees\[5\] (invites)' <<<"$output")" -eq 1 ]
	[ "$(grep -c '^+ invitees' <<<"$output")" -eq 1 ]
	run --separate-stderr "$SMILE" apply -f more.yaml --dry-run
	[ "$status" -eq 0 ]
	[ "$(grep -c 'curl.*/v1/invites' <<<"$output$stderr")" -eq 1 ]
	[ "$(stats requests)" -eq "$requests" ]
}

@test "the state file keeps no secret: the webhook's secret and users' tokens are not in it; again nothing changes" {
	run --separate-stderr "$SMILE" apply -f seed.yaml -o json
	[ "$status" -eq 0 ]
	token=$(jq -r .george.token.accessToken <<<"$output")
	[ -n "$token" ] && [ "$token" != null ]
	! grep -qF "$HOOK_SECRET" seed.yaml.state
	! grep -qF "$token" seed.yaml.state
	[ "$(stat -c %a seed.yaml.state)" = 600 ]
	requests=$(stats requests)
	run "$SMILE" apply -f seed.yaml
	[ "$status" -eq 0 ]
	[[ $output == *"0 created, 0 updated, 8 kept, 0 failed"* ]]
	[ "$(stats requests)" -eq "$requests" ]
	# A changed secret is still a changed body.
	HOOK_SECRET=another-secret-5678 run "$SMILE" apply -f seed.yaml --plan
	[[ $output == *"! hook (webhooks) wh-"* ]]
	# Results for CI still carry a token: a fresh one.
	run "$SMILE" apply -f seed.yaml --env-file ci.env
	[ "$status" -eq 0 ]
	grep -q '^GEORGE_TOKEN_ACCESS_TOKEN=.' ci.env
	! grep -qF "$HOOK_SECRET" seed.yaml.state
}
