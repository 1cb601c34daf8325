#!/usr/bin/env bats
# Every named command runs against smile-emulator and is checked: create then
# get, list with filters, delete then get (exit 4). setup_file links George's
# sandbox account to a user and uploads an archive, so every data group has
# items; a missing route or missing data fails the test.
#
# Each command goes through smile(), which logs "GROUP VERB" to $RAN_LOG; the
# last test compares that log with `smile api --list` and fails naming every
# command no test ran.

load ../lib/emulator
load ../lib/fake_archive

setup_file() {
	emulator_start
	local smile=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_FILE_TMPDIR/none.yaml
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	export RAN_LOG=$BATS_FILE_TMPDIR/ran.log
	: >"$RAN_LOG"
	# A user with George's sandbox account linked, and one archive.
	USER_ID=$("$smile" users create --fields user.id -o csv --no-header) || return 1
	ACCOUNT_ID=$(link_account "$USER_ID" George 123456) || return 1
	write_pdf "$BATS_FILE_TMPDIR/setup.pdf"
	ARCHIVE_ID=$("$smile" archives create --user-id "$USER_ID" --file-type PAYSLIP \
		"$BATS_FILE_TMPDIR/setup.pdf" --fields id -o csv --no-header) || return 1
	[[ -n $USER_ID && -n $ACCOUNT_ID && -n $ARCHIVE_ID ]] || return 1
	export USER_ID ACCOUNT_ID ARCHIVE_ID
}

teardown_file() {
	emulator_stop
}

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	unset SMILE_PROFILE
}

# smile GROUP VERB ARGS...: runs smile and logs "GROUP VERB" for the last test.
smile() {
	printf '%s %s\n' "$1" "$2" >>"$RAN_LOG"
	"$SMILE" "$@"
}

# value ARGS...: runs smile and prints the one field asked for with --fields.
value() {
	smile "$@" -o csv --no-header
}

new_user() {
	value users create --metadata crm=42 --fields user.id
}

# A tiny but real PDF, so the emulator can take it as a document.
write_pdf() {
	printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$1"
}

CONSENT=(--consented-at 2024-05-01T09:30:00Z --consented-with checkbox)

# ---- general availability ------------------------------------------------

@test "providers list with filters, then get" {
	run smile providers list --enabled true --size 5 -q
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	id=${lines[0]}
	run smile providers get "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *"\"id\": \"$id\""* ]]
	run smile providers get no-such-provider
	[ "$status" -eq 4 ]
}

@test "file-types list with a filter" {
	run smile file-types list --active true -o json
	[ "$status" -eq 0 ]
	[[ $output == "["* ]]
}

@test "users create prints the id and token, then get, list, payload, reset-session" {
	run smile users create --metadata crm=42 -o table
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == *"USER.ID"*"TOKEN.ACCESSTOKEN"*"TOKEN.EXPIRESAT"* ]]
	user=$(new_user)
	[ -n "$user" ]
	run smile users get "$user" -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"crm": "42"'* ]]
	run smile users list --start-date 2000-01-01 --all -q
	[ "$status" -eq 0 ]
	[[ $output == *"$user"* ]]
	run smile users payload "$user" -o json
	[ "$status" -eq 0 ]
	[[ $output == *"\"userId\": \"$user\""* ]]
	# The linked user's payload lists George's account.
	run smile users payload "$USER_ID" -o json
	[ "$status" -eq 0 ]
	[[ $output == *"\"$ACCOUNT_ID\""* ]]
	run smile users reset-session "$user"
	[ "$status" -eq 0 ]
	run smile users reset-session no-such-user
	[ "$status" -eq 4 ]
	run smile users get no-such-user
	[ "$status" -eq 4 ]
}

@test "tokens refresh prints a fresh token for the user" {
	user=$(new_user)
	run smile tokens refresh --user-id "$user" -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"accessToken"'* ]]
	[[ $output == *'"expiresAt"'* ]]
	[[ $output == *"\"userId\": \"$user\""* ]]
	first=$(value tokens refresh --user-id "$user" --fields accessToken)
	second=$(value tokens refresh --user-id "$user" --fields accessToken)
	[ -n "$first" ]
	[ "$first" != "$second" ]
}

