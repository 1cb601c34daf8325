#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
#
# Webhook delivery of smile-emulator, checked by an independent receiver
# (tests/lib/webhook_receiver.py) that verifies Smile-Signature itself.
#
# Run: SMILE_BUILD=/abs/build-dir bats --tap tests/emulator
#
# To know that "nothing was delivered" without sleeping, the tests wait until
# the engine is idle: in /_emulator/stats every queued delivery has ended as
# delivered or dropped.

RECEIVER=$BATS_TEST_DIRNAME/../lib/webhook_receiver.py
SECRET="a little secret"
WAIT_S=30 # upper bound of every wait; a passing run takes far less

setup() {
	source "$BATS_TEST_DIRNAME/../lib/emulator.bash"
	emulator_start --webhook-retry-delays-ms 100,100
	RECEIVER_PIDS=()
}

teardown() {
	local pid
	for pid in "${RECEIVER_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	emulator_stop
}

# ---- helpers -------------------------------------------------------------

# receiver_start NAME RECEIVER-ARGS...: sets <NAME>_URL and <NAME>_LOG.
receiver_start() {
	local name=$1 portfile log deadline port=
	shift
	portfile=$BATS_TEST_TMPDIR/$name.port
	log=$BATS_TEST_TMPDIR/$name.jsonl
	: >"$log"
	python3 "$RECEIVER" --out "$log" --lifetime 120 "$@" >"$portfile" 2>"$BATS_TEST_TMPDIR/$name.err" &
	RECEIVER_PIDS+=("$!")
	deadline=$((SECONDS + WAIT_S))
	while ((SECONDS < deadline)); do
		port=$(head -n1 "$portfile" 2>/dev/null || true)
		[[ -n $port ]] && break
		sleep 0.05
	done
	[[ -n $port ]] || { echo "receiver $name did not start"; cat "$BATS_TEST_TMPDIR/$name.err"; return 1; }
	printf -v "${name}_URL" 'http://127.0.0.1:%s/hooks/%s' "$port" "$name"
	printf -v "${name}_LOG" '%s' "$log"
}

