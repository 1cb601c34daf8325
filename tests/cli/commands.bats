#!/usr/bin/env bats
# Every named command runs against smile-emulator: create then get, list with
# filters, delete then get (exit 4). Resources the emulator does not serve
# yet are skipped with "emulator lacks ...", so the tests switch themselves
# on as the emulator grows.

load ../lib/emulator

setup_file() {
	emulator_start
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

# need_route METHOD PATH: skips the test when the emulator has no such route.
# (An implemented POST answers an empty body with a validation error.)
need_route() {
	local out
	out=$("$SMILE" api "$1" "$2" 2>&1) || true
	if [[ $out == *"no resource at"* ]]; then
		skip "emulator lacks $1 $2"
	fi
}

# value ARGS...: runs smile and prints the one field asked for with --fields.
value() {
	"$SMILE" "$@" -o csv --no-header
}

new_user() {
	value users create --metadata crm=42 --fields user.id
}

CONSENT=(--consented-at 2024-05-01T09:30:00Z --consented-with checkbox)

# ---- general availability ------------------------------------------------

@test "providers list with filters, then get" {
	run "$SMILE" providers list --enabled true --size 5 -q
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	id=${lines[0]}
	run "$SMILE" providers get "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *"\"id\": \"$id\""* ]]
	run "$SMILE" providers get no-such-provider
	[ "$status" -eq 4 ]
}

@test "file-types list with a filter" {
	run "$SMILE" file-types list --active true -o json
	[ "$status" -eq 0 ]
	[[ $output == "["* ]]
}

@test "users create prints the id and token, then get, list, payload, reset-session" {
	run "$SMILE" users create --metadata crm=42 -o table
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == *"USER.ID"*"TOKEN.ACCESSTOKEN"*"TOKEN.EXPIRESAT"* ]]
	user=$(new_user)
	[ -n "$user" ]
	run "$SMILE" users get "$user" -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"crm": "42"'* ]]
	run "$SMILE" users list --start-date 2000-01-01 --all -q
	[ "$status" -eq 0 ]
	[[ $output == *"$user"* ]]
	run "$SMILE" users payload "$user" -o json
	[ "$status" -eq 0 ]
	run "$SMILE" users reset-session "$user"
	[ "$status" -eq 0 ]
	run "$SMILE" users get no-such-user
	[ "$status" -eq 4 ]
}

@test "tokens refresh prints a fresh token for the user" {
	user=$(new_user)
	run "$SMILE" tokens refresh --user-id "$user" -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"accessToken"'* ]]
	[[ $output == *'"expiresAt"'* ]]
}

@test "consent-templates create, list, delete, then delete again gives 4" {
	id=$(value consent-templates create --consent-type DATA_SHARING --version 1.0 \
		--consent-text "I agree" --fields id)
	[ -n "$id" ]
	run "$SMILE" consent-templates list --all -q
	[ "$status" -eq 0 ]
	[[ $output == *"$id"* ]]
	run "$SMILE" consent-templates delete "$id" --yes
	[ "$status" -eq 0 ]
	run "$SMILE" consent-templates delete "$id" --yes
	[ "$status" -eq 4 ]
}

@test "webhooks create, get, list, delete, then get gives 4" {
	id=$(value webhooks create --name crm --url https://example.com/hooks/smile \
		--event-types ACCOUNT_CONNECTED,ARCHIVE_ANALYZED --active true --fields id <<<"s3cret")
	[ -n "$id" ]
	# The signing secret is read from stdin, never from argv.
	run "$SMILE" webhooks create --name crm --url https://example.com/hooks/smile \
		--event-types ACCOUNT_CONNECTED --active true --secret s3cret
	[ "$status" -eq 2 ]
	[[ $output != *s3cret* ]]
	run "$SMILE" webhooks get "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"ARCHIVE_ANALYZED"'* ]]
	run "$SMILE" webhooks list --all -q
	[[ $output == *"$id"* ]]
	run "$SMILE" webhooks delete "$id" --yes
	[ "$status" -eq 0 ]
	run "$SMILE" webhooks get "$id"
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
	run "$SMILE" invite-templates get "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"Payroll 2024"'* ]]
	run "$SMILE" invite-templates update "$id" --input "$BATS_TEST_TMPDIR/template.yaml" \
		--subject "Please connect"
	[ "$status" -eq 0 ]
	run "$SMILE" invite-templates get "$id" -o json
	[[ $output == *'"Please connect"'* ]]
	run "$SMILE" invite-templates list --all -q
	[[ $output == *"$id"* ]]
	run "$SMILE" invite-templates delete "$id" --yes
	[ "$status" -eq 0 ]
	run "$SMILE" invite-templates get "$id"
	[ "$status" -eq 4 ]
}

