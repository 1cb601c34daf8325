#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
#
# Archives: base64 uploads served back byte for byte, revoke, payslips,
# uploads. Run: SMILE_BUILD=/abs/build-dir bats --tap tests/emulator

load data-common

setup() {
	emulator_start
	# A tiny but real PNG (1x1) and a small PDF, written here byte by byte.
	printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82' \
		>"$BATS_TEST_TMPDIR/one.png"
	printf '%%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n' \
		>"$BATS_TEST_TMPDIR/pay.pdf"
	PNG64=$(base64 -w0 "$BATS_TEST_TMPDIR/one.png")
	PDF64=$(base64 -w0 "$BATS_TEST_TMPDIR/pay.pdf")
	USER_ID=$(create_user)
}
teardown() { emulator_stop; }

# archive_body [FILETYPE]: a PNG and a PDF for USER_ID.
archive_body() {
	jq -nc --arg u "$USER_ID" --arg t "${1-PAYSLIP}" --arg png "$PNG64" --arg pdf "$PDF64" \
		'{userId: $u, fileType: $t, rawFiles: [
			{fileName: "my payslip.png", fileSubtype: "PAYSLIP", fileExtensionType: "PNG", fileContent: $png},
			{fileName: "pay.pdf", fileExtensionType: "PDF", fileContent: $pdf}]}'
}

# fetch URL FILE: download as a client of the file host would; prints the status.
fetch() {
	curl -s -o "$2" -w '%{http_code}' -u "$EMU_KEY:$EMU_SECRET" --max-time 10 "$1"
}

@test "upload a PNG and a PDF, download both byte for byte" {
	api POST /archives "$(archive_body)"
	expect_code 200
	[[ $(jqb .data.id) == u-* ]]
	[ "$(jqb .data.state.status)" = STARTED ]
	[ "$(jqb .data.userId)" = "$USER_ID" ]
	[ "$(jqb .data.providerId)" = user-provided ]
	[ "$(jqb '.data.rawFiles | length')" -eq 2 ]
	[ "$(jqb .data.rawFiles[0].format)" = PNG ]
	[ "$(jqb .data.rawFiles[0].size)" -eq "$(stat -c %s "$BATS_TEST_TMPDIR/one.png")" ]
	[ "$(jqb .data.rawFiles[0].subType)" = PAYSLIP ]
	[ "$(fetch "$(jqb .data.rawFiles[0].url)" "$BATS_TEST_TMPDIR/got.png")" = 200 ]
	cmp "$BATS_TEST_TMPDIR/one.png" "$BATS_TEST_TMPDIR/got.png"
	[ "$(fetch "$(jqb .data.rawFiles[1].url)" "$BATS_TEST_TMPDIR/got.pdf")" = 200 ]
	cmp "$BATS_TEST_TMPDIR/pay.pdf" "$BATS_TEST_TMPDIR/got.pdf"
	ctype=$(curl -s -o /dev/null -w '%{content_type}' -u "$EMU_KEY:$EMU_SECRET" "$(jqb .data.rawFiles[1].url)")
	[ "$ctype" = application/pdf ]
}

@test "the archive is ANALYZED afterwards, with a classification" {
	api POST /archives "$(archive_body)"
	id=$(jqb .data.id)
	api GET "/archives/$id"
	expect_code 200
	[ "$(jqb .data.state.status)" = ANALYZED ]
	[ "$(jqb .data.classification.fileType)" = PAYSLIP ]
	[ "$(jqb .data.validation.metadata.resultCode)" = PASSED ]
}

@test "invalid base64 or a file of another type is 400 naming the field" {
	api POST /archives "$(jq -c '.rawFiles[1].fileContent = "not base64!"' <<<"$(archive_body)")"
	expect_error 400 INVALID_PARAMETERS "rawFiles[1].fileContent"
	api POST /archives "$(jq -c '.rawFiles[0].fileExtensionType = "PDF"' <<<"$(archive_body)")"
	expect_error 400 INVALID_PARAMETERS "rawFiles[0].fileContent"
	gif=$(printf 'GIF89a....' | base64 -w0)
	api POST /archives "$(jq -c --arg g "$gif" '.rawFiles[0].fileContent = $g' <<<"$(archive_body)")"
	expect_error 400 INVALID_PARAMETERS "rawFiles[0]"
	api POST /archives "$(jq -c '.rawFiles[0].fileExtensionType = "GIF"' <<<"$(archive_body)")"
	expect_error 400 INVALID_PARAMETERS "rawFiles[0].fileExtensionType"
	api POST /archives "$(jq -c '.rawFiles = []' <<<"$(archive_body)")"
	expect_error 400 INVALID_PARAMETERS rawFiles
	api POST /archives "$(jq -c 'del(.rawFiles)' <<<"$(archive_body)")"
	expect_error 400 INVALID_PARAMETERS rawFiles
	api POST /archives "$(jq -c '.userId = "emulator-nobody"' <<<"$(archive_body)")"
	expect_error 404 MISSING_RESOURCE userId
	api GET /archives
	[ "$(jqb '.data.items | length')" -eq 0 ]
}