# api METHOD PATH [JSON]: prints the body; fails unless the status is 2xx.
api() {
	local args=(-sS --max-time 10 -u "$EMU_KEY:$EMU_SECRET" -X "$1" --fail-with-body)
	[[ $# -ge 3 ]] && args+=(-H 'Content-Type: application/json' --data "$3")
	curl "${args[@]}" "$EMU_URL$2"
}

# register_webhook URL EVENTS-JSON-ARRAY [ACTIVE]: prints the webhook id.
register_webhook() {
	local body
	body=$(jq -nc --arg url "$1" --arg secret "$SECRET" --argjson events "$2" \
		--argjson active "${3:-true}" \
		'{name: "bats receiver", url: $url, eventTypes: $events, active: $active, secret: $secret}')
	api POST /webhooks "$body" | jq -er '.data.id'
}

# POST /users answers {user, token} (spec: UserPostResponse).
create_user() {
	api POST /users '{}' | jq -er '.data.user.id'
}

webhook_stats() {
	curl -sS --max-time 10 -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq -c '.data.webhooks'
}

# wait_lines FILE N: waits until FILE has at least N lines.
wait_lines() {
	local deadline=$((SECONDS + WAIT_S))
	while ((SECONDS < deadline)); do
		(($(wc -l <"$1") >= $2)) && return 0
		sleep 0.05
	done
	echo "only $(wc -l <"$1") of $2 deliveries arrived in ${WAIT_S}s"
	return 1
}

# wait_idle: waits until every queued delivery was delivered or dropped.
wait_idle() {
	local deadline=$((SECONDS + WAIT_S)) stats
	while ((SECONDS < deadline)); do
		stats=$(webhook_stats)
		jq -e '.queued == .delivered + .dropped' <<<"$stats" >/dev/null && return 0
		sleep 0.05
	done
	echo "webhook engine still busy after ${WAIT_S}s: $stats"
	return 1
}

# ---- tests ---------------------------------------------------------------

@test "USER_CREATED is delivered, signed and shaped as the docs show" {
	receiver_start good --secret "$SECRET"
	register_webhook "$good_URL" '["USER_CREATED"]' >/dev/null
	user=$(create_user)
	wait_lines "$good_LOG" 1

	delivery=$(head -n1 "$good_LOG")
	jq -e '.signatureValid == true' <<<"$delivery"
	jq -e '.headers["Content-Type"] | startswith("application/json")' <<<"$delivery"
	jq -e '.headers["Smile-Signature"] | test("^[0-9a-f]{128}$")' <<<"$delivery"
	body=$(jq -r '.body' <<<"$delivery")
	jq -e --arg user "$user" '
		(keys | sort) == ["createdAt", "data", "id", "type", "version"]
		and (.id | test("^et-[0-9a-f]{32}$"))
		and .version == 1
		and .type == "USER_CREATED"
		and (.createdAt | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"))
		and .data.userId == $user' <<<"$body"
}

@test "a receiver with another secret sees an invalid signature" {
	receiver_start tampered --secret "not the secret"
	register_webhook "$tampered_URL" '["USER_CREATED"]' >/dev/null
	create_user >/dev/null
	wait_lines "$tampered_LOG" 1
	jq -e '.signatureValid == false' "$tampered_LOG"
}

@test "ALL_EVENTS subscribes to USER_CREATED too" {
	receiver_start all --secret "$SECRET"
	register_webhook "$all_URL" '["ALL_EVENTS"]' >/dev/null
	create_user >/dev/null
	wait_lines "$all_LOG" 1
	jq -e '(.body | fromjson | .type) == "USER_CREATED"' "$all_LOG"
}

@test "events not subscribed to are not delivered" {
	receiver_start other --secret "$SECRET"
	receiver_start witness --secret "$SECRET"
	register_webhook "$other_URL" '["ACCOUNT_CONNECTED"]' >/dev/null
	register_webhook "$witness_URL" '["USER_CREATED"]' >/dev/null
	create_user >/dev/null
	wait_lines "$witness_LOG" 1
	wait_idle
	[[ $(wc -l <"$other_LOG") -eq 0 ]]
}

@test "two failures are retried and the third attempt delivers the same event" {
	receiver_start flaky --secret "$SECRET" --fail-first 2
	register_webhook "$flaky_URL" '["USER_CREATED"]' >/dev/null
	create_user >/dev/null
	wait_lines "$flaky_LOG" 3
	wait_idle
	run jq -sc 'map(.answered)' "$flaky_LOG"
	[[ $output == '[500,500,200]' ]]
	# A retry resends the very same bytes, so the event id lets receivers dedupe.
	[[ $(jq -r '.body' "$flaky_LOG" | sort -u | wc -l) -eq 1 ]]
	jq -se 'all(.signatureValid)' "$flaky_LOG"
	jq -e '.delivered == 1 and .failedAttempts == 2' <<<"$(webhook_stats)"
}

@test "a receiver that always fails gets exactly three attempts" {
	receiver_start broken --secret "$SECRET" --fail-always
	register_webhook "$broken_URL" '["USER_CREATED"]' >/dev/null
	create_user >/dev/null
	wait_lines "$broken_LOG" 3
	wait_idle
	[[ $(wc -l <"$broken_LOG") -eq 3 ]]
	jq -e '.delivered == 0 and .failedAttempts == 3 and .dropped == 1' <<<"$(webhook_stats)"
}

@test "a deleted webhook gets no more deliveries" {
	receiver_start gone --secret "$SECRET"
	receiver_start witness --secret "$SECRET"
	id=$(register_webhook "$gone_URL" '["USER_CREATED"]')
	register_webhook "$witness_URL" '["USER_CREATED"]' >/dev/null
	api DELETE "/webhooks/$id" >/dev/null
	create_user >/dev/null
	wait_lines "$witness_LOG" 1
	wait_idle
	[[ $(wc -l <"$gone_LOG") -eq 0 ]]
}

@test "deleting a webhook cancels its pending retries" {
	receiver_start broken --secret "$SECRET" --fail-always
	id=$(register_webhook "$broken_URL" '["USER_CREATED"]')
	create_user >/dev/null
	wait_lines "$broken_LOG" 1
	api DELETE "/webhooks/$id" >/dev/null
	wait_idle
	# The retry pause is about a second, so the delete lands well before the
	# second attempt; three attempts would mean the cancel did nothing.
	[[ $(wc -l <"$broken_LOG") -lt 3 ]]
	jq -e '.dropped == 1' <<<"$(webhook_stats)"
}

@test "an inactive webhook gets nothing" {
	receiver_start asleep --secret "$SECRET"
	receiver_start witness --secret "$SECRET"
	register_webhook "$asleep_URL" '["USER_CREATED"]' false >/dev/null
	register_webhook "$witness_URL" '["USER_CREATED"]' >/dev/null
	create_user >/dev/null
	wait_lines "$witness_LOG" 1
	wait_idle
	[[ $(wc -l <"$asleep_LOG") -eq 0 ]]
}

@test "a receiver that never answers does not block API requests" {
	receiver_start stuck --secret "$SECRET" --hang
	register_webhook "$stuck_URL" '["USER_CREATED"]' >/dev/null
	# Each create queues a delivery to a receiver that holds the connection.
	# Every request must still be answered (curl gives up after 10 s each).
	for i in $(seq 20); do
		create_user >/dev/null || { echo "request $i failed"; false; }
	done
	api GET '/users?size=50' | jq -e '.data.items | length >= 20'
	wait_lines "$stuck_LOG" 1
}

@test "linking an account sends ACCOUNT_CONNECTED" {
	receiver_start linked --secret "$SECRET"
	register_webhook "$linked_URL" '["ACCOUNT_CONNECTED"]' >/dev/null
	user=$(create_user)
	provider=$(api GET /providers | jq -r '.data.items[0].id')
	status=$(curl -sS --max-time 10 -o "$BATS_TEST_TMPDIR/link.json" -w '%{http_code}' \
		-u "$EMU_KEY:$EMU_SECRET" -H 'Content-Type: application/json' \
		--data "$(jq -nc --arg u "$user" --arg p "$provider" '{userId: $u, providerId: $p}')" \
		"$EMU_BASE/_emulator/link")
	if [[ $status == 404 ]] && jq -e '.code == "MISSING_RESOURCE" or .code == "NOT_FOUND"' \
		"$BATS_TEST_TMPDIR/link.json" >/dev/null 2>&1; then
		skip "/_emulator/link is not available in this build"
	fi
	[[ $status == 2* ]] || { cat "$BATS_TEST_TMPDIR/link.json"; false; }
	wait_lines "$linked_LOG" 1
	jq -e --arg user "$user" '
		.signatureValid and (.body | fromjson | .type == "ACCOUNT_CONNECTED"
			and .data.userId == $user and (.data.accountId | type) == "string")' "$linked_LOG"
}

@test "deliveries waiting for a receiver that never answers are bounded" {
	receiver_start stuck --secret "$SECRET" --hang
	for i in $(seq 10); do
		register_webhook "$stuck_URL" '["USER_CREATED"]' >/dev/null
	done
	# 1,100 creates queue 11,000 deliveries: beyond the bound of 10,000
	# waiting ones, events are dropped instead of growing memory for good.
	config=$BATS_TEST_TMPDIR/creates.curl
	for i in $(seq 1100); do printf 'url = "%s"\noutput = "/dev/null"\n' "$EMU_URL/users"; done >"$config"
	codes=$(curl -sS --max-time 60 -u "$EMU_KEY:$EMU_SECRET" -H 'Content-Type: application/json' \
		-d '{}' -w '%{http_code}\n' -K "$config" | sort | uniq -c | head -5)
	[[ $codes == *"1100 201" ]] || { echo "$codes"; false; }
	stats=$(webhook_stats)
	jq -e '.queued + .dropped == 11000 and .queued <= 10016 and .dropped >= 984' <<<"$stats" ||
		{ echo "$stats"; false; }
}

# ---- POST /_emulator/trigger ----------------------------------------------

DOCS=$BATS_TEST_DIRNAME/../../../shared/smile-api/docs/english/api-reference/tags/tag-webhooks.md

# trigger JSON: POST /_emulator/trigger; prints the body, fails unless 2xx.
trigger() {
	curl -sS --max-time 10 -u "$EMU_KEY:$EMU_SECRET" -X POST --fail-with-body \
		-H 'Content-Type: application/json' --data "$1" "$EMU_BASE/_emulator/trigger"
}

# The docs' event types with the sorted keys of their example data, one
# JSON object {TYPE: [keys]}.
docs_event_keys() {
	python3 - "$DOCS" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
table = text.split("## List of Events", 1)[1].split("## Example Payloads", 1)[0]
types = re.findall(r"\|\s*([A-Z_]+)\s*\|\s*Sent|\|\s*([A-Z_]+)\s*\|\s*Payload", table)
types = [a or b for a, b in types]
keys = {}
for block in re.findall(r"```json\n(.*?)```", text, re.S):
    try:
        event = json.loads(block)
    except ValueError:
        continue
    if isinstance(event, dict) and "type" in event:
        keys[event["type"]] = sorted(event["data"])
print(json.dumps({t: keys.get(t) for t in types}))
PY
}

@test "trigger: every documented event type reaches a webhook, shaped as the docs' example" {
	[[ -f $DOCS ]] || skip "the Smile docs are not in ../shared/smile-api"
	local expected type got n=0
	expected=$(docs_event_keys)
	[ "$(jq length <<<"$expected")" -ge 26 ]
	receiver_start all --secret "$SECRET"
	register_webhook "$all_URL" '["ALL_EVENTS"]' >/dev/null
	user=$(create_user)
	wait_lines "$all_LOG" 1
	for type in $(jq -r 'keys_unsorted[]' <<<"$expected"); do
		trigger "{\"eventType\": \"$type\", \"userId\": \"$user\"}" >/dev/null
		n=$((n + 1))
		wait_lines "$all_LOG" $((n + 1))
		got=$(tail -n1 "$all_LOG")
		jq -e '.signatureValid' <<<"$got" >/dev/null || { echo "$type: bad signature"; false; }
		jq -e --arg t "$type" --argjson keys "$(jq -c --arg t "$type" '.[$t]' <<<"$expected")" \
			--arg u "$user" '.body | fromjson | .type == $t and (.data | keys) == $keys
				and (.data.userId == null or .data.userId == $u)' <<<"$got" >/dev/null ||
			{ echo "$type: $(jq -r .body <<<"$got")"; false; }
	done
}

@test "trigger: only subscribed active webhooks get it; body members replace data" {
	receiver_start hit --secret "$SECRET"
	receiver_start miss --secret "$SECRET"
	receiver_start off --secret "$SECRET"
	register_webhook "$hit_URL" '["INCOMES_ADDED"]' >/dev/null
	register_webhook "$miss_URL" '["IDENTITY_ADDED"]' >/dev/null
	register_webhook "$off_URL" '["INCOMES_ADDED"]' false >/dev/null
	body=$(trigger '{"eventType": "INCOMES_ADDED", "count": 7, "accountId": "a-pinned"}')
	jq -e '.data.eventType == "INCOMES_ADDED" and .data.data.count == 7' <<<"$body"
	wait_lines "$hit_LOG" 1
	wait_idle
	jq -e '.body | fromjson | .data.count == 7 and .data.accountId == "a-pinned"
		and (.data.userId | startswith("emulator-"))' "$hit_LOG"
	[ ! -s "$miss_LOG" ] && [ ! -s "$off_LOG" ]
}

@test "trigger: an unknown type is 400 naming the valid ones; an unknown user is 404" {
	run curl -s -u "$EMU_KEY:$EMU_SECRET" -X POST -H 'Content-Type: application/json' \
		--data '{"eventType": "NOPE"}' "$EMU_BASE/_emulator/trigger"
	jq -e '.code == "INVALID_PARAMETERS" and (.message | contains("NOPE"))
		and (.message | contains("USER_CREATED")) and (.message | contains("LINK_ADDED"))' <<<"$output"
	run curl -s -o /dev/null -w '%{http_code}' -u "$EMU_KEY:$EMU_SECRET" -X POST \
		-H 'Content-Type: application/json' --data '{"eventType": "USER_CREATED", "userId": "emulator-nobody"}' \
		"$EMU_BASE/_emulator/trigger"
	[ "$output" = 404 ]
	run curl -s -o /dev/null -w '%{http_code}' -u "$EMU_KEY:$EMU_SECRET" -X POST \
		-H 'Content-Type: application/json' --data '{}' "$EMU_BASE/_emulator/trigger"
	[ "$output" = 400 ]
}

@test "stats count attempts and retries; --webhook-retry-delays-ms none retries nothing" {
	receiver_start flaky --secret "$SECRET" --fail-first 2
	register_webhook "$flaky_URL" '["USER_CREATED"]' >/dev/null
	create_user >/dev/null
	wait_lines "$flaky_LOG" 3
	wait_idle
	jq -e '.attempts == 3 and .retries == 2 and .failedAttempts == 2 and .delivered == 1' <<<"$(webhook_stats)"
	emulator_stop
	emulator_start --webhook-retry-delays-ms none
	receiver_start broken --secret "$SECRET" --fail-always
	register_webhook "$broken_URL" '["USER_CREATED"]' >/dev/null
	create_user >/dev/null
	wait_lines "$broken_LOG" 1
	wait_idle
	jq -e '.attempts == 1 and .retries == 0 and .dropped == 1' <<<"$(webhook_stats)"
}

@test "bad --webhook-retry-delays-ms is refused with exit 2" {
	for arg in "" "x" "100,-1" "1,2,3,4,5,6" "100,,"; do
		# A bounded run: an option taken by mistake would start a server.
		run timeout 10 "$SMILE_BUILD/src/emulator/smile-emulator" --port 0 --webhook-retry-delays-ms "$arg"
		[ "$status" -eq 2 ] || { echo "'$arg': $status $output"; false; }
		[[ $output == *webhook-retry-delays-ms* ]]
	done
}