@test "consent-templates create, list, delete, then delete again gives 4" {
	id=$(value consent-templates create --consent-type DATA_SHARING --version 1.0 \
		--consent-text "I agree" --fields id)
	[ -n "$id" ]
	run smile consent-templates list --all -q
	[ "$status" -eq 0 ]
	[[ $output == *"$id"* ]]
	run smile consent-templates delete "$id" --yes
	[ "$status" -eq 0 ]
	run smile consent-templates delete "$id" --yes
	[ "$status" -eq 4 ]
}

@test "webhooks create, get, list, delete, then get gives 4" {
	id=$(value webhooks create --name crm --url https://example.com/hooks/smile \
		--event-types ACCOUNT_CONNECTED,ARCHIVE_ANALYZED --active true --fields id <<<"s3cret")
	[ -n "$id" ]
	# The signing secret is read from stdin, never from argv.
	run smile webhooks create --name crm --url https://example.com/hooks/smile \
		--event-types ACCOUNT_CONNECTED --active true --secret s3cret
	[ "$status" -eq 2 ]
	[[ $output != *s3cret* ]]
	run smile webhooks get "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"ARCHIVE_ANALYZED"'* ]]
	run smile webhooks list --all -q
	[[ $output == *"$id"* ]]
	run smile webhooks delete "$id" --yes
	[ "$status" -eq 0 ]
	run smile webhooks get "$id"
	[ "$status" -eq 4 ]
}

write_invite_template() {
	cat >"$BATS_TEST_TMPDIR/template.yaml" <<'YAML'
name: Payroll
company: {name: Example Corp, logoUrl: "https://example.com/logo.png"}
email:
  sendEmail: false
  senderName: Example Corp
  replyAddress: hr@example.com
  subject: Connect your payroll
  body: Please connect your payroll account.
landingPage: {header: Welcome, description: Connect your accounts, button: Start}
successPage: {header: Thank you, description: All done, button: Close}
YAML
}

@test "invite-templates create from --input, get, update, list, delete, then get gives 4" {
	write_invite_template
	id=$(value invite-templates create --input "$BATS_TEST_TMPDIR/template.yaml" \
		--name "Payroll 2024" --fields id)
	[ -n "$id" ]
	run smile invite-templates get "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"Payroll 2024"'* ]]
	run smile invite-templates update "$id" --input "$BATS_TEST_TMPDIR/template.yaml" \
		--subject "Please connect"
	[ "$status" -eq 0 ]
	run smile invite-templates get "$id" -o json
	[[ $output == *'"Please connect"'* ]]
	run smile invite-templates list --all -q
	[[ $output == *"$id"* ]]
	run smile invite-templates delete "$id" --yes
	[ "$status" -eq 0 ]
	run smile invite-templates get "$id"
	[ "$status" -eq 4 ]
}

@test "invites send, get, list, logs" {
	write_invite_template
	template=$(value invite-templates create --input "$BATS_TEST_TMPDIR/template.yaml" --fields id)
	id=$(value invites send --full-name "Juan Dela Cruz" --email juan@example.com \
		--template-id "$template" --fields id)
	[ -n "$id" ]
	run smile invites get "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"juan@example.com"'* ]]
	run smile invites list --all -q
	[[ $output == *"$id"* ]]
	run smile invites logs "$id" -o json
	[ "$status" -eq 0 ]
	run smile invites get iv-missing
	[ "$status" -eq 4 ]
}

@test "tasks list with filters, then get" {
	# Linking George's account ran one LINK_ACCOUNT task (and the archive one more).
	run smile tasks list --source-id "$ACCOUNT_ID" -q
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	id=${lines[0]}
	run smile tasks list --user-id "$USER_ID" --start-date 2000-01-01 -q
	[ "$status" -eq 0 ]
	[[ $output == *"$id"* ]]
	run smile tasks list --user-id "$USER_ID" --end-date 2000-01-01 -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run smile tasks get "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"LINK_ACCOUNT"'* ]]
	run smile tasks get tk-missing
	[ "$status" -eq 4 ]
}

