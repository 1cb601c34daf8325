#!/usr/bin/env bats
# Bad option values are refused with exit 2 and a message naming the flag
# and what it accepts, before any request is made. The base URL points at a
# closed port, so a request that did go out would fail with exit 7 instead.

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml
	export SMILE_BASE_URL=http://127.0.0.1:1/v1 SMILE_API_KEY=key SMILE_API_SECRET=secret
	unset SMILE_PROFILE
}

# usage_error SUBSTRING...: the last `run` exited 2 and said each SUBSTRING.
usage_error() {
	if [ "$status" -ne 2 ]; then
		echo "expected exit 2, got $status: $output"
		return 1
	fi
	for s in "$@"; do
		[[ $output == *"$s"* ]] || { echo "expected '$s' in: $output"; return 1; }
	done
}

@test "the closed port really fails with exit 7 (the control case)" {
	run "$SMILE" users get smile1234-a5b39dfe76174defb353d7e97a88a85e
	[ "$status" -eq 7 ]
}

@test "a bad date names the flag and the format" {
	run "$SMILE" users list --start-date 2024-13-01
	usage_error "--start-date" "YYYY-MM-DD"
	run "$SMILE" accounts list --end-date yesterday
	usage_error "--end-date" "YYYY-MM-DD"
}

@test "a bad month names the flag and the format" {
	run "$SMILE" eincomes list --start-month 2024-1
	usage_error "--start-month" "YYYY-MM"
	run "$SMILE" eincomes list --end-month 2024-13
	usage_error "--end-month" "YYYY-MM"
}

@test "a bad date-time names the flag" {
	run "$SMILE" signals create --phone +639171234567 --template-id tpl-1 \
		--consented-with checkbox --consented-at 2024-05-01
	usage_error "--consented-at"
}

@test "--size must be within 1 to 150" {
	run "$SMILE" users list --size 0
	usage_error "--size" "1 to 150"
	run "$SMILE" users list --size 151
	usage_error "--size" "1 to 150"
	run "$SMILE" identities list --size many
	usage_error "--size"
}

@test "an unknown enum value lists the values accepted" {
	run "$SMILE" accounts export a-1 --export-extension-type XLS
	usage_error "--export-extension-type" "PDF" "CSV"
	run "$SMILE" signals list --signal-type Signal9
	usage_error "--signal-type" "Signal1"
	run "$SMILE" maws create-alpha --mobile-number +639171234567 --country-code XX \
		--template-id tpl-1 --consented-at 2024-05-01T09:30:00Z --consented-with checkbox
	usage_error "--country-code"
}

@test "timeouts and the rate must be within the config file's bounds" {
	run "$SMILE" --timeout -5 users list
	usage_error "--timeout" "from 0 to"
	run "$SMILE" users list --connect-timeout 1e300
	usage_error "--connect-timeout"
	run "$SMILE" --retry-max-time -0.5 users list
	usage_error "--retry-max-time"
	run "$SMILE" --rate -1 users list
	usage_error "--rate" "from 0 to 1000000"
	run "$SMILE" --rate 0 --timeout 0.5 --retries 0 users list
	[ "$status" -eq 7 ]
}

@test "a bad boolean names the flag" {
	run "$SMILE" providers list --enabled maybe
	usage_error "--enabled"
}

@test "a too long string names the flag and the limit" {
	run "$SMILE" tokens refresh --user-id "$(printf 'x%.0s' {1..201})"
	usage_error "--user-id" "200"
	run "$SMILE" employers search --business-name "$(printf 'x%.0s' {1..256})"
	usage_error "--business-name" "255"
}

@test "a bad e-mail address names the flag" {
	run "$SMILE" invites send --full-name "Juan Dela Cruz" --email juan@ --template-id ivt-1
	usage_error "--email"
}

@test "a URL must be http or https" {
	run "$SMILE" webhooks create --name crm --url ftp://example.com --event-types ALL_EVENTS \
		--active true --secret s3cret
	usage_error "--url" "http"
}

@test "a missing required flag is named" {
	run "$SMILE" invites send --full-name "Juan Dela Cruz" --template-id ivt-1
	usage_error "--email"
	run "$SMILE" tokens refresh
	usage_error "--user-id"
	run "$SMILE" archives upload-payslip payslip.pdf
	usage_error "--user-id"
}

@test "every missing required option is reported at once" {
	run "$SMILE" webhooks create --name hook
	[ "$status" -eq 2 ]
	[ "$output" = "smile: missing required options --url URL, --event-types TYPE,..., --active true|false" ]
}

@test "a required body field may come from --input instead" {
	echo '{"email": "juan@example.com"}' >"$BATS_TEST_TMPDIR/invite.json"
	run "$SMILE" invites send --input "$BATS_TEST_TMPDIR/invite.json" \
		--full-name "Juan Dela Cruz" --template-id ivt-1
	[ "$status" -eq 7 ]
}

