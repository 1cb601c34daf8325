#!/usr/bin/env bats
# smile completion SHELL, and completion of option values, methods and paths:
# the scripts and the candidates both come from the binary.

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml
	unset SMILE_PROFILE SMILE_API_KEY SMILE_API_SECRET SMILE_BASE_URL
	SCRIPTS=$BATS_TEST_DIRNAME/../../completions
}

# The candidates bash's completion offers for the words given, one a line,
# with the script that `smile completion bash` prints.
bash_complete() {
	bash -c '
		PATH=$1:$PATH; shift
		source <(smile completion bash)
		COMP_WORDS=(smile "$@"); COMP_CWORD=$#; _smile
		printf "%s\n" "${COMPREPLY[@]}"' _ "$SMILE_BUILD/src" "$@"
}

@test "smile completion bash, zsh and fish print the scripts meson installs" {
	for shell in bash zsh fish; do
		case $shell in bash) f=smile.bash ;; zsh) f=_smile ;; fish) f=smile.fish ;; esac
		run "$SMILE" completion "$shell"
		[ "$status" -eq 0 ]
		diff <("$SMILE" completion "$shell") "$SCRIPTS/$f"
	done
	run "$SMILE" completion ksh
	[ "$status" -eq 2 ]
	[ "$output" = "smile: no completion for 'ksh' (bash, zsh or fish)" ]
	run "$SMILE" completion
	[ "$status" -eq 2 ]
}

@test "the printed bash script, sourced in bash, completes smile us<Tab> to users" {
	run bash_complete us
	[ "$status" -eq 0 ]
	[ "$output" = "users" ]
	run bash_complete completion ''
	[ "$output" = "$(printf 'bash\nzsh\nfish')" ]
}

@test "the printed zsh and fish scripts complete through the binary" {
	if command -v zsh >/dev/null; then
		run zsh -c "
			path=('${SMILE_BUILD}/src' \$path)
			compadd() { print -l -- \"\$@\"; return 0; }
			source <(smile completion zsh)
			words=(smile invite-te); CURRENT=2; _smile"
		[[ $output == *invite-templates* ]]
	fi
	if command -v fish >/dev/null; then
		run env PATH="$SMILE_BUILD/src:$PATH" fish -c "smile completion fish | source; complete -C 'smile invite-te'"
		[[ $output == invite-templates* ]]
	fi
	command -v zsh >/dev/null || command -v fish >/dev/null || skip "neither zsh nor fish is installed"
}

@test "config set KEY <Tab> completes the values of keys with a fixed set" {
	run bash_complete config set mode ''
	[ "$output" = "$(printf 'sandbox\nproduction')" ]
	run bash_complete config set output t
	[ "$output" = "table" ]
	run bash_complete --profile p config set pipe_output nd
	[ "$output" = "ndjson" ]
	# A key with no fixed set offers nothing, not files.
	run "$SMILE" __complete config set rate ''
	[ -z "$output" ]
}

@test "api <Tab> completes methods, then api METHOD <Tab> the paths smile knows" {
	run bash_complete api ''
	[ "$output" = "$(printf 'GET\nPOST\nPUT\nPATCH\nDELETE')" ]
	run bash_complete api P
	[ "$output" = "$(printf 'POST\nPUT\nPATCH')" ]
	run bash_complete api GET /users
	[ "$output" = "$(printf '/users\n/users/{id}\n/users/{id}/payload')" ]
	# Each path once, and exactly those of the operations of that method.
	want=$("$SMILE" api --list | awk '$1 == "DELETE" { print $2 }' | sort -u)
	[ -n "$want" ]
	[ "$("$SMILE" __complete api delete '' | sort)" = "$want" ]
}

@test "webhooks create offers --secret-file, and its usage line shows it" {
	run bash_complete webhooks create --sec
	[ "$output" = "--secret-file" ]
	run "$SMILE" webhooks create --help
	[[ $output == *"--active true|false [--secret-file FILE] [options]"* ]]
}