@test "accounts list, get, payload, export, disable-monitor, revoke, then get shows DISCONNECTED" {
	# An account of its own, so revoking it leaves George's data to the others.
	user=$(new_user)
	id=$(link_account "$user" Anisha 123456)
	[ -n "$id" ]
	run smile accounts list --user-id "$user" --start-date 2000-01-01 --size 1 -q
	[ "$status" -eq 0 ]
	[ "$output" = "$id" ]
	run smile accounts list --end-date 2000-01-01 -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run smile accounts get "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *"\"userId\": \"$user\""* ]]
	[[ $output == *'"monitorStatus": "ACTIVE"'* ]]
	run smile accounts payload "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"Anisha Bhatia"'* ]]
	run smile accounts export "$id" --export-extension-type CSV -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"downloadUrl"'* ]]
	run smile accounts disable-monitor "$id"
	[ "$status" -eq 0 ]
	run smile accounts get "$id" -o json
	[[ $output == *'"monitorStatus": "CUSTOMER_DISABLED"'* ]]
	run smile accounts revoke "$id" --yes
	[ "$status" -eq 0 ]
	# The emulator keeps a revoked account, disconnected, as the API does.
	run smile accounts get "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"connectionStatus": "DISCONNECTED"'* ]]
	run smile accounts revoke a-missing --yes
	[ "$status" -eq 4 ]
	run smile accounts get a-missing
	[ "$status" -eq 4 ]
	run smile accounts payload a-missing
	[ "$status" -eq 4 ]
}

@test "archives create, get, list, download, revoke, then get gives 4" {
	user=$(new_user)
	write_pdf "$BATS_TEST_TMPDIR/march.pdf"
	id=$(value archives create --user-id "$user" --file-type PAYSLIP "$BATS_TEST_TMPDIR/march.pdf" --fields id)
	[ -n "$id" ]
	run smile archives get "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"rawFiles"'* ]]
	run smile archives list --user-id "$user" -q
	[[ $output == *"$id"* ]]

	mkdir "$BATS_TEST_TMPDIR/out"
	run smile archives download "$id" --output-dir "$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[ -s "${lines[0]}" ]
	# An existing file is kept unless --clobber.
	run smile archives download "$id" --output-dir "$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 1 ]
	[[ $output == *"already exists"*"--clobber"* ]]
	run smile archives download "$id" --output-dir "$BATS_TEST_TMPDIR/out" --clobber -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"bytes"'* ]]
	# Nothing but the files themselves is left behind.
	[ "$(ls -A "$BATS_TEST_TMPDIR/out" | wc -l)" -eq 1 ]

	run smile archives revoke "$id" --yes
	[ "$status" -eq 0 ]
	run smile archives get "$id" -o json
	[[ $status -eq 4 || $output == *'"REVOKED"'* ]]
}

@test "archives download prints in the profile's output format" {
	SMILE_CONFIG=$BATS_TEST_TMPDIR/yaml.yaml "$SMILE" config set pipe_output yaml # not a terminal
	mkdir "$BATS_TEST_TMPDIR/out"
	SMILE_CONFIG=$BATS_TEST_TMPDIR/yaml.yaml run smile archives download "$ARCHIVE_ID" \
		--output-dir "$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 0 ]
	[[ $output == *"bytes: "* ]]
	[[ $output != *'"bytes"'* ]]
}

teardown() {
	fake_archive_stop
}

