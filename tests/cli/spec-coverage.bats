#!/usr/bin/env bats
# Every operation of the official API contract is a named smile command, and
# no command claims an operation the contract does not have. The contract is
# read from ../shared/smile-api beside the repository, never copied into it.

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	SPEC_DIR=$BATS_TEST_DIRNAME/../../../shared/smile-api
	SPEC=$SPEC_DIR/openapi-v1.yaml
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml
	unset SMILE_PROFILE SMILE_API_KEY SMILE_API_SECRET SMILE_BASE_URL
}

need_spec() {
	[ -f "$SPEC" ] || skip "no API contract at $SPEC_DIR"
	/usr/bin/python3 -c 'import yaml' 2>/dev/null || skip "python3 with PyYAML is not installed"
}

# "METHOD PATH" of every command, sorted and without repeats (archives get
# and download both use GET /archives/{id}).
smile_operations() {
	"$SMILE" api --list | awk '{ print $1, $2 }' | sort -u
}

@test "every operation of the spec has a smile command" {
	need_spec
	/usr/bin/python3 "$BATS_TEST_DIRNAME/../lib/spec_operations.py" "$SPEC" >"$BATS_TEST_TMPDIR/spec"
	smile_operations >"$BATS_TEST_TMPDIR/smile"
	missing=$(comm -23 "$BATS_TEST_TMPDIR/spec" "$BATS_TEST_TMPDIR/smile")
	if [ -n "$missing" ]; then
		echo "operations without a command:"
		echo "$missing"
		false
	fi
}

@test "no smile command claims an operation the spec lacks" {
	need_spec
	/usr/bin/python3 "$BATS_TEST_DIRNAME/../lib/spec_operations.py" "$SPEC" >"$BATS_TEST_TMPDIR/spec"
	smile_operations >"$BATS_TEST_TMPDIR/smile"
	extra=$(comm -13 "$BATS_TEST_TMPDIR/spec" "$BATS_TEST_TMPDIR/smile")
	if [ -n "$extra" ]; then
		echo "commands with operations the spec does not have:"
		echo "$extra"
		false
	fi
}

@test "api --list names a group and a verb for every operation" {
	run "$SMILE" api --list
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	while read -r method path group verb rest; do
		[[ $method =~ ^(GET|POST|PUT|DELETE)$ ]] || { echo "bad method: $method"; false; }
		[[ $path == /* ]] || { echo "bad path: $path"; false; }
		[ -n "$group" ] && [ -n "$verb" ] || { echo "no group/verb for $method $path"; false; }
	done <<<"$output"
}

@test "each early-access operation is a verb marked early access" {
	run "$SMILE" api --list
	[ "$status" -eq 0 ]
	grep -E '^[A-Z]+ /(alpha|beta)/' <<<"$output" >"$BATS_TEST_TMPDIR/early"
	[ -s "$BATS_TEST_TMPDIR/early" ]
	while read -r method path group verb; do
		run "$SMILE" "$group" "$verb" --help
		[ "$status" -eq 0 ]
		[[ ${output,,} == *"early access"* ]] || { echo "$group $verb: help does not say early access"; false; }
	done <"$BATS_TEST_TMPDIR/early"
}