@test "invites send, get, list, logs" {
	write_invite_template
	template=$(value invite-templates create --input "$BATS_TEST_TMPDIR/template.yaml" --fields id)
	id=$(value invites send --full-name "Juan Dela Cruz" --email juan@example.com \
		--template-id "$template" --fields id)
	[ -n "$id" ]
	run "$SMILE" invites get "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"juan@example.com"'* ]]
	run "$SMILE" invites list --all -q
	[[ $output == *"$id"* ]]
	run "$SMILE" invites logs "$id" -o json
	[ "$status" -eq 0 ]
	run "$SMILE" invites get iv-missing
	[ "$status" -eq 4 ]
}

@test "tasks list with filters, then get" {
	user=$(new_user)
	run "$SMILE" tasks list --user-id "$user" --start-date 2000-01-01 -o json
	[ "$status" -eq 0 ]
	run "$SMILE" tasks list -q --size 1
	[ "$status" -eq 0 ]
	[ -n "$output" ] || skip "emulator has no task to get"
	run "$SMILE" tasks get "${lines[0]}"
	[ "$status" -eq 0 ]
	run "$SMILE" tasks get tk-missing
	[ "$status" -eq 4 ]
}

@test "accounts list, get, payload, export, disable-monitor, revoke, then get gives 4" {
	need_route GET /accounts
	run "$SMILE" accounts list --start-date 2000-01-01 --size 1 -q
	[ "$status" -eq 0 ]
	[ -n "$output" ] || skip "emulator has no account"
	id=${lines[0]}
	run "$SMILE" accounts get "$id" -o json
	[ "$status" -eq 0 ]
	run "$SMILE" accounts payload "$id" -o json
	[ "$status" -eq 0 ]
	run "$SMILE" accounts export "$id" --export-extension-type CSV -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"downloadUrl"'* ]]
	run "$SMILE" accounts disable-monitor "$id"
	[ "$status" -eq 0 ]
	run "$SMILE" accounts revoke "$id" --yes
	[ "$status" -eq 0 ]
	run "$SMILE" accounts get "$id"
	[ "$status" -eq 4 ]
}

# A tiny but real PDF, so the emulator can take it as a document.
write_pdf() {
	printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$1"
}

@test "archives create, get, list, download, revoke, then get gives 4" {
	need_route GET /archives
	user=$(new_user)
	write_pdf "$BATS_TEST_TMPDIR/march.pdf"
	id=$(value archives create --user-id "$user" --file-type PAYSLIP "$BATS_TEST_TMPDIR/march.pdf" --fields id)
	[ -n "$id" ]
	run "$SMILE" archives get "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"rawFiles"'* ]]
	run "$SMILE" archives list --user-id "$user" -q
	[[ $output == *"$id"* ]]

	mkdir "$BATS_TEST_TMPDIR/out"
	run "$SMILE" archives download "$id" --output-dir "$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[ -s "${lines[0]}" ]
	# An existing file is kept unless --clobber.
	run "$SMILE" archives download "$id" --output-dir "$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 1 ]
	[[ $output == *"already exists"*"--clobber"* ]]
	run "$SMILE" archives download "$id" --output-dir "$BATS_TEST_TMPDIR/out" --clobber -o json
	[ "$status" -eq 0 ]
	[[ $output == *'"bytes"'* ]]
	# Nothing but the files themselves is left behind.
	[ "$(ls -A "$BATS_TEST_TMPDIR/out" | wc -l)" -eq 1 ]

	run "$SMILE" archives revoke "$id" --yes
	[ "$status" -eq 0 ]
	run "$SMILE" archives get "$id" -o json
	[[ $status -eq 4 || $output == *'"REVOKED"'* ]]
}

