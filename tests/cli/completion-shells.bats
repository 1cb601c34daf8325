#!/usr/bin/env bats
# zsh and fish, driven for real with the scripts smile prints: candidates
# with the descriptions of the command tables, values of options and
# arguments, and file types asked of the API (smile-emulator).

load ../lib/emulator

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml
	unset SMILE_PROFILE SMILE_API_KEY SMILE_API_SECRET SMILE_BASE_URL
	export PATH=$SMILE_BUILD/src:$PATH
	command -v zsh >/dev/null || skip "zsh is not installed (tests/install-deps)"
	command -v fish >/dev/null || skip "fish is not installed (tests/install-deps)"
	mkdir -p "$BATS_TEST_TMPDIR/fpath"
	"$SMILE" completion zsh >"$BATS_TEST_TMPDIR/fpath/_smile"
}

teardown() {
	emulator_stop
}

# zsh_tab LINE PATTERN: types LINE and Tab Tab in an interactive zsh (zpty)
# with compinit and the printed script, and prints the screen once it
# matches the glob PATTERN; fails after 20 s when it never does.
zsh_tab() {
	timeout 20 zsh -f -c '
		zmodload zsh/zpty
		zpty z "zsh -f -i"
		zpty -w z "PROMPT=\$'"'"'\\x52EADY> '"'"' fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D"
		zpty -r z _ "*READY> *"
		zpty -w -n z "$2"$'"'"'\t\t'"'"'
		zpty -r z screen "$3" || exit 1
		print -r -- "${screen//$'"'"'\r'"'"'/}"' _ "$BATS_TEST_TMPDIR/fpath" "$1" "$2" |
		sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g'
	return "${PIPESTATUS[0]}"
}

# fish_tab LINE: what fish completes for LINE, "candidate<TAB>description".
fish_tab() {
	fish -c 'smile completion fish | source; complete -C $argv[1]' "$1"
}

@test "zsh shows groups, verbs and options with their summaries from the tables" {
	run zsh_tab 'smile invite-te' '*invite-templates*'
	[ "$status" -eq 0 ]
	run zsh_tab 'smile users ' '*reset-session*--*again*'
	[ "$status" -eq 0 ]
	[[ $output =~ list\ +--\ list\ users ]]
	[[ $output =~ get\ +--\ show\ one\ user ]]
	run zsh_tab 'smile users list --s' '*--slurp*--*page by page*'
	[ "$status" -eq 0 ]
	want=$("$SMILE" __complete-described users list --s | awk -F'\t' '$1 == "--size" { print $2 }')
	[ -n "$want" ]
	[[ $output =~ --size\ +--\ "$want" ]]
}

@test "fish shows groups, verbs and options with their summaries from the tables" {
	run fish_tab 'smile file-'
	[ "$output" = "$(printf 'file-types\tkinds of documents archives accept')" ]
	run fish_tab 'smile users '
	[[ $output == *$'list\tlist users'* ]]
	[[ $output == *$'get\tshow one user'* ]]
	run fish_tab 'smile --outp'
	[ "$output" = "$(printf -- '--output\toutput format')" ]
}

@test "zsh and fish complete config set values and api methods, then paths with what they do" {
	run zsh_tab 'smile config set mode ' '*production*sandbox*'
	[ "$status" -eq 0 ]
	run zsh_tab 'smile api P' '*PATCH*POST*PUT*'
	[ "$status" -eq 0 ]
	run zsh_tab 'smile api GET /users' '*/users/{id}/payload*--*session*'
	[ "$status" -eq 0 ]
	[[ $output =~ /users/\{id\}\ +--\ show\ one\ user ]]
	run fish_tab 'smile config set output t'
	[ "$output" = "table" ]
	run fish_tab 'smile api P'
	[ "$output" = "$(printf 'PATCH\nPOST\nPUT')" ]
	run fish_tab 'smile api DELETE /webhooks/'
	[ "$output" = "$(printf '/webhooks/{id}\tdelete a webhook')" ]
	run fish_tab 'smile --output=nd'
	[ "$output" = "--output=ndjson" ]
}

@test "profile names come with their mode and which is the default" {
	printf 'default: b\nprofiles:\n  a:\n    api_key: K\n  b:\n    mode: production\n' >"$SMILE_CONFIG"
	chmod 600 "$SMILE_CONFIG"
	run fish_tab 'smile --profile '
	[ "$output" = "$(printf 'a\tsandbox profile\nb\tproduction profile, the default')" ]
	# --config typed on the line is the file whose profiles are offered.
	printf 'profiles:\n  other: {}\n' >"$BATS_TEST_TMPDIR/other.yaml"
	chmod 600 "$BATS_TEST_TMPDIR/other.yaml"
	run fish_tab "smile --config $BATS_TEST_TMPDIR/other.yaml config use "
	[ "$output" = "$(printf 'other\tsandbox profile')" ]
}

@test "--file-type <Tab> offers the tenant's file types from the API, with their labels" {
	emulator_start
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	want=$("$SMILE" -o json file-types list --all | jq -r '.[] | "\(.type)\t\(.typeLabel)"' | sort)
	[ -n "$want" ]
	run fish_tab 'smile archives create --file-type '
	[ "$output" = "$want" ]
	run fish_tab 'smile archives list --file-type=PAY'
	[ "$output" = "$(printf -- '--file-type=PAYSLIP\t%s' "$(jq -r '.[] | select(.type == "PAYSLIP") | .typeLabel' <<<"$("$SMILE" -o json file-types list --all)")")" ]
	run zsh_tab 'smile file-types list --type TAX' '*TAX_DOCUMENT*'
	[ "$status" -eq 0 ]
	# bash gets the bare ids.
	run bash -c 'source <(smile completion bash); COMP_WORDS=(smile archives create --file-type ""); COMP_CWORD=4; _smile; printf "%s\n" "${COMPREPLY[@]}"'
	[ "$(sort <<<"$output")" = "$(cut -f1 <<<"$want")" ]

}
