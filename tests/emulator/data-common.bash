# SPDX-License-Identifier: MIT
# Helpers of the data-side tests (data-*.bats), on top of common.bash:
# api/control/jqb/expect_code/expect_error and create_user come from there.

source "$BATS_TEST_DIRNAME/common.bash"

# ctl_post PATH JSON: POST to a control route; sets $code and $body.
ctl_post() {
	code=$(curl -s -o "$BATS_TEST_TMPDIR/body" -w '%{http_code}' -u "$EMU_KEY:$EMU_SECRET" \
		-X POST -H 'Content-Type: application/json' --data-binary "$2" --max-time 30 \
		"$EMU_BASE$1") || true
	body=$(cat "$BATS_TEST_TMPDIR/body")
}

# link USER LOGIN PASSWORD [MFA [PROVIDER]]: plays the Wink widget.
link() {
	ctl_post /_emulator/link "$(jq -nc --arg u "$1" --arg l "$2" --arg p "$3" \
		--arg m "${4-1234}" --arg pr "${5-upwork}" \
		'{userId: $u, providerId: $pr, username: $l, password: $p, mfaCode: $m}')"
}

# linked_user LOGIN PASSWORD: a new user with a connected account; prints
# "USER ACCOUNT".
linked_user() {
	local user
	user=$(create_user) || return 1
	link "$user" "$1" "$2"
	expect_code 201 >&2 || return 1
	echo "$user $(jqb .data.id)"
}

# count_all PATH: follows nextCursor (size 150, at most 1000 pages) and
# prints how many items all pages held.
count_all() {
	local path=$1 cursor= total=0 pages sep
	[[ $path == *\?* ]] && sep='&' || sep='?'
	for ((pages = 0; pages < 1000; pages++)); do
		api GET "$path${sep}size=150${cursor:+&cursor=$cursor}"
		[[ $code == 200 ]] || { echo "HTTP $code: $body" >&2; return 1; }
		total=$((total + $(jqb '.data.items | length')))
		cursor=$(jqb '.data.nextCursor // empty')
		[[ -n $cursor ]] || { echo "$total"; return 0; }
	done
	echo "more than 1000 pages" >&2
	return 1
}

# upload USER: an upload of one PNG (its signature only); prints its id.
upload() {
	local png64
	png64=$(printf '\x89PNG\r\n\x1a\n' | base64 -w0)
	api POST /archives "$(jq -nc --arg u "$1" --arg png "$png64" '{userId: $u, fileType: "PAYSLIP",
		rawFiles: [{fileName: "p.png", fileExtensionType: "PNG", fileContent: $png}]}')"
	expect_code 200 >&2 || return 1
	jqb .data.id
}
