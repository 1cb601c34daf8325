#!/usr/bin/env bats
# Dispatch, help, completion and man pages: all generated from the command
# tables, so these tests check the tables and the generators together.

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml
	unset SMILE_PROFILE SMILE_API_KEY SMILE_API_SECRET SMILE_BASE_URL
}

@test "--version prints the version" {
	run "$SMILE" --version
	[ "$status" -eq 0 ]
	[[ $output =~ ^smile\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "--help lists every group of the registry" {
	run "$SMILE" --help
	[ "$status" -eq 0 ]
	[[ $output == *"usage: smile"* ]]
	for page in $("$SMILE" __man --list); do
		[[ $output == *"  ${page#smile-} "* ]] || { echo "missing ${page#smile-}"; false; }
	done
}

@test "an unknown command suggests the nearest one and exits 2" {
	run "$SMILE" userz list
	[ "$status" -eq 2 ]
	[ "$output" = "smile: 'userz' is not a smile command; did you mean 'users'?" ]
}

@test "an unknown command with no near name points to --help" {
	run "$SMILE" zzzzzzzzzz
	[ "$status" -eq 2 ]
	[ "$output" = "smile: 'zzzzzzzzzz' is not a smile command; see 'smile --help'" ]
}

@test "an unknown verb suggests the nearest one" {
	run "$SMILE" users lst
	[ "$status" -eq 2 ]
	[ "$output" = "smile: 'lst' is not a verb of 'smile users'; did you mean 'list'?" ]
}

@test "a group without a verb is a usage error" {
	run "$SMILE" users
	[ "$status" -eq 2 ]
	[[ $output == *"needs a verb"* ]]
}

@test "no command at all is a usage error" {
	run "$SMILE"
	[ "$status" -eq 2 ]
}

@test "an unknown option suggests the nearest one" {
	run "$SMILE" users list --sise 5
	[ "$status" -eq 2 ]
	[[ $output == *"unknown option '--sise'"*"did you mean '--size'?"* ]]
}

@test "an option without its value is a usage error" {
	run "$SMILE" users list --size
	[ "$status" -eq 2 ]
	[[ $output == *"option '--size' needs a value"* ]]
}

@test "a flag given a value is a usage error" {
	run "$SMILE" users list --all=yes
	[ "$status" -eq 2 ]
	[[ $output == *"takes no value"* ]]
}

@test "global options are accepted before the group and after the verb" {
	run "$SMILE" --dry-run --base-url http://127.0.0.1:1/v1 users list
	[ "$status" -eq 0 ]
	[[ $output == *"curl"*"http://127.0.0.1:1/v1/users"* ]]
	run "$SMILE" users list --dry-run --base-url http://127.0.0.1:1/v1
	[ "$status" -eq 0 ]
	[[ $output == *"http://127.0.0.1:1/v1/users"* ]]
}

@test "help for a group lists its verbs, help for a verb its options" {
	run "$SMILE" users --help
	[ "$status" -eq 0 ]
	[[ $output == *"usage: smile users <verb>"* && $output == *"create"* ]]
	run "$SMILE" help users list
	[ "$status" -eq 0 ]
	[[ $output == *"--size N"* && $output == *"--all"* ]]
}

@test "every help text fits 79 columns; only examples, meant to be copied, are longer" {
	{
		"$SMILE" --help
		"$SMILE" api --list | awk '{ print $3 }' | sort -u | while read -r g; do "$SMILE" "$g" --help; done
		"$SMILE" api --list | awk '{ print $3, $4 }' | sort -u | while read -r g v; do "$SMILE" "$g" "$v" --help; done
	} >"$BATS_TEST_TMPDIR/all-help.txt"
	# The check can fail: the help of every verb was there to look at.
	[ "$(grep -c '^usage: smile ' "$BATS_TEST_TMPDIR/all-help.txt")" -gt 100 ]
	run awk 'length($0) > 79 && !/^  smile /' "$BATS_TEST_TMPDIR/all-help.txt"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# Wrapping keeps every word: the long enum list is still complete.
	"$SMILE" webhooks create --help | tr -s ' \n' ' ' | grep -q "ARCHIVE_STARTED, ARCHIVE_ANALYZED, ARCHIVE_REVOKED, ...) (repeatable) \[required\]"
}

@test "a plugin smile-NAME on PATH runs for an unknown group" {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\necho "plugin got: $*"\n' >"$BATS_TEST_TMPDIR/bin/smile-hello"
	chmod +x "$BATS_TEST_TMPDIR/bin/smile-hello"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run "$SMILE" hello a --b
	[ "$status" -eq 0 ]
	[ "$output" = "plugin got: a --b" ]
}

@test "a plugin gets the global options given before it in SMILE_* variables" {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\nenv | grep "^SMILE_" | sort\n' >"$BATS_TEST_TMPDIR/bin/smile-envdump"
	chmod +x "$BATS_TEST_TMPDIR/bin/smile-envdump"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run env -u SMILE_PROFILE "$SMILE" --profile p1 --dry-run -o csv \
		--rate 3 --retry-max-time 2 envdump x
	[ "$status" -eq 0 ]
	[[ $output == *"SMILE_PROFILE=p1"* ]]
	[[ $output == *"SMILE_DRY_RUN=1"* ]]
	[[ $output == *"SMILE_OUTPUT=csv"* ]]
	[[ $output == *"SMILE_RATE=3"* ]]
	[[ $output == *"SMILE_RETRY_MAX_TIME=2"* ]]
}

@test "completion offers groups, verbs, options and enum values" {
	run "$SMILE" __complete us
	[ "$output" = "users" ]
	run "$SMILE" __complete users cr
	[ "$output" = "create" ]
	run "$SMILE" __complete users list --si
	[ "$output" = "--size" ]
	run "$SMILE" __complete users list -o ""
	[ "$output" = "$(printf 'json\nndjson\ntable\ncsv\nyaml')" ]
	run "$SMILE" __complete users list --output nd
	[ "$output" = "ndjson" ]
}

@test "completion asks for files after --input and --config" {
	run "$SMILE" __complete --config ""
	[ "$output" = ":files" ]
}

@test "completion asks for files only where a verb takes FILE arguments, not for a PROFILE" {
	run "$SMILE" __complete archives create --user-id u ""
	[ "$output" = ":files" ]
	run "$SMILE" __complete archives upload-payslip --user-id u ""
	[ "$output" = ":files" ]
	run "$SMILE" __complete config use ""
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "completion offers the keys of config get, set and unset" {
	run "$SMILE" __complete config set ""
	[[ ${lines[0]} == api_key && $output == *$'\nretry_max_time\nwink_sdk_url' ]]
	run "$SMILE" __complete config get ret
	[ "$output" = "$(printf 'retries\nretry_max_time')" ]
	run "$SMILE" __complete --profile p config unset base
	[ "$output" = base_url ]
	# The value after the key is no key.
	run "$SMILE" __complete config set api_key ""
	[ -z "$output" ]
}

@test "completion offers the values of a comma-separated list, item by item" {
	run "$SMILE" __complete webhooks create --event-types USER_CR
	[ "$output" = "USER_CREATED" ]
	run "$SMILE" __complete webhooks create --event-types USER_CREATED,ACCOUNT_CO
	[ "$output" = "USER_CREATED,ACCOUNT_CONNECTED" ]
}

@test "bash completion script completes through the binary" {
	run bash -c "
		PATH='${SMILE_BUILD}/src':\$PATH
		source '$BATS_TEST_DIRNAME/../../completions/smile.bash'
		COMP_WORDS=(smile invite-te); COMP_CWORD=1; _smile
		printf '%s\n' \"\${COMPREPLY[@]}\""
	[ "$status" -eq 0 ]
	[ "$output" = "invite-templates" ]
}

@test "completion of --opt=value words: the value after '=' in every shell" {
	run "$SMILE" __complete users list --output=nd
	[ "$output" = "--output=ndjson" ]
	run "$SMILE" __complete webhooks create --event-types=USER_CREATED,ACCOUNT_CO
	[ "$output" = "--event-types=USER_CREATED,ACCOUNT_CONNECTED" ]
	run "$SMILE" __complete --config=x
	[ "$output" = ":files" ]
	# Bash splits the word at '=' and replaces only the part after it.
	run bash -c "
		PATH='${SMILE_BUILD}/src':\$PATH
		source '$BATS_TEST_DIRNAME/../../completions/smile.bash'
		COMP_WORDS=(smile users list --output = nd); COMP_CWORD=5; _smile
		printf '%s\n' \"\${COMPREPLY[@]}\"
		COMP_WORDS=(smile --output = csv users li); COMP_CWORD=5; _smile
		printf '%s\n' \"\${COMPREPLY[@]}\""
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'ndjson\nlist')" ]
	if command -v fish >/dev/null; then
		cd "$BATS_TEST_TMPDIR" && touch people.csv
		run env PATH="$SMILE_BUILD/src:$PATH" fish -c "source '$BATS_TEST_DIRNAME/../../completions/smile.fish'
			complete -C 'smile users list --output=nd'; complete -C 'smile --config=peo'"
		[ "$output" = "$(printf -- '--output=ndjson\n--config=people.csv')" ]
	fi
}

@test "every man page generated from the tables is built" {
	for page in $("$SMILE" __man --list) smile; do
		[ -f "$SMILE_BUILD/man/$page.1" ] || { echo "$page.1 not built: add it to man/meson.build"; false; }
	done
	for f in "$SMILE_BUILD"/man/smile*.1; do
		p=$(basename "$f" .1)
		[[ $p == smile || $p == smile-emulator ]] && continue
		"$SMILE" __man --list | grep -qx "$p" || { echo "$p.1 has no group"; false; }
	done
}

@test "man pages render without warnings" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	for page in smile $("$SMILE" __man --list); do
		"$SMILE" __man "$page" >"$BATS_TEST_TMPDIR/$page.1"
		run mandoc -T lint -W warning "$BATS_TEST_TMPDIR/$page.1"
		[ -z "$output" ] || { echo "$page: $output"; false; }
	done
}

@test "every example line, in help and man pages alike, is a command to copy as it stands" {
	for page in $("$SMILE" __man --list); do
		# Lines of the no-fill example blocks; each must start with the command.
		"$SMILE" __man "$page" | awk -v page="$page" '
			/^\.nf$/ { ex = 1; next }
			/^\.fi$/ { ex = 0; next }
			ex && !/^smile / { print page ": " $0; bad = 1 }
			END { exit bad }'
	done
	run "$SMILE" invites send --help
	[[ $output == *$'Example:\n  smile invites send --full-name'* ]]
	[[ $output == *$'\n  smile invites send --file invites.csv --dry-run\n'* ]]
}

@test "smile(1) documents every exit status and environment variable" {
	run "$SMILE" __man smile
	for code in 0 1 2 3 4 5 6 7 8; do
		[[ $output == *".TP"$'\n'"\\fB$code\\fR"* ]] || { echo "exit $code missing"; false; }
	done
	[[ $output == *SMILE_API_SECRET* && $output == *SMILE_CONFIG* ]]
	# Every variable smile reads (but libcurl's) is listed.
	for var in $(grep -rhoE 'getenv\("[A-Za-z_]+"\)' "$BATS_TEST_DIRNAME"/../../src --include='*.c' \
		--exclude-dir=emulator | sed -E 's/getenv\("(.*)"\)/\1/' | sort -u); do
		[[ $output == *".TP"$'\n'"\\fB$var\\fR"* ]] || { echo "$var missing"; false; }
	done
	run "$SMILE" --help
	[[ $output == *'$XDG_CONFIG_HOME/smile/config.yaml'* ]]
}

@test "README.md's exit status table says what smile --help says" {
	readme=$BATS_TEST_DIRNAME/../../README.md
	# "| 3 | authentication ... |" rows, as "3  authentication ..." lines.
	table=$(sed -nE 's/^\| ([0-9]+) \| (.*) \|$/\1 \2/p' "$readme")
	[ "$(wc -l <<<"$table")" -eq 10 ]
	# The help's rows, unwrapped: a code starts a row, indented lines continue it.
	help=$("$SMILE" --help | sed -n '/^Exit status:/,/^$/p' | awk '
		/^  [0-9]+ / { if (row) print row; row = $1; sub(/^ *[0-9]+ +/, ""); row = row " " $0; next }
		/^       +/ { sub(/^ +/, ""); row = row " " $0 }
		END { if (row) print row }')
	[ "$table" = "$help" ] || { diff <(echo "$table") <(echo "$help"); false; }
}

@test "smile --version works and --help and smile(1) say so" {
	run "$SMILE" --version
	[ "$status" -eq 0 ]
	[[ $output =~ ^smile\ [0-9]+\.[0-9]+ ]]
	run "$SMILE" --help
	[[ ${lines[1]} == *"smile --version" ]]
	run "$SMILE" __man smile
	[[ $output == *'\fBsmile \-\-version\fR'* ]]
}

@test "a secret option is never taken from argv" {
	run "$SMILE" config set api_secret s3cr3t-value
	[ "$status" -eq 2 ]
	[[ $output != *s3cr3t-value* ]]
}

@test "fish completion script completes through the binary" {
	command -v fish >/dev/null || skip "fish is not installed"
	run fish -c "set PATH '${SMILE_BUILD}/src' \$PATH; source '$BATS_TEST_DIRNAME/../../completions/smile.fish'; complete -C 'smile invite-te' | cut -f1"
	[ "$status" -eq 0 ]
	[ "$output" = "invite-templates" ]
	run fish -c "set PATH '${SMILE_BUILD}/src' \$PATH; source '$BATS_TEST_DIRNAME/../../completions/smile.fish'; complete -C 'smile users list -o nd' | cut -f1"
	[ "$output" = "ndjson" ]
}

@test "zsh completion script is valid zsh" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	# What it offers, with descriptions, is driven in a real zsh in
	# completion-shells.bats.
	run zsh -n "$BATS_TEST_DIRNAME/../../completions/_smile"
	[ "$status" -eq 0 ]
}