@test "list archives filters by userId, fileType and dates" {
	api POST /archives "$(archive_body PAYSLIP)"
	api POST /archives "$(archive_body COMPANY_ID)"
	other=$USER_ID USER_ID=$(create_user)
	api POST /archives "$(archive_body PAYSLIP)"
	api GET "/archives?userId=$other"
	[ "$(jqb '.data.items | length')" -eq 2 ]
	api GET "/archives?fileType=PAYSLIP"
	[ "$(jqb '.data.items | length')" -eq 2 ]
	api GET "/archives?fileType=COMPANY_ID&userId=$other"
	[ "$(jqb '.data.items | length')" -eq 1 ]
	api GET "/archives?startDate=$(date -u +%F)&size=2"
	[ "$(jqb '.data.items | length')" -eq 2 ]
	[ "$(jqb .data.nextCursor)" != null ]
	api GET "/archives?endDate=2000-01-01"
	[ "$(jqb '.data.items | length')" -eq 0 ]
	api GET /archives/u-nope
	expect_error 404 MISSING_RESOURCE u-nope
}

@test "revoke: REVOKED, files gone, prediction gone" {
	api POST /archives "$(archive_body)"
	id=$(jqb .data.id) url=$(jqb .data.rawFiles[0].url)
	api DELETE "/archives/$id"
	expect_code 200
	api GET "/archives/$id"
	[ "$(jqb .data.state.status)" = REVOKED ]
	[ "$(fetch "$url" "$BATS_TEST_TMPDIR/gone")" = 404 ]
	api GET "/archives/-/payslips/queryPrediction?archiveId=$id"
	expect_code 404
	api DELETE /archives/u-nope
	expect_code 404
}

@test "payslips: upload a raw file, query and list predictions, correct them" {
	api POST /archives/-/payslips/uploadRawFile \
		"$(jq -nc --arg u "$USER_ID" --arg c "$PDF64" '{userId: $u, fileExtensionType: "PDF", fileContent: $c}')"
	expect_code 200
	id=$(jqb .data.id)
	[ "$(jqb .data.type)" = PAYSLIP ]
	api GET "/archives/-/payslips/queryPrediction?archiveId=$id"
	expect_code 200
	jq -e --arg id "$id" --arg u "$USER_ID" '.data.metadata.sourceId == $id and .data.metadata.userId == $u
		and .data.metadata.sourceType == "ARCHIVE" and .data.grossAmount > .data.netAmount' <<<"$body"
	api GET /archives/-/payslips/listPredictions
	[ "$(jqb '.data.items | length')" -eq 1 ]
	api POST /archives/-/payslips/sendManualResult \
		"$(jq -nc --arg id "$id" '{archiveId: $id, validFile: true, checkedFields: ["netAmount"], data: {netAmount: 9000}}')"
	expect_code 200
	api GET "/archives/-/payslips/queryPrediction?archiveId=$id"
	[ "$(jqb .data.netAmount)" -eq 9000 ]
	api GET /archives/-/payslips/queryPrediction
	expect_error 400 INVALID_PARAMETERS archiveId
	api POST /archives/-/payslips/sendManualResult '{"archiveId":"u-x"}'
	expect_error 400 INVALID_PARAMETERS validFile
	api POST /archives/-/payslips/uploadRawFile "$(jq -nc --arg c "$PDF64" '{fileExtensionType: "PDF", fileContent: $c}')"
	expect_error 400 INVALID_PARAMETERS userId
}

@test "classify makes an analyzed archive; without userId a user is made" {
	api POST /archives/classify "$(jq -c 'del(.userId, .fileType)' <<<"$(archive_body)")"
	expect_code 200
	user=$(jqb .data.userId) id=$(jqb .data.id)
	api GET "/users/$user"
	expect_code 200
	api GET "/archives/$id"
	[ "$(jqb .data.classification.fileType)" = PAYSLIP ]
}

@test "uploads list and get the same objects" {
	api POST /archives "$(archive_body)"
	id=$(jqb .data.id)
	api GET "/uploads?userId=$USER_ID"
	[ "$(jqb '[.data.items[].id] | join(",")')" = "$id" ]
	api GET "/uploads/$id"
	expect_code 200
	[ "$(jqb '.data.rawFiles | length')" -eq 2 ]
	api GET /uploads/u-nope
	expect_error 404 MISSING_RESOURCE u-nope
}

@test "unknown file urls are 404" {
	[ "$(fetch "$EMU_BASE/_emulator/files/u-nope/0/x.png" "$BATS_TEST_TMPDIR/x")" = 404 ]
	api POST /archives "$(archive_body)"
	url=$(jqb .data.rawFiles[0].url)
	[ "$(fetch "${url%/*}/other-name.png" "$BATS_TEST_TMPDIR/x")" = 404 ]
}

@test "a payslip adds the data read from it; revoking removes that data" {
	api POST /archives "$(archive_body)"
	id=$(jqb .data.id)
	for kind in identities employments incomes; do
		api GET "/$kind?userId=$USER_ID"
		jq -e --arg id "$id" '(.data.items | length) == 1 and .data.items[0].metadata.sourceId == $id
			and .data.items[0].metadata.sourceType == "ARCHIVE"
			and .data.items[0].metadata.providerId == "user-provided"
			and (.data.items[0].metadata | has("accountId") | not)' <<<"$body"
	done
	api GET "/tasks?userId=$USER_ID"
	jq -e '.data.items[0].type == "ANALYZE_ARCHIVE" and .data.items[0].status == "Finished"' <<<"$body"
	api DELETE "/archives/$id"
	api GET "/incomes?userId=$USER_ID"
	[ "$(jqb '.data.items | length')" -eq 0 ]
}

@test "other file types add no user data" {
	api POST /archives "$(archive_body COMPANY_ID)"
	api GET "/identities?userId=$USER_ID"
	[ "$(jqb '.data.items | length')" -eq 0 ]
}
