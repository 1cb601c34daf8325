#!/usr/bin/env bats
# The shared core seen from the command line, against smile-emulator:
# profiles and precedence, output formats, paging, errors and exit codes,
# retries, the rate limiter, --verbose and --dry-run redaction, and what
# happens with responses that are not Smile's (HTML, endless, dropped).

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

new_user() { smile users create -q; }

@test "users create prints the user and its link token as JSON" {
	run smile users create -o json
	[ "$status" -eq 0 ]
	id=$(jq -r .user.id <<<"$output")
	[[ -n $id && $id != null ]]
	[ "$(jq -r .token.userId <<<"$output")" = "$id" ]
	[ -n "$(jq -r '.token.accessToken // empty' <<<"$output")" ]
	[ -n "$(jq -r '.token.expiresAt // empty' <<<"$output")" ]
	run smile users create -q
	[[ -n $output && $output != "$id" ]]
}

@test "get returns the object that create made" {
	id=$(new_user)
	run smile users get "$id" -o json
	[ "$status" -eq 0 ]
	[ "$(jq -r .id <<<"$output")" = "$id" ]
}

@test "a missing object is exit 4 with status, code, message and requestId on one line" {
	run smile users get u-00000000000000000000000000000000
	[ "$status" -eq 4 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ $output == "smile: HTTP 404 MISSING_RESOURCE: "*"(requestId "*")" ]]
}

@test "wrong credentials are exit 3" {
	SMILE_API_SECRET=wrong run smile users list
	[ "$status" -eq 3 ]
	[[ $output == *"401"* ]]
}

@test "no credentials at all says how to add them, exit 3" {
	unset SMILE_API_KEY SMILE_API_SECRET
	run smile users list
	[ "$status" -eq 3 ]
	[[ $output == *"smile config set api_key"* ]]
}

@test "an unreachable host is exit 7" {
	run smile --base-url http://127.0.0.1:1/v1 --retries 0 users list
	[ "$status" -eq 7 ]
}

@test "--base-url beats SMILE_BASE_URL, which beats the profile" {
	printf 'default: p\nprofiles:\n  p:\n    base_url: http://127.0.0.1:1/v1\n' >"$SMILE_CONFIG"
	chmod 600 "$SMILE_CONFIG"
	run smile users list --size 1 -o json
	[ "$status" -eq 0 ]
	unset SMILE_BASE_URL
	run smile users list --size 1 --retries 0
	[ "$status" -eq 7 ]
	run smile users list --size 1 -o json --base-url "$EMU_URL"
	[ "$status" -eq 0 ]
}

@test "the profile's pipe_output key is the default format of lists as well as of gets" {
	new_user >/dev/null
	printf 'default: p\nprofiles:\n  p:\n    pipe_output: csv\n' >"$SMILE_CONFIG"
	chmod 600 "$SMILE_CONFIG"
	run smile users list --size 1 --fields id
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id" ]
	[ "${#lines[@]}" -eq 2 ]
	run smile providers get upwork --fields id
	[ "$output" = "$(printf 'id\nupwork')" ]
	run smile users list --size 1 --fields id -o json
	[ "$(jq length <<<"$output")" -eq 1 ]
}

