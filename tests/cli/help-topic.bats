#!/usr/bin/env bats
# smile help TOPIC: the man page of smile or a group, before meson install.

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml
	unset SMILE_PROFILE SMILE_API_KEY SMILE_API_SECRET SMILE_BASE_URL
}

# Runs smile with a terminal as its standard output (script(1)).
on_terminal() {
	script -qec "$(printf '%q ' "$@")" /dev/null
}

@test "smile help GROUP, not on a terminal, prints the group's man page as text" {
	for topic in users export smile-users api; do
		run "$SMILE" help "$topic"
		[ "$status" -eq 0 ]
		[[ $output == *NAME*SYNOPSIS*DESCRIPTION* ]]
		# No roff is left: no request lines, no font or character escapes.
		! grep -E '^\.|\\f|\\-|\\&' <<<"$output"
	done
	run "$SMILE" help users
	[[ $output == *$'NAME\n       smile-users - users and their sessions'* ]]
	[[ $output == *"       smile users get [options] ID"* ]]
	# Every option of the page is there.
	for opt in $("$SMILE" __man users | sed -n 's/^\\fB\\-\\-\([a-z-]*\)\\fR.*/\1/p' | sort -u); do
		[[ $output == *"--$opt"* ]] || { echo "--$opt missing"; false; }
	done
}

@test "smile help smile prints smile(1), with its OUTPUT and FILES sections" {
	run "$SMILE" help smile
	[ "$status" -eq 0 ]
	for section in NAME SYNOPSIS DESCRIPTION COMMANDS 'GLOBAL OPTIONS' CONFIGURATION OUTPUT \
		ENVIRONMENT FILES 'EXIT STATUS' 'SEE ALSO'; do
		grep -qx "$section" <<<"$output" || { echo "$section missing"; false; }
	done
	[[ $output == *"~/.config/smile/config.yaml"* ]]
}

@test "an unknown help topic is a one-line error, exit 2" {
	run "$SMILE" help userz
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ]
	[ "$output" = "smile: no help topic 'userz'; topics are smile and the groups of 'smile --help'" ]
	# A verb's help is still the short one.
	run "$SMILE" help users list
	[ "$status" -eq 0 ]
	[[ $output == "usage: smile users list"* ]]
}

@test "on a terminal, smile help runs man -l on the generated page and removes it" {
	command -v script >/dev/null || skip "script (util-linux) is not installed"
	bin=$BATS_TEST_TMPDIR/bin && mkdir -p "$bin"
	# A man that records what it was given: the page must be the one smile __man writes.
	cat >"$bin/man" <<-EOS
	#!/bin/sh
	printf '%s\n' "\$@" >"$BATS_TEST_TMPDIR/args"
	cp "\$2" "$BATS_TEST_TMPDIR/page"
	EOS
	chmod +x "$bin/man"
	mkdir -p "$BATS_TEST_TMPDIR/tmp"
	TMPDIR=$BATS_TEST_TMPDIR/tmp PATH=$bin:$PATH on_terminal "$SMILE" help webhooks
	[ "$(sed -n 1p "$BATS_TEST_TMPDIR/args")" = "-l" ]
	[[ $(sed -n 2p "$BATS_TEST_TMPDIR/args") == "$BATS_TEST_TMPDIR/tmp/smile-help-"*.1 ]]
	diff "$BATS_TEST_TMPDIR/page" <("$SMILE" __man smile-webhooks)
	[ -z "$(ls "$BATS_TEST_TMPDIR/tmp")" ]
}

@test "on a terminal, the real man shows the page; without man, the text" {
	command -v script >/dev/null || skip "script (util-linux) is not installed"
	if command -v man >/dev/null; then
		run env MANPAGER=cat PAGER=cat MANWIDTH=80 bash -c "$(declare -f on_terminal); on_terminal '$SMILE' help users"
		[ "$status" -eq 0 ]
		[[ $output == *"smile-users(1)"*"smile manual"* ]]
	fi
	# No man on PATH: the text is printed instead.
	bin=$BATS_TEST_TMPDIR/noman && mkdir -p "$bin"
	ln -s "$(command -v script)" "$bin/script"
	ln -s "$(command -v bash)" "$bin/sh"
	run env PATH="$bin" "$bin/script" -qec "'$SMILE' help users" /dev/null
	[[ $output == *"smile-users - users and their sessions"* ]]
	[[ $output != *"smile manual"* ]]
}