@test "archives download refuses unsafe server-supplied names and writes nothing" {
	fake_archive_api
	mkdir "$BATS_TEST_TMPDIR/out"
	for archive in escape hidden subdir backslash absolute control dotdot-url mixed; do
		run smile archives download "$archive" --base-url "$FAKE_URL" --output-dir "$BATS_TEST_TMPDIR/out"
		[ "$status" -eq 1 ] || { echo "$archive: exit $status: $output"; return 1; }
		[[ $output == *"refusing to write file"*"unsafe name from the server"* ]] ||
			{ echo "$archive: $output"; return 1; }
		[ -z "$(ls -A "$BATS_TEST_TMPDIR/out")" ] || { echo "$archive wrote: $(ls -A "$BATS_TEST_TMPDIR/out")"; return 1; }
	done
	# The names were named in the errors, control characters made harmless.
	run smile archives download escape --base-url "$FAKE_URL" --output-dir "$BATS_TEST_TMPDIR/out"
	[[ $output == *"'../escape.pdf'"* ]]
	run smile archives download control --base-url "$FAKE_URL" --output-dir "$BATS_TEST_TMPDIR/out"
	[[ $output == *"'bad?name.pdf'"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/escape.pdf" ]
	[ ! -e "$BATS_TEST_TMPDIR/out/a" ]
	# Every archive was asked for, but no file was ever fetched.
	grep -q '^GET /v1/archives/mixed auth ' "$FAKE_LOG"
	run grep '^GET /files/' "$FAKE_LOG"
	[ "$status" -eq 1 ]
}

@test "archives download sends no credentials to another host and never overwrites without --clobber" {
	fake_archive_api
	out=$BATS_TEST_TMPDIR/out
	run smile archives download foreign --base-url "$FAKE_URL" --output-dir "$out"
	[ "$status" -eq 0 ]
	[ "$output" = "$out/payslip.pdf" ]
	[ "$(cat "$out/payslip.pdf")" = "file-content:payslip.pdf" ]
	# The API call carried the key; the file on localhost (another host) did not.
	grep -q '^GET /v1/archives/foreign auth 127.0.0.1:' "$FAKE_LOG"
	grep -q '^GET /files/payslip.pdf noauth localhost:' "$FAKE_LOG"
	run grep '^GET /files/payslip.pdf auth' "$FAKE_LOG"
	[ "$status" -eq 1 ]
	# A file on the API host itself does get them (so the check above can fail).
	run smile archives download own --base-url "$FAKE_URL" --output-dir "$out"
	[ "$status" -eq 0 ]
	grep -q '^GET /files/own.pdf auth 127.0.0.1:' "$FAKE_LOG"

	# An existing file is kept, and not even fetched, without --clobber.
	echo mine >"$out/payslip.pdf"
	fetched=$(grep -c '^GET /files/payslip.pdf' "$FAKE_LOG")
	run smile archives download foreign --base-url "$FAKE_URL" --output-dir "$out"
	[ "$status" -eq 1 ]
	[[ $output == *"already exists (use --skip-existing to keep it, --clobber to overwrite)"* ]]
	[ "$(cat "$out/payslip.pdf")" = mine ]
	[ "$(grep -c '^GET /files/payslip.pdf' "$FAKE_LOG")" -eq "$fetched" ]
	run smile archives download foreign --base-url "$FAKE_URL" --output-dir "$out" --clobber
	[ "$status" -eq 0 ]
	[ "$(cat "$out/payslip.pdf")" = "file-content:payslip.pdf" ]
	# Nothing but the files themselves is left behind.
	[ "$(ls -A "$out" | sort | tr '\n' ' ')" = "own.pdf payslip.pdf " ]
}

@test "archives download writes every file it can and exits 8 when one is lost" {
	fake_archive_api
	out=$BATS_TEST_TMPDIR/out
	status=0
	output=$(smile archives download partial --base-url "$FAKE_URL" --output-dir "$out" 2>"$BATS_TEST_TMPDIR/err") || status=$?
	[ "$status" -eq 8 ]
	[ "$output" = "$out/first.pdf
$out/last.pdf" ]
	grep -q "cannot download 'lost.pdf'" "$BATS_TEST_TMPDIR/err"
	grep -q "downloaded 2 of 3 files" "$BATS_TEST_TMPDIR/err"
	[ "$(cat "$out/last.pdf")" = "file-content:last.pdf" ]
	# No temporary file and no half file is left for the lost one.
	[ "$(ls -A "$out" | sort | tr '\n' ' ')" = "first.pdf last.pdf " ]
	# Nothing written at all is the error itself, not a partial result.
	run smile archives download all-gone --base-url "$FAKE_URL" --output-dir "$out"
	[ "$status" -eq 4 ]
	[ ! -e "$out/lost.pdf" ]
}

@test "archives classify, upload-payslip, payslip-prediction, list-predictions, send-manual-result" {
	user=$(new_user)
	write_pdf "$BATS_TEST_TMPDIR/scan.pdf"
	run smile archives classify --user-id "$user" "$BATS_TEST_TMPDIR/scan.pdf" -o json
	[ "$status" -eq 0 ]
	id=$(value archives upload-payslip --user-id "$user" "$BATS_TEST_TMPDIR/scan.pdf" --fields id)
	[ -n "$id" ]
	run smile archives payslip-prediction --archive-id "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *"\"id\": \"$id\""* ]]
	[[ $output == *'"netAmount"'* ]]
	run smile archives list-predictions --start-date 2000-01-01 --all -o json
	[ "$status" -eq 0 ]
	[[ $output == *"\"$id\""* ]]
	run smile archives send-manual-result --archive-id "$id" --valid-file true \
		--net-amount 25000 --currency PHP --pay-date 2024-03-31
	[ "$status" -eq 0 ]
	# The correction is what the prediction says now.
	run smile archives payslip-prediction --archive-id "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"payDate": "2024-03-31"'* ]]
	[[ $output == *'"netAmount": 25000'* ]]
	run smile archives payslip-prediction --archive-id u-missing
	[ "$status" -eq 4 ]
}

@test "uploads list, get" {
	# setup_file's archive made one upload for the user.
	run smile uploads list --user-id "$USER_ID" --start-date 2000-01-01 -q --size 1
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	id=${lines[0]}
	run smile uploads list --user-id "$USER_ID" --end-date 2000-01-01 -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run smile uploads get "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *"\"$id\""* ]]
	run smile uploads get u-missing
	[ "$status" -eq 4 ]
}