@test "an empty list is success: [] in json, nothing in ndjson" {
	run smile webhooks list -o json
	[ "$status" -eq 0 ]
	[ "$output" = "[]" ]
	run smile webhooks list -o ndjson
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "output formats: json array, ndjson lines, csv header, yaml sequence, table" {
	for _ in 1 2 3; do new_user >/dev/null; done
	run smile users list --size 3 -o json
	[ "$(jq length <<<"$output")" -eq 3 ]
	run smile users list --size 3 -o ndjson
	[ "${#lines[@]}" -eq 3 ]
	for l in "${lines[@]}"; do jq -e .id <<<"$l" >/dev/null; done
	run smile users list --size 3 -o csv --fields id,createdAt
	[ "${lines[0]}" = "id,createdAt" ]
	[ "${#lines[@]}" -eq 4 ]
	run smile users list --size 3 -o yaml --fields id
	[ "$(/usr/bin/python3 -c 'import sys,yaml; print(len(yaml.safe_load(sys.stdin)))' <<<"$output")" = 3 ]
	run smile users list --size 3 -o table --fields id,createdAt
	[[ ${lines[0]} =~ ^ID\ +CREATEDAT$ ]]
	[ "${#lines[@]}" -eq 4 ]
}

@test "-q prints only ids, one per line" {
	id=$(new_user)
	run smile users get "$id" -q
	[ "$output" = "$id" ]
}

@test "--jq filters the JSON result" {
	id=$(new_user)
	run smile users get "$id" --jq .id
	[ "$output" = "\"$id\"" ]
	run smile users list --size 2 --jq 'length'
	[ "$output" = 2 ]
}

@test "an invalid --jq program is a clear error" {
	run smile users list --size 1 --jq '.['
	[ "$status" -ne 0 ]
	[[ $output == *"invalid --jq expression"* ]]
}

@test "a bad --jq is exit 2 before anything is sent: a create is not done blind" {
	before=$(curl -sf -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq .requests)
	run smile users create --jq '.user.id |'
	[ "$status" -eq 2 ]
	[[ $output == *"invalid --jq expression"* ]]
	after=$(curl -sf -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq .requests)
	[ "$before" = "$after" ]
}

@test "--jq debug, input and import are handled, not a crash" {
	run smile providers list --size 1 --jq 'debug | length'
	[ "$status" -eq 0 ]
	[[ $output == *'"DEBUG:"'* ]]
	run smile providers list --size 1 --jq 'input'
	[ "$status" -eq 1 ]
	run smile providers list --size 1 --jq 'import "m" as m; .'
	[ "$status" -eq 2 ]
	[[ $output == *"module not found"* ]]
}

@test "--all follows nextCursor across pages into one array; --limit stops early" {
	curl -sf -u "$EMU_KEY:$EMU_SECRET" -X POST -H 'Content-Type: application/json' \
		--data '{"users": 420}' "$EMU_BASE/_emulator/seed" >/dev/null
	total=$(curl -sf -u "$EMU_KEY:$EMU_SECRET" "$EMU_URL/users?size=150" >/dev/null; smile users list --all -q | wc -l)
	[ "$total" -ge 420 ]
	run smile users list --all --size 7 -o json
	[ "$(jq length <<<"$output")" -eq "$total" ]
	[ "$(jq -r '.[].id' <<<"$output" | sort -u | wc -l)" -eq "$total" ]
	run smile users list --all --limit 25 -q
	[ "${#lines[@]}" -eq 25 ]
}

@test "--cursor continues where a page ended" {
	for _ in 1 2 3; do new_user >/dev/null; done
	first=$("$SMILE" api GET /users -f size=2 | jq -r .data.nextCursor)
	[ "$first" != null ]
	run smile users list --size 2 --cursor "$first" -o json
	[ "$status" -eq 0 ]
	[ "$(jq length <<<"$output")" -eq 2 ]
}

@test "api --all with -f cursor sends the cursor once and pages on from it" {
	for _ in 1 2 3 4 5; do new_user >/dev/null; done
	first=$("$SMILE" api GET /users -f size=2 | jq -r .data.nextCursor)
	[ "$first" != null ]
	rest=$(smile users list --cursor "$first" --size 150 --all -q | wc -l)
	run smile api GET /users -f size=2 -f "cursor=$first" --all --verbose
	[ "$status" -eq 0 ]
	[[ $output != *"repeated a page cursor"* ]]
	! grep -q 'cursor=.*cursor=' <<<"$output"
	pages=$(smile api GET /users -f size=2 -f "cursor=$first" --all)
	[ "$(jq -s '[.[].data.items | length] | add' <<<"$pages")" -eq "$rest" ]
}

@test "--verbose shows the exchange with the secret redacted" {
	run smile users list --size 1 --verbose -o json
	[ "$status" -eq 0 ]
	[[ $output == *"GET $EMU_URL/users"* ]]
	[[ $output == *"[redacted]"* ]]
	[[ $output != *"$EMU_SECRET"* ]]
	[[ $output != *"$(printf '%s:%s' "$EMU_KEY" "$EMU_SECRET" | base64)"* ]]
}

@test "--dry-run prints a curl command without the secret and sends nothing" {
	before=$(curl -sf -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq .requests)
	run smile users create --metadata a=b --dry-run
	[ "$status" -eq 0 ]
	[[ $output == "curl "*"-X POST"*"$EMU_URL/users"* ]]
	[[ $output == *'"externalMetadata":{"a":"b"}'* ]]
	[[ $output != *"$EMU_SECRET"* ]]
	after=$(curl -sf -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq .requests)
	[ "$before" = "$after" ]
}

@test "--dry-run never prints the webhook secret, from stdin or --input" {
	run smile webhooks create --name crm --url https://example.com/hooks --event-types ALL_EVENTS \
		--active true --dry-run <<<"hush-hush-123"
	[ "$status" -eq 0 ]
	[[ $output == *'"secret":"***"'* ]]
	[[ $output != *hush-hush-123* ]]
	echo '{"name": "crm", "secret": "hush-hush-123"}' >"$BATS_TEST_TMPDIR/hook.json"
	run smile api POST /webhooks --input "$BATS_TEST_TMPDIR/hook.json" --dry-run
	[ "$status" -eq 0 ]
	[[ $output == *'"name":"crm"'* && $output != *hush-hush-123* ]]
	# deeper than json-c's default of 32 levels, which --input allows
	deep=1
	for _ in $(seq 40); do deep="[$deep]"; done
	echo "{\"name\": \"crm\", \"secret\": \"hush-hush-123\", \"x\": $deep}" >"$BATS_TEST_TMPDIR/deep.json"
	run smile api POST /webhooks --input "$BATS_TEST_TMPDIR/deep.json" --dry-run
	[ "$status" -eq 0 ]
	[[ $output == *'"secret":"***"'* && $output != *hush-hush-123* ]]
}

@test "smile api prints the raw envelope" {
	run smile api GET /providers -f size=2
	[ "$status" -eq 0 ]
	[ "$(jq -r .code <<<"$output")" = OK ]
	[ "$(jq '.data.items | length' <<<"$output")" -eq 2 ]
	[ "$(jq -r .requestId <<<"$output")" != null ]
}

@test "smile api sends a JSON body and maps errors to exit codes" {
	run smile api POST /users --input - <<<'{"externalMetadata": {"k": "v"}}'
	[ "$status" -eq 0 ]
	[ "$(jq -r .code <<<"$output")" = OK ]
	id=$(jq -r .data.user.id <<<"$output")
	run smile users get "$id" -o json
	[ "$(jq -r .externalMetadata.k <<<"$output")" = v ]
	run smile api GET /users/u-00000000000000000000000000000000
	[ "$status" -eq 4 ]
	run smile api FETCH /users
	[ "$status" -eq 2 ]
}

@test "smile api --list names a command for every operation" {
	run smile api --list
	[ "$status" -eq 0 ]
	[[ $output == *"POST /users users create"* ]]
	[[ $output == *"POST /tokens tokens refresh"* ]]
	[[ $output == *"DELETE /accounts/{id} accounts revoke"* ]]
}

@test "--input YAML and flags: flags override the file's fields" {
	printf 'externalMetadata:\n  a: from-file\n' >"$BATS_TEST_TMPDIR/u.yaml"
	id=$(smile users create --input "$BATS_TEST_TMPDIR/u.yaml" -q)
	run smile users get "$id" -o json
	[ "$(jq -r .externalMetadata.a <<<"$output")" = from-file ]
	id=$(smile users create --input "$BATS_TEST_TMPDIR/u.yaml" --metadata a=from-flag -q)
	run smile users get "$id" -o json
	[ "$(jq -r .externalMetadata.a <<<"$output")" = from-flag ]
}

@test "a malformed --input file is a one-line usage error, nothing sent" {
	printf '{"metadata": [1, 2' >"$BATS_TEST_TMPDIR/bad.json"
	run smile users create --input "$BATS_TEST_TMPDIR/bad.json"
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ $output == *"not valid JSON or YAML"* ]]
}

