#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
#
# Conformance of smile-emulator to the official spec: drive_emulator.py sends
# one valid request per operation through a Prism proxy that validates both
# the request and the emulator's answer against ../shared/smile-api/openapi-v1.yaml.
# One test per tag of the spec; a test fails when an operation of its tag got
# a non-2xx answer or Prism reported any violation.
#
# Allowed: exactly one violation on POST /archives, "Request body must have
# required property 'files'". The spec (1.14.0) requires `files` but its
# properties, examples and the docs all say `rawFiles`, which is what the API
# takes (see ../shared/README.md): that report is the spec's fault.
#
# Run: SMILE_BUILD=/abs/build-dir bats --tap tests/conformance

ALLOWED_ARCHIVE_VIOLATION="Request body must have required property 'files'"
# Also allowed: an invite's linkedAt is null until the person links, as the
# docs define it (tag-invites.md: "Date and time the invited user has linked
# an account", sample "linkedAt": null), while the spec's schema types it as
# a date-time that is never null. The invite operations go through the
# lenient proxy for that, and this is the one violation they may report.
ALLOWED_INVITE_VIOLATION='^Response body property data(\.items\.[0-9]+)?\.linkedAt must be string$'
INVITE_OPS='["create-invite", "list-invites", "get-invite"]'

setup_file() {
	source "$BATS_TEST_DIRNAME/../lib/prism.bash"
	if ! prism_spec; then
		export CONFORMANCE_SKIP="../shared/smile-api/openapi-v1.yaml not found: conformance tests skipped"
		return 0
	fi
	if ! prism_find; then
		export CONFORMANCE_SKIP="prism not found (set PRISM or put prism on PATH): conformance tests skipped"
		return 0
	fi
	source "$BATS_TEST_DIRNAME/../lib/emulator.bash"
	emulator_start
	# Two proxies: the strict one answers any violation with an error; the
	# lenient one forwards POST /archives despite the spec's `files` flaw.
	prism_start strict "$EMU_URL" --errors
	prism_start lenient "$EMU_URL"
	export RESULTS=$BATS_FILE_TMPDIR/results.jsonl
	python3 "$BATS_TEST_DIRNAME/drive_emulator.py" --spec "$PRISM_SPEC" \
		--prism "$PRISM_URL_strict" --lenient "$PRISM_URL_lenient" \
		--emulator "$EMU_BASE" --key "$EMU_KEY" --secret "$EMU_SECRET" \
		--out "$RESULTS" >"$BATS_FILE_TMPDIR/driver.log" 2>&1
	export DRIVER_STATUS=$?
}

teardown_file() {
	[[ -n ${CONFORMANCE_SKIP:-} ]] && return 0
	prism_stop strict
	prism_stop lenient
	emulator_stop
}

setup() {
	[[ -z ${CONFORMANCE_SKIP:-} ]] || skip "$CONFORMANCE_SKIP"
}

# Lists, one per line, the operations of a tag that did not conform.
problems_of_tag() {
	jq -r --arg tag "$1" --arg allowed "$ALLOWED_ARCHIVE_VIOLATION" \
		--arg invite "$ALLOWED_INVITE_VIOLATION" --argjson invite_ops "$INVITE_OPS" '
		select(.tag == $tag)
		| (if .operationId == "create-archive" then .violations - [$allowed]
		   elif (.operationId | IN($invite_ops[])) then [.violations[] | select(test($invite) | not)]
		   else .violations end) as $v
		| select(.status < 200 or .status > 299 or ($v | length) > 0
			 or (.problem != null and .operationId != "create-archive"))
		| "\(.method) \(.path) (\(.operationId)) -> \(.status) \(.problem // "")"
		  + (if ($v | length) > 0 then "\n    violations: " + ($v | join("\n    violations: ")) else "" end)
		  + (if .note then "\n    note: \(.note)" else "" end)
		  + (if .answer then "\n    answer: \(.answer)" else "" end)' "$RESULTS"
}

check_tag() {
	local count problems
	count=$(jq --arg tag "$1" 'select(.tag == $tag)' "$RESULTS" | jq -s length)
	if ((count == 0)); then
		echo "no operation of tag '$1' was driven"
		return 1
	fi
	problems=$(problems_of_tag "$1")
	if [[ -n $problems ]]; then
		echo "$problems"
		return 1
	fi
}