# ---- user data -----------------------------------------------------------

# list_then_get GROUP: lists the linked user's items with filters, gets the
# first, finds nothing for another user, and a missing id gives 4.
list_then_get() {
	run smile "$1" list --user-id "$USER_ID" --size 1 -q
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ] || { echo "$1 list: $output"; return 1; }
	id=${lines[0]}
	run smile "$1" list --source-id "$ACCOUNT_ID" --all -q
	[ "$status" -eq 0 ]
	[[ $output == *"$id"* ]]
	run smile "$1" get "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *"\"id\": \"$id\""* ]]
	[[ $output == *"\"userId\": \"$USER_ID\""* ]]
	run smile "$1" list --user-id no-such-user -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run smile "$1" get no-such-id
	[ "$status" -eq 4 ]
}

@test "identities list, get" { list_then_get identities; }
@test "employments list, get" { list_then_get employments; }
@test "incomes list, get" { list_then_get incomes; }
@test "transactions list, get" { list_then_get transactions; }
@test "ratings list, get" { list_then_get ratings; }
@test "documents list, get" { list_then_get documents; }
@test "contributions list, get" { list_then_get contributions; }
@test "liabilities list, get" { list_then_get liabilities; }
@test "eincomes list, get" { list_then_get eincomes; }
@test "insights list, get" { list_then_get insights; }
@test "links list, get" { list_then_get links; }

@test "eincomes list takes month filters" {
	run smile eincomes list --user-id "$USER_ID" --start-month 2000-01 --end-month 2999-12 -q
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	run smile eincomes list --user-id "$USER_ID" --end-month 2000-01 -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

# ---- early access --------------------------------------------------------

# create_then_get GROUP CREATE-VERB GET-VERB LIST-VERB PATH ARGS...: creates,
# gets the new item, finds it in the list.
create_then_get() {
	local group=$1 create=$2 get=$3 list=$4 path=$5
	shift 5
	id=$(value "$group" "$create" "$@" --fields id)
	[ -n "$id" ]
	run smile "$group" "$get" "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *"\"$id\""* ]]
	run smile "$group" "$list" --start-date 2000-01-01 --all -q
	[ "$status" -eq 0 ]
	[[ $output == *"$id"* ]]
	run smile "$group" "$get" no-such-id
	[ "$status" -eq 4 ]
}

@test "forms list with filters, get" {
	# The emulator seeds forms at start.
	run smile forms list --start-date 2000-01-01 -q
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	id=${lines[0]}
	run smile forms get "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *"\"id\": \"$id\""* ]]
	run smile forms list --user-id no-such-user -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run smile forms get no-such-id
	[ "$status" -eq 4 ]
}

@test "verifications create, get, list" {
	create_then_get verifications create get list /alpha/verifications \
		--full-name "Juan Dela Cruz" --dob 1990-02-14 "${CONSENT[@]}"
}

@test "signals create, get, list (beta)" {
	create_then_get signals create get list /beta/signals \
		--phone +639171234567 --template-id tpl-1 --country-code PH "${CONSENT[@]}"
}

@test "signals create-v2 and create-v3 (beta)" {
	run smile signals create-v2 --phone +639171234567 --template-id tpl-1 "${CONSENT[@]}"
	[ "$status" -eq 0 ]
	run smile signals create-v3 --full-name "Juan Dela Cruz" --mobile-number +639171234567 \
		--id-type PID --id-number 1234-5678 --template-id tpl-1 "${CONSENT[@]}"
	[ "$status" -eq 0 ]
	run smile signals list --signal-type Signal3 -o json
	[ "$status" -eq 0 ]
}