@test "a production profile refuses destructive commands without --yes when stdin is no terminal" {
	printf 'default: prod\nprofiles:\n  prod:\n    mode: production\n    base_url: %s\n' "$EMU_URL" >"$SMILE_CONFIG"
	chmod 600 "$SMILE_CONFIG"
	unset SMILE_BASE_URL
	run smile webhooks delete wh-00000000000000000000000000000000 </dev/null
	[ "$status" -eq 2 ]
	[[ $output == *"without --yes"* ]]
	run smile webhooks delete wh-00000000000000000000000000000000 --yes </dev/null
	[ "$status" -eq 4 ]
}

@test "smile api DELETE on a production profile asks like the named deletes do" {
	id=$(printf 'whsec-1\n' | smile webhooks create --name p --url https://example.com/h \
		--event-types ALL_EVENTS --active true -q)
	printf 'default: prod\nprofiles:\n  prod:\n    mode: production\n    base_url: %s\n' "$EMU_URL" >"$SMILE_CONFIG"
	chmod 600 "$SMILE_CONFIG"
	unset SMILE_BASE_URL
	run smile api DELETE "/webhooks/$id" </dev/null
	[ "$status" -eq 2 ]
	[[ $output == *"refusing to DELETE /webhooks/$id on production profile 'prod' without --yes"* ]]
	run smile webhooks get "$id" -q
	[ "$output" = "$id" ]
	run smile api GET /webhooks </dev/null
	[ "$status" -eq 0 ]
	run smile api DELETE "/webhooks/$id" --yes </dev/null
	[ "$status" -eq 0 ]
	run smile webhooks get "$id" -q
	[ "$status" -eq 4 ]
}
