#!/usr/bin/env bats
# Issue 15, the first hour with smile: -vv bodies with secrets redacted,
# archives download resuming, the upload size limit, what plugins get, users
# find/show, --fields listing, and usage errors before credentials.

bats_require_minimum_version 1.5.0
load ../lib/emulator

setup_file() {
	emulator_start
}

teardown_file() {
	emulator_stop
}

setup() {
	smile_env
	export COLUMNS=200
}

smile() { "$SMILE" --rate 0 "$@"; }

@test "-vv shows the response body with the token redacted" {
	run -0 --separate-stderr smile users create -vv -o json
	token=$(jq -r .token.accessToken <<<"$output")
	[[ -n $token && $token != null ]]
	[[ $stderr == *'< {'* ]]
	[[ $stderr == *'"userId": "'* ]]
	[[ $stderr == *'"accessToken": "[redacted]"'* ]]
	[[ $stderr == *'"expiresAt": "'* ]]
	[[ $stderr != *"$token"* ]]
	[[ $stderr != *"$EMU_SECRET"* ]]
}

@test "-vv shows the request body, secret fields redacted at any depth" {
	run -0 --separate-stderr smile users create --metadata password=pw-hush-1 --metadata crm=42 -vv -o json
	[[ $stderr == *'> {'* ]]
	[[ $stderr == *'"crm": "42"'* ]]
	[[ $stderr == *'"password": "[redacted]"'* ]]
	[[ $stderr != *pw-hush-1* ]]
	# The reply is an error (eventTypes is not a list): its body shows too.
	run -1 --separate-stderr smile api POST /webhooks -f name=crm -f url=https://example.com/h \
		-f eventTypes=ALL_EVENTS -f secret=wh-hush-22 --verbose --verbose
	[[ $stderr == *'"code": "INVALID_PARAMETERS"'* ]]
	[[ $stderr == *'"name": "crm"'* ]]
	[[ $stderr == *'"secret": "[redacted]"'* ]]
	[[ $stderr != *wh-hush-22* ]]
}

@test "-v alone shows headers but no bodies" {
	run -0 --separate-stderr smile users create -v -o json
	[[ $stderr == *"> POST $EMU_URL/users"* ]]
	[[ $stderr == *"bytes of body"* ]]
	[[ $stderr != *'"userId"'* ]]
}

@test "short flags combine as getopt's: -qv" {
	run -0 --separate-stderr smile users create -qv
	[[ $output =~ ^[0-9a-zA-Z_-]+$ ]]
	[[ $stderr == *"> POST"* ]]
}

write_pdf() {
	printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$1"
}

# An archive of two files; prints its id.
two_file_archive() {
	local user
	user=$(smile users create -q)
	write_pdf "$BATS_TEST_TMPDIR/a.pdf"
	write_pdf "$BATS_TEST_TMPDIR/b.pdf"
	smile archives create --user-id "$user" --file-type PAYSLIP "$BATS_TEST_TMPDIR/a.pdf" \
		"$BATS_TEST_TMPDIR/b.pdf" -q
}

@test "archives download makes its output directory with its parents" {
	id=$(two_file_archive)
	out=$BATS_TEST_TMPDIR/deep/er/out
	run -0 smile archives download "$id" --output-dir "$out"
	[ "${#lines[@]}" -eq 2 ]
	[ -s "$out/a.pdf" ] && [ -s "$out/b.pdf" ]
}

@test "archives download --skip-existing completes a partial download" {
	id=$(two_file_archive)
	out=$BATS_TEST_TMPDIR/out
	run -0 smile archives download "$id" --output-dir "$out"
	rm "$out/b.pdf"
	touch -d 2001-01-01 "$out/a.pdf"
	run -0 --separate-stderr smile archives download "$id" --output-dir "$out" --skip-existing
	[ "$output" = "$out/b.pdf" ]
	[[ $stderr == *"kept 1 file already there"* ]]
	[ -s "$out/b.pdf" ]
	# a.pdf was not fetched again
	[ "$(stat -c %Y "$out/a.pdf")" = "$(date -d 2001-01-01 +%s)" ]
	# A file of another size with the name is not taken for the archive's.
	echo other >"$out/b.pdf"
	run -1 smile archives download "$id" --output-dir "$out" --skip-existing
	[[ $output == *"b.pdf' already exists with another size"* ]]
	[ "$(cat "$out/b.pdf")" = other ]
	run -2 smile archives download "$id" --output-dir "$out" --skip-existing --clobber
}