@test "signals create-alpha, get-alpha, list-alpha" {
	create_then_get signals create-alpha get-alpha list-alpha /alpha/signals \
		--phone +639171234567 "${CONSENT[@]}"
}

@test "footprints create, get, list" {
	create_then_get footprints create get list /alpha/footprints \
		--email-address juan@example.com --template-id tpl-1 "${CONSENT[@]}"
}

@test "maws create-v2, create-v3, get, list (beta)" {
	create_then_get maws create-v2 get list /beta/maws/requestMaw2 \
		--mobile-number +639171234567 --country-code PH --template-id tpl-1 "${CONSENT[@]}"
	run smile maws create-v3 --mobile-number +639171234567 --full-name "Juan Dela Cruz" \
		--id-type SSS --id-number 34-1234567-8 --country-code PH --template-id tpl-1 "${CONSENT[@]}"
	[ "$status" -eq 0 ]
	run smile maws list --maw-type MAW3 -o json
	[ "$status" -eq 0 ]
}

@test "maws create-alpha, get-alpha, list-alpha" {
	create_then_get maws create-alpha get-alpha list-alpha /alpha/maws \
		--mobile-number +639171234567 --country-code PH --template-id tpl-1 "${CONSENT[@]}"
}

@test "validations validate-bank-account, get, list" {
	create_then_get validations validate-bank-account get list /alpha/validations/validateBankAccount \
		--name "Jan de Vries" --iban NL91ABNA0417164300 --country-code NL "${CONSENT[@]}"
}

@test "blacklists create, get, list" {
	create_then_get blacklists create get list /alpha/blacklists \
		--mobile-number +639171234567 --country-code PH "${CONSENT[@]}"
}

@test "social-securities create, get, list (beta)" {
	create_then_get social-securities create get list /beta/socialSecurities \
		--full-name "Juan Perez" --mobile-number +525512345678 --curp PEPJ900214HDFRRN09 \
		--template-id tpl-1 "${CONSENT[@]}"
}

@test "social-securities create-alpha, get-alpha, list-alpha" {
	create_then_get social-securities create-alpha get-alpha list-alpha /alpha/socialSecurities \
		--email-address juan@example.com --full-name "Juan Perez" --mobile-number +525512345678 \
		--curp PEPJ900214HDFRRN09 --template-id tpl-1 "${CONSENT[@]}"
}

@test "employers search-basics and search" {
	run smile employers search-basics --keyword jollibee -o json
	[ "$status" -eq 0 ]
	run smile employers search --business-name "Jollibee Foods Corporation" -o json
	[ "$status" -eq 0 ]
	# The examples of their --help find the employer they name.
	run smile employers search-basics --keyword "jollibee foods" --fields businessName -o csv --no-header
	[ "$output" = "Jollibee Foods Corporation" ]
	run smile employers search --business-name "Jollibee Foods Corporation" --fields shortName -o csv --no-header
	[ "$output" = "Jollibee" ]
}

@test "users find and users show (more in first-hour.bats)" {
	write_invite_template
	template=$(value invite-templates create --input "$BATS_TEST_TMPDIR/template.yaml" --fields id)
	invite=$(value invites send --full-name "Ana Cruz" --email ana.cmd@example.com --template-id "$template" --fields id)
	run smile users find --email ana.cmd@example.com -o csv --no-header --fields id
	[ "$status" -eq 0 ]
	[ "$output" = "$invite" ]
	user=$(new_user)
	run smile users show "$user" -o json
	[ "$status" -eq 0 ]
	[ "$(jq -r .user.id <<<"$output")" = "$user" ]
}

# ---- last: every command ran ---------------------------------------------

@test "every command of smile api --list ran in this file" {
	local want missing
	want=$("$SMILE" api --list | awk '{ print $3 " " $4 }' | sort -u)
	[ "$(wc -l <<<"$want")" -gt 90 ]
	missing=$(comm -23 <(echo "$want") <(sort -u "$RAN_LOG"))
	if [[ -n $missing ]]; then
		echo "commands no test ran:"
		echo "$missing"
		return 1
	fi
}