@test "archives download refuses server-supplied names that leave the directory" {
	need_route GET /archives
	user=$(new_user)
	write_pdf "$BATS_TEST_TMPDIR/a.pdf"
	content=$(base64 -w0 "$BATS_TEST_TMPDIR/a.pdf")
	cat >"$BATS_TEST_TMPDIR/body.json" <<JSON
{"userId": "$user", "fileType": "PAYSLIP",
 "rawFiles": [{"fileName": "../escape.pdf", "fileExtensionType": "PDF", "fileContent": "$content"}]}
JSON
	id=$(value archives create --input "$BATS_TEST_TMPDIR/body.json" --fields id)
	name=$(value archives get "$id" --fields rawFiles.0.name)
	[[ $name == *"/"* || $name == .* ]] || skip "emulator rewrites file names ($name)"
	mkdir "$BATS_TEST_TMPDIR/out"
	run "$SMILE" archives download "$id" --output-dir "$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 1 ]
	[[ $output == *"unsafe name"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/escape.pdf" ]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/out")" ]
}

@test "archives classify, upload-payslip, payslip-prediction, list-predictions, send-manual-result" {
	need_route POST /archives/-/payslips/uploadRawFile
	user=$(new_user)
	write_pdf "$BATS_TEST_TMPDIR/scan.pdf"
	run "$SMILE" archives classify --user-id "$user" "$BATS_TEST_TMPDIR/scan.pdf" -o json
	[ "$status" -eq 0 ]
	id=$(value archives upload-payslip --user-id "$user" "$BATS_TEST_TMPDIR/scan.pdf" --fields id)
	[ -n "$id" ]
	run "$SMILE" archives payslip-prediction --archive-id "$id" -o json
	[ "$status" -eq 0 ]
	run "$SMILE" archives list-predictions --start-date 2000-01-01 -o json
	[ "$status" -eq 0 ]
	run "$SMILE" archives send-manual-result --archive-id "$id" --valid-file true \
		--net-amount 25000 --currency PHP --pay-date 2024-03-31
	[ "$status" -eq 0 ]
}

@test "uploads list, get" {
	need_route GET /uploads
	run "$SMILE" uploads list --start-date 2000-01-01 -q --size 1
	[ "$status" -eq 0 ]
	[ -n "$output" ] || skip "emulator has no upload"
	run "$SMILE" uploads get "${lines[0]}"
	[ "$status" -eq 0 ]
}

# ---- user data -----------------------------------------------------------

# list_then_get GROUP PATH: list with a filter, get the first item, and a
# missing id gives 4.
list_then_get() {
	need_route GET "$2"
	run "$SMILE" "$1" list --size 1 -q
	[ "$status" -eq 0 ]
	[ -n "$output" ] || skip "emulator has no $1"
	id=${lines[0]}
	run "$SMILE" "$1" get "$id" -o json
	[ "$status" -eq 0 ]
	run "$SMILE" "$1" list --user-id no-such-user -o json
	[ "$status" -eq 0 ]
	run "$SMILE" "$1" get no-such-id
	[ "$status" -eq 4 ]
}

@test "identities list, get" { list_then_get identities /identities; }
@test "employments list, get" { list_then_get employments /employments; }
@test "incomes list, get" { list_then_get incomes /incomes; }
@test "transactions list, get" { list_then_get transactions /transactions; }
@test "ratings list, get" { list_then_get ratings /ratings; }
@test "documents list, get" { list_then_get documents /documents; }
@test "contributions list, get" { list_then_get contributions /contributions; }
@test "liabilities list, get" { list_then_get liabilities /liabilities; }
@test "eincomes list, get" { list_then_get eincomes /eincomes; }
@test "insights list, get" { list_then_get insights /insights; }
@test "links list, get" { list_then_get links /links; }

@test "eincomes list takes month filters" {
	need_route GET /eincomes
	run "$SMILE" eincomes list --start-month 2024-01 --end-month 2024-12 -o json
	[ "$status" -eq 0 ]
}

# ---- early access --------------------------------------------------------

# create_then_get GROUP CREATE-VERB GET-VERB LIST-VERB PATH ARGS...: creates,
# gets the new item, finds it in the list.
create_then_get() {
	local group=$1 create=$2 get=$3 list=$4 path=$5
	shift 5
	need_route POST "$path"
	id=$(value "$group" "$create" "$@" --fields id)
	[ -n "$id" ]
	run "$SMILE" "$group" "$get" "$id" -o json
	[ "$status" -eq 0 ]
	[[ $output == *"\"$id\""* ]]
	run "$SMILE" "$group" "$list" --start-date 2000-01-01 --all -q
	[ "$status" -eq 0 ]
	[[ $output == *"$id"* ]]
	run "$SMILE" "$group" "$get" no-such-id
	[ "$status" -eq 4 ]
}

@test "forms list, get" { list_then_get forms /alpha/forms; }

@test "verifications create, get, list" {
	create_then_get verifications create get list /alpha/verifications \
		--full-name "Juan Dela Cruz" --dob 1990-02-14 "${CONSENT[@]}"
}

@test "signals create, get, list (beta)" {
	create_then_get signals create get list /beta/signals \
		--phone +639171234567 --template-id tpl-1 --country-code PH "${CONSENT[@]}"
}

@test "signals create-v2 and create-v3 (beta)" {
	need_route POST /beta/signals/createSignal2
	run "$SMILE" signals create-v2 --phone +639171234567 --template-id tpl-1 "${CONSENT[@]}"
	[ "$status" -eq 0 ]
	run "$SMILE" signals create-v3 --full-name "Juan Dela Cruz" --mobile-number +639171234567 \
		--id-type PID --id-number 1234-5678 --template-id tpl-1 "${CONSENT[@]}"
	[ "$status" -eq 0 ]
	run "$SMILE" signals list --signal-type Signal3 -o json
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
	run "$SMILE" maws create-v3 --mobile-number +639171234567 --full-name "Juan Dela Cruz" \
		--id-type SSS --id-number 34-1234567-8 --country-code PH --template-id tpl-1 "${CONSENT[@]}"
	[ "$status" -eq 0 ]
	run "$SMILE" maws list --maw-type MAW3 -o json
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
	need_route GET /alpha/employers/query
	run "$SMILE" employers search-basics --keyword jollibee -o json
	[ "$status" -eq 0 ]
	run "$SMILE" employers search --business-name "Jollibee Foods Corporation" -o json
	[ "$status" -eq 0 ]
}
