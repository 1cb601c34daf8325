# Shared by the emulator's bats files: start one emulator per test and talk
# to it with curl. api sets $code (HTTP status) and $body.

source "$BATS_TEST_DIRNAME/../lib/emulator.bash"

api() {
	local method=$1 path=$2 data=${3-}
	local args=(-s -o "$BATS_TEST_TMPDIR/body" -w '%{http_code}' -u "$EMU_KEY:$EMU_SECRET"
		-X "$method" --max-time 10)
	[[ -n $data ]] && args+=(-H 'Content-Type: application/json' --data-binary "$data")
	# A dropped connection (injected fault) shows as code 000.
	code=$(curl "${args[@]}" "$EMU_URL$path") || true
	body=$(cat "$BATS_TEST_TMPDIR/body")
}

# control METHOD PATH: the same for /_emulator paths.
control() {
	code=$(curl -s -o "$BATS_TEST_TMPDIR/body" -w '%{http_code}' -u "$EMU_KEY:$EMU_SECRET" \
		-X "$1" --max-time 10 "$EMU_BASE$2") || true
	body=$(cat "$BATS_TEST_TMPDIR/body")
}

# jqb FILTER: run jq -r on the last body.
jqb() {
	jq -r "$1" <<<"$body"
}

expect_code() {
	if [[ $code != "$1" ]]; then
		echo "expected HTTP $1, got $code: $body" >&2
		return 1
	fi
}

# expect_error STATUS CODE WORD: an error envelope whose message names WORD.
expect_error() {
	expect_code "$1"
	[[ $(jqb .code) == "$2" ]] || { echo "code $(jqb .code), wanted $2" >&2; return 1; }
	[[ $(jqb .message) == *"$3"* ]] || { echo "message '$(jqb .message)' lacks '$3'" >&2; return 1; }
}

INVITE_TEMPLATE='{"name":"Spring","company":{"name":"Acme","logoUrl":"https://acme.test/logo.png"},
"email":{"sendEmail":true,"senderName":"Acme","replyAddress":"hr@acme.test","subject":"Link",
"body":"Please link"},"landingPage":{"header":"H","description":"D","button":"Go"},
"successPage":{"header":"Done","description":"Thanks","button":"Close"}}'

create_user() {
	api POST /users '{}'
	expect_code 201
	jqb .data.user.id
}

create_invite_template() {
	api POST /inviteTemplates "$INVITE_TEMPLATE"
	expect_code 201
	jqb .data.id
}