@test "a file over the API's 15 MB limit is refused before anything is sent" {
	big=$BATS_TEST_TMPDIR/big.pdf
	write_pdf "$big"
	truncate -s $((15 * 1024 * 1024 + 1)) "$big"
	before=$(curl -sf -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq .requests)
	run -2 smile archives create --user-id u-1 --file-type PAYSLIP "$big"
	[[ $output == *"big.pdf' is larger than the API's limit of 15 MB"* ]]
	run -2 smile archives upload-payslip --user-id u-1 "$big"
	[[ $output == *"limit of 15 MB"* ]]
	after=$(curl -sf -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq .requests)
	[ "$before" = "$after" ]
	# Just at the limit is not refused here.
	truncate -s $((15 * 1024 * 1024)) "$big"
	run smile archives create --user-id u-1 --file-type PAYSLIP "$big" --dry-run
	[ "$status" -eq 0 ]
}

# ---- usage errors before credentials, with no config at all ---------------

# smile with no config file, no credentials, no profile in the environment.
bare() {
	env -u SMILE_API_KEY -u SMILE_API_SECRET -u SMILE_BASE_URL -u SMILE_PROFILE \
		SMILE_CONFIG="$BATS_TEST_TMPDIR/none.yaml" HOME="$BATS_TEST_TMPDIR/home" "$SMILE" "$@"
}

@test "with no config at all, usage errors are exit 2, not 'no credentials'" {
	echo '{}' >"$BATS_TEST_TMPDIR/empty.json"
	run -1 bare archives create "$BATS_TEST_TMPDIR/missing.pdf"
	[[ $output == *"cannot read"*"missing.pdf"* ]]
	run -2 bare archives create "$BATS_TEST_TMPDIR/empty.json"
	[[ $output == *"unsupported file type"* ]]
	run -2 bare archives download a-1 --clobber --skip-existing
	run -2 bare archives upload-payslip --input "$BATS_TEST_TMPDIR/empty.json"
	[[ $output == *"missing required option --user-id (or 'userId' in --input)"* ]]
	run -2 bare users list --size 0
	# and a correct command still says what is missing
	run -3 bare users list
	[[ $output == *"no API credentials"* ]]
}

@test "--input without required fields names them all at once" {
	echo '{"active": true}' >"$BATS_TEST_TMPDIR/hook.json"
	run -2 bare webhooks create --input "$BATS_TEST_TMPDIR/hook.json"
	[[ $output == *"missing required options --name (or 'name' in --input), --url (or 'url' in --input), --event-types"* ]]
	[[ $output != *secret* ]]
	# stdin is read once, when the body is built: the same check then
	run -2 smile webhooks create --input - <"$BATS_TEST_TMPDIR/hook.json"
	[[ $output == *"--name (or 'name' in --input), --url"* ]]
}

# ---- plugins ------------------------------------------------------------------

make_plugin() { # name script
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\n%s\n' "$2" >"$BATS_TEST_TMPDIR/bin/smile-$1"
	chmod +x "$BATS_TEST_TMPDIR/bin/smile-$1"
}

@test "a plugin gets the profile chosen and its settings, not only the options given" {
	cat >"$SMILE_CONFIG" <<-EOF2
	default: work
	profiles:
	  work:
	    base_url: $EMU_URL
	    api_key: $EMU_KEY
	    api_secret: $EMU_SECRET
	    rate: 7
	    timeout: 12
	    pipe_output: yaml
	EOF2
	chmod 600 "$SMILE_CONFIG"
	make_plugin envdump 'env | grep "^SMILE_" | sort; smile users create -q >/dev/null && echo created'
	PATH=$BATS_TEST_TMPDIR/bin:$(dirname "$SMILE"):$PATH run -0 env -u SMILE_BASE_URL -u SMILE_API_KEY \
		-u SMILE_API_SECRET "$SMILE" envdump
	[[ $output == *"SMILE_PROFILE=work"* ]]
	[[ $output == *"SMILE_BASE_URL=$EMU_URL"* ]]
	[[ $output == *"SMILE_CONFIG=$SMILE_CONFIG"* ]]
	[[ $output == *"SMILE_OUTPUT=yaml"* ]]
	[[ $output == *"SMILE_RATE=7"* ]]
	[[ $output == *"SMILE_TIMEOUT=12"* ]]
	[[ $output == *"SMILE_MODE=sandbox"* ]]
	# The plugin's own smile reaches the same host with the same credentials.
	[[ $output == *created* ]]
	# A flag given still wins over the profile.
	PATH=$BATS_TEST_TMPDIR/bin:$(dirname "$SMILE"):$PATH run -0 "$SMILE" --rate 3 -o csv envdump
	[[ $output == *"SMILE_RATE=3"* ]]
	[[ $output == *"SMILE_OUTPUT=csv"* ]]
}

