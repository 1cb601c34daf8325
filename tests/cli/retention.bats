#!/usr/bin/env bats
# smile retention against smile-emulator's clock: what it lists as about to
# expire is what the emulator then deletes, and its -q feeds smile export.
#
# One emulator for the file (uploads kept 7 days, as smile assumes). User A
# links an account and uploads a file on day 0, user B links on day 3; each
# test moves the clock forward to its hour (never back), so they run in order.

bats_require_minimum_version 1.5.0

load ../lib/emulator

setup_file() {
	emulator_start --upload-retention-days 7
	export SMILE_CONFIG=$BATS_FILE_TMPDIR/none.yaml
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	local smile=${SMILE_BUILD:?}/src/smile
	printf '%%PDF-1.4 retention test\n' >"$BATS_FILE_TMPDIR/upload.pdf"
	USER_A=$("$smile" users create --fields user.id -o csv --no-header) || return 1
	ACCOUNT_A=$(link_account "$USER_A" George 123456) || return 1
	UPLOAD_A=$("$smile" archives create --user-id "$USER_A" --file-type PAYSLIP \
		"$BATS_FILE_TMPDIR/upload.pdf" -q) || return 1
	clock_to_hour 72
	USER_B=$("$smile" users create --fields user.id -o csv --no-header) || return 1
	ACCOUNT_B=$(link_account "$USER_B" Ryan 654321) || return 1
	export USER_A ACCOUNT_A UPLOAD_A USER_B ACCOUNT_B
}

teardown_file() {
	emulator_stop
}

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	unset SMILE_PROFILE
}

smile() { "$SMILE" "$@"; }

# clock_to_hour N: the emulator clock N hours after the start of the file
# (its offset from real time), moved forward only. The tests look at
# half days (84 is day 3.5), so the seconds the tests take never move a
# whole number of days left.
clock_to_hour() {
	local offset
	offset=$(curl -sS --fail -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/clock" | jq -er .data.offsetSeconds)
	(($1 * 3600 > offset)) || return 0
	curl -sS --fail -u "$EMU_KEY:$EMU_SECRET" -H 'Content-Type: application/json' -X POST \
		"$EMU_BASE/_emulator/clock" --data-binary "{\"advanceSeconds\": $(($1 * 3600 - offset))}" >/dev/null
}

# What retention lists, one "kind id daysLeft" a line.
listed() {
	smile retention "$@" -o json | jq -r '.[] | "\(.kind) \(.id) \(.daysLeft)"'
}

@test "retention lists every account and upload with its expiry, soonest first" {
	clock_to_hour 84
	run -0 smile retention -o json
	# A's upload (7 days) first, then A's account (60), then B's (60 from day 3).
	[ "$(jq -r '[.[].id] | join(" ")' <<<"$output")" = "$UPLOAD_A $ACCOUNT_A $ACCOUNT_B" ]
	[ "$(jq -r '.[0] | "\(.kind) \(.userId)"' <<<"$output")" = "archive $USER_A" ]
	# Days left, rounded down, on the emulator's clock (3.5 days on), not ours.
	[ "$(jq -r '[.[].daysLeft] | join(" ")' <<<"$output")" = "3 56 59" ]
	since=$(jq -r '.[1].since' <<<"$output")
	[ "$(jq -r '.[1].expiresAt' <<<"$output")" = "$(date -u -d "$since + 60 days" +%Y-%m-%dT%H:%M:%SZ)" ]
	[ "$(jq -r '.[1].providerId' <<<"$output")" = upwork ]
	run -0 smile retention --user-id "$USER_B" -o json
	[ "$(jq -r '[.[].id] | join(" ")' <<<"$output")" = "$ACCOUNT_B" ]
}

@test "retention --within lists exactly the upload about to expire; the emulator then deletes it" {
	clock_to_hour 132
	run -0 listed --within 2
	[ "$output" = "archive $UPLOAD_A 1" ]
	run -0 smile retention --within 2 -q
	[ "$output" = "$USER_A" ]
	url=$(smile uploads get "$UPLOAD_A" -o json | jq -er '.rawFiles[0].url')
	curl -sS --fail -o /dev/null "$url"
	clock_to_hour 204
	run -4 smile uploads get "$UPLOAD_A"
	run -4 smile archives get "$UPLOAD_A"
	# Its raw file is gone too.
	[ "$(curl -sS -o /dev/null -w '%{http_code}' "$url")" = 404 ]
	run -0 listed
	[ "$output" = "$(printf 'account %s 51\naccount %s 54' "$ACCOUNT_A" "$ACCOUNT_B")" ]
}

@test "retention --within 7 -q | export --user-id - backs up the user about to lose an account" {
	clock_to_hour 1356
	run -0 listed --within 5
	[ "$output" = "account $ACCOUNT_A 3" ]
	dir=$BATS_TEST_TMPDIR/backup
	run -0 bash -c '"$1" retention --within 5 -q | "$1" export --dir "$2" --user-id -' _ "$SMILE" "$dir"
	[ -f "$dir/users/$USER_A/complete.json" ]
	[ ! -e "$dir/users/$USER_B" ]
	[ "$(jq -r '.id' "$dir/users/$USER_A/accounts.jsonl")" = "$ACCOUNT_A" ]
	[ "$(jq -r ".users | keys | join(\" \")" "$dir/manifest.json")" = "$USER_A" ]
	# After the limit the emulator has deleted the account; B's is next.
	[ "$(smile transactions list --user-id "$USER_A" --all -o json | jq length)" -gt 0 ]
	clock_to_hour 1452
	run -4 smile accounts get "$ACCOUNT_A"
	# And the data it brought: A has no other source.
	for group in transactions incomes identities employments; do
		[ "$(smile "$group" list --user-id "$USER_A" --all -o json | jq length)" -eq 0 ]
	done
	[ "$(smile transactions list --user-id "$USER_B" --all -o json | jq length)" -gt 0 ]
	run -0 listed --within 5
	[ "$output" = "account $ACCOUNT_B 2" ]
	run -0 smile retention --within 5 -q
	[ "$output" = "$USER_B" ]
}

@test "retention reads the policy from the profile's keys" {
	cfg=$BATS_TEST_TMPDIR/config.yaml
	SMILE_CONFIG=$cfg run -0 smile config set account_retention_days 90
	SMILE_CONFIG=$cfg run -0 smile retention --user-id "$USER_B" -o json
	since=$(jq -r '.[0].since' <<<"$output")
	[ "$(jq -r '.[0].expiresAt' <<<"$output")" = "$(date -u -d "$since + 90 days" +%Y-%m-%dT%H:%M:%SZ)" ]
	SMILE_CONFIG=$cfg run -2 smile config set upload_retention_days 0
	[[ $output == *"upload_retention_days must be a whole number of days, 1 to 36500"* ]]
	SMILE_CONFIG=$cfg run -0 smile config profiles -o json
	[ "$(jq -r '.[0].account_retention_days' <<<"$output")" = 90 ]
}

@test "retention: bad input is a usage error before anything is sent; --dry-run sends nothing" {
	run -2 smile retention --within soon
	[[ $output == "smile: "* ]]
	run -2 smile retention extra
	run -0 smile retention --dry-run --within 7
	[[ $output == *"/accounts?"* ]]
}