@test "--metadata takes at most 5 keys" {
	run "$SMILE" users create --metadata a=1 --metadata b=2 --metadata c=3 \
		--metadata d=4 --metadata e=5 --metadata f=6
	usage_error "--metadata" "5"
}

@test "an unknown flag suggests the nearest one" {
	run "$SMILE" accounts list --user-idd x
	usage_error "--user-idd" "did you mean '--user-id'"
}

@test "a wrong number of positional arguments is refused" {
	run "$SMILE" users get
	usage_error "users get" "ID"
	run "$SMILE" users get a b
	usage_error "users get" "ID"
	run "$SMILE" invites logs
	usage_error "invites logs"
	run "$SMILE" users list extra
	usage_error
}

@test "an id that is empty, '.' or '..' is refused: it would name another resource" {
	run "$SMILE" users get ""
	usage_error "invalid ID ''"
	run "$SMILE" webhooks delete .. --yes
	usage_error "invalid ID '..'"
	run "$SMILE" invite-templates get .
	usage_error "invalid ID '.'"
	run "$SMILE" users get ...
	[ "$status" -eq 7 ]
}

@test "an empty filter is refused: an unset shell variable, not a wish" {
	run "$SMILE" accounts list --user-id ""
	usage_error "invalid value '' for --user-id: expected a non-empty value"
	run "$SMILE" transactions list --source-id ""
	usage_error "--source-id"
	run "$SMILE" users list --cursor ""
	usage_error "--cursor"
	# A filter with a value does go out (and meets the closed port).
	run "$SMILE" accounts list --user-id x
	[ "$status" -eq 7 ]
}

@test "archives create refuses files of a type the API does not take" {
	echo hello >"$BATS_TEST_TMPDIR/notes.txt"
	run "$SMILE" archives create --user-id u-1 "$BATS_TEST_TMPDIR/notes.txt"
	usage_error "notes.txt" ".pdf"
}

@test "archives create refuses files larger than the API's 15 MB" {
	truncate -s 16M "$BATS_TEST_TMPDIR/big.pdf"
	run "$SMILE" archives create --user-id u-1 "$BATS_TEST_TMPDIR/big.pdf"
	usage_error "big.pdf" "15 MB"
}

@test "archives create says which file it cannot read" {
	run "$SMILE" archives create --user-id u-1 "$BATS_TEST_TMPDIR/missing.pdf"
	[ "$status" -eq 1 ]
	[[ $output == *"cannot read"*"missing.pdf"* ]]
}

@test "archives create needs files or rawFiles in --input" {
	run "$SMILE" archives create --user-id u-1
	usage_error "FILE"
}

@test "--input with a second document or trailing text is refused, not cut short" {
	printf '{"email": "a@example.com"}{"email": "b@example.com"}' >"$BATS_TEST_TMPDIR/two.json"
	run "$SMILE" users create --input "$BATS_TEST_TMPDIR/two.json"
	usage_error "two.json" "not valid JSON or YAML"
	printf -- '---\nemail: a@example.com\n---\nemail: b@example.com\n' >"$BATS_TEST_TMPDIR/two.yaml"
	run "$SMILE" users create --input "$BATS_TEST_TMPDIR/two.yaml"
	usage_error "two.yaml" "line 3: only one YAML document is allowed"
	printf -- '---\n{"metadata": {"a": "1"}}\n...\n# end\n' >"$BATS_TEST_TMPDIR/one.yaml"
	run "$SMILE" users create --dry-run --input "$BATS_TEST_TMPDIR/one.yaml"
	[ "$status" -eq 0 ]
	[[ $output == *'{"metadata":{"a":"1"}}'* ]]
}

@test "a failed write of --dry-run or help output is exit 1 with the reason, not success" {
	[ -w /dev/full ] || skip "no /dev/full"
	run bash -c '"$0" --dry-run users list >/dev/full' "$SMILE"
	[ "$status" -eq 1 ]
	[[ $output == "smile: cannot write output: No space left on device" ]]
	run bash -c '"$0" users list --help >/dev/full' "$SMILE"
	[ "$status" -eq 1 ]
	[[ $output == "smile: cannot write output: No space left on device" ]]
}

@test "smile api refuses --input for a method that sends no body, rather than drop it" {
	echo '{"a": 1}' >"$BATS_TEST_TMPDIR/body.json"
	run "$SMILE" api DELETE /users/u-1 --input "$BATS_TEST_TMPDIR/body.json"
	usage_error "--input is a request body: DELETE sends none"
	run "$SMILE" api get /users --input "$BATS_TEST_TMPDIR/body.json"
	usage_error "GET sends none"
}

@test "--dry-run does not print a password in the base URL" {
	run "$SMILE" --base-url http://user:hunter2@127.0.0.1:1/v1 --dry-run users list
	[ "$status" -eq 0 ]
	[[ $output == "curl 'http://127.0.0.1:1/v1/users'"* ]]
	[[ $output != *hunter2* ]]
}