@test "a near miss of a plugin's name suggests the plugin" {
	make_plugin frobnicate 'echo hi'
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run -2 "$SMILE" frobnicat
	[[ $output == *"'frobnicat' is not a smile command; did you mean 'frobnicate'?"* ]]
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run -2 "$SMILE" usres
	[[ $output == *"did you mean 'users'?"* ]]
}

@test "invites send with no config: every missing option at once, exit 2" {
	run -2 bare invites send --email a@example.com
	[ "$output" = "smile: missing required options --full-name (or 'fullName' in --input), --template-id (or 'templateId' in --input)" ]
	echo '{"fullName": "A"}' >"$BATS_TEST_TMPDIR/inv.json"
	run -2 bare invites send --input "$BATS_TEST_TMPDIR/inv.json"
	[[ $output == *"options --email (or 'email' in --input), --template-id"* ]]
	run -2 bare invites send --email a@example.com --resend
	[[ $output == *"--resend needs --file"* ]]
}

# ---- --fields help --------------------------------------------------------------

@test "--fields with no value or 'help' lists the fields the resource has" {
	smile users create --metadata crm=42 -q >/dev/null
	run -0 --separate-stderr smile users list --fields
	[[ $'\n'$output$'\n' == *$'\nid\n'* ]]
	[[ $output == *"session.status"* ]]
	run -0 smile users list --fields help --size 1 -o json
	[[ $output == *"createdAt"* && $output != *"["* ]]
	# a bare --fields before another option takes no value from it
	run -0 smile users list --fields --size 1
	[[ $output == *"session.userId"* ]]
	run -0 smile api GET /providers --fields
	[[ $output == *longName* ]]
	# Nothing is created to learn the fields.
	before=$(curl -sf -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq .requests)
	run -2 smile users create --fields
	[[ $output == *"--fields help"*"would send POST"* ]]
	run -2 smile api POST /users --fields help
	after=$(curl -sf -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq .requests)
	[ "$before" = "$after" ]
	# and a field no item has points there
	run -0 --separate-stderr smile users list --fields nonexist --size 1
	[[ $stderr == *"no item has the field 'nonexist' (--fields help lists"* ]]
}

# ---- finding a person -------------------------------------------------------------

new_template() {
	sed -n '/^write_invite_template()/,/^}/p' "$BATS_TEST_DIRNAME/commands.bats" >"$BATS_TEST_TMPDIR/tpl.bash"
	# shellcheck disable=SC1091
	source "$BATS_TEST_TMPDIR/tpl.bash"
	write_invite_template
	smile invite-templates create --input "$BATS_TEST_TMPDIR/template.yaml" -q
}

@test "users find --email finds the invite sent to it (any case) among others" {
	template=$(new_template)
	for i in 1 2 3; do
		smile invites send --email "filler$i@example.com" --full-name F --template-id "$template" -q >/dev/null
	done
	invite=$(smile invites send --email Ana.Find@Example.com --full-name Ana --template-id "$template" -q)
	run -0 smile users find --email ana.find@example.com -o json
	[ "$(jq length <<<"$output")" -eq 1 ]
	[ "$(jq -r '.[0].id' <<<"$output")" = "$invite" ]
	run -0 smile users find --email ANA.FIND@example.com -o table
	[[ $output == *USERID*EMAIL* && $output == *Ana.Find@Example.com* ]]
	run -4 smile users find --email nobody@example.com
	[[ $output == *"no invite for 'nobody@example.com'"* ]]
	run -2 bare users find
	[[ $output == *"missing required option --email"* ]]
}

@test "users show: the user, its accounts and the data there is, on one screen" {
	user=$(smile users create --metadata crm=42 -q)
	write_pdf "$BATS_TEST_TMPDIR/a.pdf"
	smile archives create --user-id "$user" --file-type PAYSLIP "$BATS_TEST_TMPDIR/a.pdf" -q >/dev/null
	run -0 smile users show "$user" -o table
	[[ ${lines[0]} == "user       $user" ]]
	[[ $output == *"accounts   0"* ]]
	# the archive's analysis made identities, employments and incomes too
	[[ $output == *$'\n'"data       "*"archives 1"* ]]
	[[ $output == *'"crm":'* ]]
	run -0 smile users show "$user" -o json
	[ "$(jq -r .user.id <<<"$output")" = "$user" ]
	[ "$(jq -r .data.archives <<<"$output")" = 1 ]
	[ "$(jq -r .data.transactions <<<"$output")" = 0 ]
	[ "$(jq '.accounts | length' <<<"$output")" = 0 ]
	run -4 smile users show nope
}

@test "-vv reaches a plugin as SMILE_VERBOSE=2" {
	make_plugin verb 'echo "v=$SMILE_VERBOSE"'
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run -0 "$SMILE" -vv verb
	[ "$output" = "v=2" ]
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run -0 "$SMILE" -v verb
	[ "$output" = "v=1" ]
}