@test "driver ran every operation of the spec" {
	[[ $DRIVER_STATUS -eq 0 ]] || { cat "$BATS_FILE_TMPDIR/driver.log"; false; }
	expected=$(python3 -c '
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
print(sum(1 for item in doc["paths"].values() for m in item if m in ("get", "post", "put", "delete")))' "$PRISM_SPEC")
	driven=$(jq -s '[.[] | select(.tag != "_emulator")] | length' "$RESULTS")
	echo "spec operations: $expected, driven: $driven"
	[[ $driven -eq $expected ]]
}

@test "every tag of the spec has a test here" {
	missing=$(python3 -c '
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
tags = {o["tags"][0] for item in doc["paths"].values() for m, o in item.items() if m in ("get", "post", "put", "delete")}
known = set(open(sys.argv[2]).read().split("\n"))
print("\n".join(sorted(tags - known)))' "$PRISM_SPEC" <(grep -o '^@test "conformance: .*"' "$BATS_TEST_FILENAME" | sed 's/^@test "conformance: \(.*\)"$/\1/'))
	[[ -z $missing ]] || { echo "tags without a test: $missing"; false; }
}

@test "an account was linked through /_emulator/link" {
	jq -s -e 'map(select(.operationId == "_emulator-link")) | length > 0 and all(.status >= 200 and .status < 300)' "$RESULTS" ||
		{ jq -c 'select(.operationId == "_emulator-link")' "$RESULTS"; false; }
}

@test "POST /archives reports only the known spec flaw" {
	run jq -r 'select(.operationId == "create-archive") | .violations[]' "$RESULTS"
	[[ $status -eq 0 ]]
	for v in "${lines[@]}"; do
		[[ $v == "$ALLOWED_ARCHIVE_VIOLATION" ]] || { echo "unexpected: $v"; false; }
	done
}

@test "invites report only the documented null linkedAt" {
	run jq -r --argjson ops "$INVITE_OPS" 'select(.operationId | IN($ops[])) | .violations[]' "$RESULTS"
	[[ $status -eq 0 ]]
	for v in "${lines[@]}"; do
		[[ $v =~ $ALLOWED_INVITE_VIOLATION ]] || { echo "unexpected: $v"; false; }
	done
}

@test "prism logs no violation that the driver missed" {
	# Each refused request leaves one "Request terminated with error" line.
	logged=$(grep -c 'Request terminated with error' "$PRISM_LOG_strict" || true)
	reported=$(jq -s '[.[] | select(.via == "strict" and .problem != null)] | length' "$RESULTS")
	echo "strict prism log: $logged refused, driver saw: $reported"
	[[ $logged -eq $reported ]]
	# The lenient proxy may only log the one known flaw.
	others=$(grep 'Violation:' "$PRISM_LOG_lenient" | grep -v "required property 'files'" |
		grep -v 'linkedAt must be string' || true)
	[[ -z $others ]] || { echo "$others"; false; }
}

@test "conformance: Providers" {
	check_tag "Providers"
}

@test "conformance: Users" {
	check_tag "Users"
}

@test "conformance: Tokens" {
	check_tag "Tokens"
}

@test "conformance: Consent Templates" {
	check_tag "Consent Templates"
}

@test "conformance: Webhooks" {
	check_tag "Webhooks"
}

@test "conformance: Tasks" {
	check_tag "Tasks"
}

@test "conformance: Accounts" {
	check_tag "Accounts"
}

@test "conformance: Invites" {
	check_tag "Invites"
}

@test "conformance: Invite Templates" {
	check_tag "Invite Templates"
}

@test "conformance: Archives" {
	check_tag "Archives"
}

@test "conformance: Uploads" {
	check_tag "Uploads"
}

@test "conformance: File Types" {
	check_tag "File Types"
}

@test "conformance: Identities" {
	check_tag "Identities"
}

@test "conformance: Ratings" {
	check_tag "Ratings"
}

@test "conformance: Documents" {
	check_tag "Documents"
}

@test "conformance: Employments" {
	check_tag "Employments"
}

@test "conformance: Incomes" {
	check_tag "Incomes"
}

@test "conformance: Contributions" {
	check_tag "Contributions"
}

@test "conformance: Liabilities" {
	check_tag "Liabilities"
}

@test "conformance: Transactions" {
	check_tag "Transactions"
}

@test "conformance: Forms (Alpha)" {
	check_tag "Forms (Alpha)"
}

@test "conformance: Estimated Incomes" {
	check_tag "Estimated Incomes"
}

@test "conformance: Insights" {
	check_tag "Insights"
}

@test "conformance: Verification" {
	check_tag "Verification"
}

@test "conformance: Signals (Alpha)" {
	check_tag "Signals (Alpha)"
}

@test "conformance: Signals (Beta)" {
	check_tag "Signals (Beta)"
}

@test "conformance: Footprints (Alpha)" {
	check_tag "Footprints (Alpha)"
}

@test "conformance: Links" {
	check_tag "Links"
}

@test "conformance: Maws (Alpha)" {
	check_tag "Maws (Alpha)"
}

@test "conformance: Maws (Beta)" {
	check_tag "Maws (Beta)"
}

@test "conformance: Validations (Alpha)" {
	check_tag "Validations (Alpha)"
}

@test "conformance: Blacklists (Alpha)" {
	check_tag "Blacklists (Alpha)"
}

@test "conformance: Social Security (Alpha)" {
	check_tag "Social Security (Alpha)"
}

@test "conformance: Social Securities (Beta)" {
	check_tag "Social Securities (Beta)"
}

@test "conformance: Employers" {
	check_tag "Employers"
}
