#!/usr/bin/env bats
# smile invites send --file against smile-emulator: every row checked before
# anything is sent, exactly-once delivery under injected faults, kill -9 and
# Ctrl-C, the rate limit, the journal and the failed-rows file. Counts come
# from the emulator (GET /v1/invites, /_emulator/stats), never from timing,
# except the one sustained-rate measurement the rate limit is about.

load ../lib/emulator

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml
	export XDG_STATE_HOME=$BATS_TEST_TMPDIR/state
	unset SMILE_PROFILE NO_COLOR
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	emulator_stop
}

start() {
	emulator_start "$@"
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
}

# An invite template to send with; the emulator may fault the request, and
# a second template does no harm, so try a few times.
make_template() {
	local i id
	cat >template.yaml <<'YAML'
name: Payroll
company: {name: Example Corp, logoUrl: "https://example.com/logo.png"}
email: {sendEmail: false, senderName: Example Corp, replyAddress: hr@example.com, subject: Connect, body: Please connect.}
landingPage: {header: Welcome, description: Connect your accounts, button: Start}
successPage: {header: Thank you, description: All done, button: Close}
YAML
	for ((i = 0; i < 20; i++)); do
		id=$("$SMILE" --retries 5 invite-templates create --input template.yaml --fields id -o csv --no-header 2>/dev/null) &&
			[[ $id == ivt-* ]] && { echo "$id"; return 0; }
	done
	return 1
}

# A CSV of n people: p1@example.com ... pn@example.com.
make_csv() {
	local n=$1 file=$2
	{
		echo "email,fullName,firstName,lastName"
		seq 1 "$n" | awk '{ printf "p%d@example.com,Person %d,Person,No %d\n", $1, $1, $1 }'
	} >"$file"
}

# Every invite's e-mail in the emulator, one per line, paging with curl; a
# page the emulator faults is asked for again (bounded).
list_emails() {
	local cursor= page pages i
	for ((pages = 0; pages < 200; pages++)); do
		page=
		for ((i = 0; i < 30; i++)); do
			page=$(curl -sf --max-time 10 -u "$EMU_KEY:$EMU_SECRET" \
				"$EMU_URL/invites?size=150${cursor:+&cursor=$cursor}") && break
			page=
		done
		[ -n "$page" ] || { echo "cannot list the invites" >&2; return 1; }
		jq -r '.data.items[].email' <<<"$page"
		cursor=$(jq -r '.data.nextCursor // empty' <<<"$page")
		[ -n "$cursor" ] || return 0
	done
	return 1
}

# For results parsed as one JSON document: the summary on stderr stays out.
smile_stdout() {
	"$SMILE" "$@" 2>/dev/null
}

stats() {
	curl -sf --max-time 10 -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq -r ".data.$1"
}

# Fails when an address was invited twice; prints how many invites exist.
count_without_duplicates() {
	list_emails >emails.txt || return 1
	local dups
	dups=$(sort emails.txt | uniq -d | head -5)
	if [ -n "$dups" ]; then
		echo "invited twice: $dups" >&2
		return 1
	fi
	wc -l <emails.txt
}

# Runs the same bulk command until it exits 0 (at most `tries` times),
# checking after every run that nobody was invited twice.
send_until_done() {
	local tries=$1 i rc count
	shift
	for ((i = 1; i <= tries; i++)); do
		rc=0
		timeout 300 "$SMILE" invites send "$@" >"out.$i" 2>"err.$i" || rc=$?
		count=$(count_without_duplicates) || return 1
		echo "# run $i: exit $rc, $count invites; $(tail -1 "err.$i")" >&3
		[ "$rc" -eq 0 ] && return 0
		[ "$rc" -eq 8 ] || { cat "err.$i" >&2; return 1; }
	done
	return 1
}

@test "1000 invitations under --fail-rate 0.2: exactly 1000 invites, no one twice" {
	start --fail-rate 0.2 --fault-seed 11
	template=$(make_template)
	make_csv 1000 people.csv
	send_until_done 5 --rate 0 --file people.csv --template-id "$template" -o ndjson
	[ "$(count_without_duplicates)" -eq 1000 ]
	# The faults did strike, also after the handler, and were survived.
	[ "$(stats faults.afterHandler)" -gt 0 ]
	[ "$(stats faults.dropped)" -gt 0 ]
	# The last run reports every row, each invited (now or before).
	[ "$(jq -r .status out.* | grep -c invited)" -ge 1000 ]
	last=$(ls out.* | sort -t. -k2 -n | tail -1)
	[ "$(jq -r 'select(.status == "invited" or .status == "already-invited") | .row' "$last" | sort -u | wc -l)" -eq 1000 ]
	# Results come in input order, faults and lookups notwithstanding.
	for f in out.*; do
		jq -r .row "$f" >rows.txt
		sort -n -c rows.txt
	done
}

@test "kill -9 at a random moment, then the same command: exactly 1000, no one twice" {
	start --fail-rate 0.1 --fault-seed 5 --latency-ms 2
	template=$(make_template)
	make_csv 1000 people.csv
	# Not under timeout: the kill must reach smile itself, not a wrapper.
	"$SMILE" --rate 0 invites send --file people.csv --template-id "$template" \
		--journal journal.jsonl -o ndjson >killed.out 2>killed.err &
	pid=$!
	sleep "$(awk 'BEGIN { srand(); printf "%.2f", 0.2 + rand() * 1.8 }')"
	kill -KILL "$pid"
	wait "$pid" || true
	! kill -0 "$pid" 2>/dev/null
	before=$(count_without_duplicates)
	echo "# killed with $before invites made, $(wc -l <journal.jsonl) journal lines" >&3
	[ "$before" -lt 1000 ]
	send_until_done 5 --rate 0 --file people.csv --template-id "$template" --journal journal.jsonl -o ndjson
	[ "$(count_without_duplicates)" -eq 1000 ]
}

@test "a 3000-row file with three bad rows: all three reported by line, exit 2, nothing sent" {
	start
	make_csv 3000 people.csv
	# Lines 18, 1501 and 3001 (the header is line 1).
	sed -i -e '18s/.*/x@,Bad Address,,/' -e '1501s/.*/p1500@example.com,,,/' \
		-e '3001s/.*/p3000@example.com,Too,Many,Fields,Here/' people.csv
	requests=$(stats requests)
	run "$SMILE" invites send --file people.csv --template-id ivt-1
	[ "$status" -eq 2 ]
	[[ $output == *"smile: people.csv:18: email 'x@' is not a valid address"* ]]
	[[ $output == *"smile: people.csv:1501: fullName is missing"* ]]
	[[ $output == *"smile: people.csv:3001: 5 fields where the header has 4"* ]]
	[[ $output == *"3 bad rows; nothing was sent"* ]]
	[ "$(stats requests)" -eq "$requests" ]
	[ "$(stats 'collections.invites // 0')" -eq 0 ]
}

@test "with the emulator's --rate-limit 20 and the default rate: no 429 failure, at least 19 per second" {
	start --rate-limit 20
	template=$(make_template)
	make_csv 200 people.csv
	sleep 1 # the emulator's bucket refills after the template
	t0=$(date +%s.%N)
	run timeout 120 "$SMILE" invites send --file people.csv --template-id "$template" -o ndjson
	t1=$(date +%s.%N)
	[ "$status" -eq 0 ]
	[ "$(grep -c '"status":"invited"' <<<"$output")" -eq 200 ]
	rate=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", 200 / (b - a) }')
	echo "# sustained rate: $rate/s, emulator rate-limited $(stats rateLimited) requests" >&3
	awk -v r="$rate" 'BEGIN { exit !(r >= 19) }'
	[ "$(stats collections.invites)" -eq 200 ]
}

@test "Ctrl-C finishes the requests in flight, journals them and exits 130; the next run completes" {
	start --latency-ms 50
	template=$(make_template)
	make_csv 300 people.csv
	# --rate 2: the 300 rows take 150 s, so the interrupt cannot come after
	# the last one went out, however loaded the machine (the first run of
	# this test, at full speed, sometimes had sent every row before the
	# signal, and rightly said nothing was left).
	timeout 120 "$SMILE" --rate 2 invites send --file people.csv --template-id "$template" \
		--journal journal.jsonl -o ndjson >int.out 2>int.err &
	pid=$!
	# Interrupt once sending has begun (a sent row is journaled), not after a
	# fixed sleep: on a loaded machine smile may not have reached its
	# SIGINT handler yet, and would die of the signal with nothing said.
	for ((i = 0; i < 600; i++)); do
		grep -q '"state":"sent"' journal.jsonl 2>/dev/null && break
		sleep 0.05
	done
	echo "# interrupted after $i polls" >&3
	kill -INT "$pid"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 130 ]
	grep -q "not sent (journal journal.jsonl); run the same command again to finish the [0-9]* left" int.err
	# Nothing is left in flight: every started row has its outcome.
	started=$(jq -r 'select(.state == "started") | .email' journal.jsonl | sort -u | wc -l)
	ended=$(jq -r 'select(.state != "started") | .email' journal.jsonl | sort -u | wc -l)
	[ "$started" -eq "$ended" ]
	sent=$(jq -r 'select(.state == "sent") | .email' journal.jsonl | wc -l)
	[ "$(count_without_duplicates)" -eq "$sent" ]
	left=$(sed -n 's/.* finish the \([0-9]*\) left$/\1/p' int.err)
	[ "$left" -eq $((300 - sent)) ]
	send_until_done 2 --rate 0 --file people.csv --template-id "$template" --journal journal.jsonl -o ndjson
	[ "$(count_without_duplicates)" -eq 300 ]
	grep -q "already done" err.1
}

@test "rows in flight when a run died are looked up, not sent again" {
	start
	template=$(make_template)
	make_csv 3 people.csv
	# Row 1 was sent; row 2 went out but the run died; row 3 never started.
	id=$("$SMILE" invites send --email p2@example.com --full-name "Person 2" --template-id "$template" -q \
		--fields id -o csv --no-header)
	{
		echo '{"row":1,"email":"p1@example.com","state":"started"}'
		echo '{"row":1,"email":"p1@example.com","state":"sent","inviteId":"iv-1"}'
		echo '{"row":2,"email":"p2@example.com","state":"started"}'
		printf '{"row":3,"email":"p3@exa' # torn by the crash
	} >journal.jsonl
	run "$SMILE" invites send --file people.csv --template-id "$template" --journal journal.jsonl -o ndjson
	[ "$status" -eq 0 ]
	results=$(grep '^{' <<<"$output")
	[ "$(jq -r 'select(.row == 2) | .inviteId' <<<"$results")" = "$id" ]
	[ "$(jq -r 'select(.row == 1) | .status' <<<"$results")" = already-invited ]
	[ "$(stats collections.invites)" -eq 2 ] # only p2 and p3 exist: p1's is fictitious
	[[ $output == *"2 invited, 0 failed, 1 already done"* ]]
}

@test "CSV details: BOM, CRLF, quotes, embedded line breaks, empty lines, a templateId column beats the flag" {
	start
	template=$(make_template)
	other=$(make_template)
	printf '\xef\xbb\xbfemail,fullName,templateId\r\n\r\na@example.com,"Dela Cruz, Juan",\r\n' >people.csv
	printf 'b@example.com,"Say ""hi""\nNewline",%s\r\n\n' "$other" >>people.csv
	run smile_stdout invites send --file people.csv --template-id "$template" -o json
	[ "$status" -eq 0 ]
	a=$(jq -r '.[] | select(.email == "a@example.com") | .inviteId' <<<"$output")
	b=$(jq -r '.[] | select(.email == "b@example.com") | .inviteId' <<<"$output")
	run "$SMILE" invites get "$a" -o json
	[ "$(jq -r .fullName <<<"$output")" = "Dela Cruz, Juan" ]
	[ "$(jq -r .templateId <<<"$output")" = "$template" ]
	run "$SMILE" invites get "$b" -o json
	[ "$(jq -r .fullName <<<"$output")" = $'Say "hi"\nNewline' ]
	[ "$(jq -r .templateId <<<"$output")" = "$other" ]
}

@test "JSON Lines from stdin, and the problems of JSON rows" {
	start
	template=$(make_template)
	printf '{"email":"a@example.com","fullName":"Ann"}\n\n{"email":"b@example.com","fullName":"Bob","firstName":"Bob"}\n' >people.jsonl
	run "$SMILE" invites send --file - --template-id "$template" -o ndjson <people.jsonl
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ] # two results and the summary (stderr is merged by run)
	printf '{"email":"c@example.com","fullName":7}\nnot json\n{"email":"d@example.com","fullName":"D","colour":"red"}\n' >bad.jsonl
	run "$SMILE" invites send --file bad.jsonl --template-id "$template"
	[ "$status" -eq 2 ]
	[[ $output == *"bad.jsonl:1: fullName is not a string"* ]]
	[[ $output == *"bad.jsonl:2: not a JSON object"* ]]
	[[ $output == *"bad.jsonl:3: unknown key 'colour'"* ]]
}

@test "two JSON objects on one line are a bad row, not one invitation and one lost" {
	start
	printf '{"email":"a@example.com","fullName":"Ann"}{"email":"b@example.com","fullName":"Bob"}\n' >two.jsonl
	run "$SMILE" invites send --file two.jsonl --template-id ivt-1
	[ "$status" -eq 2 ]
	[[ $output == *"two.jsonl:1: text after the JSON object"* ]]
	[ "$(stats requests)" -eq 0 ]
}

@test "values from the file in error messages: one line, no escape sequences, whole characters" {
	start
	printf 'email,"na\033[31mme\nx"\n' >esc.csv
	run "$SMILE" invites send --file esc.csv --template-id ivt-1
	[ "$status" -eq 2 ]
	[[ $output == *"esc.csv:1: unknown column 'na?[31mme?x'"* ]]
	[[ $output != *$'\033'* ]]
	[ "${#lines[@]}" -eq 2 ]
	printf 'email,fullName\n%s@x,Ann\n' "$(printf 'é%.0s' {1..70})" >u.csv
	run "$SMILE" invites send --file u.csv --template-id ivt-1
	[ "$status" -eq 2 ]
	[[ $output == *"u.csv:2: email '$(printf 'é%.0s' {1..57})...' is not a valid address"* ]]
	[ "$(stats requests)" -eq 0 ]
}

@test "bad header, duplicate rows, lengths, a missing template, an unclosed quote: all reported" {
	start
	printf 'email,full_name\na@example.com,Ann\n' >h.csv
	run "$SMILE" invites send --file h.csv --template-id ivt-1
	[ "$status" -eq 2 ]
	[[ $output == *"h.csv:1: unknown column 'full_name'"* ]]
	long=$(printf 'x%.0s' {1..201})
	printf 'email,fullName\na@example.com,Ann\nA@example.com,Ann again\nb@example.com,%s\nc@example.com,"never closed\n' \
		"$long" >p.csv
	run "$SMILE" invites send --file p.csv --template-id ivt-1
	[ "$status" -eq 2 ]
	[[ $output == *"p.csv:4: fullName is longer than 200 characters"* ]]
	[[ $output == *"p.csv:5: a quoted field is not closed"* ]]
	run "$SMILE" invites send --file p.csv
	[[ $output == *"p.csv:2: templateId is missing"* ]]
	printf 'email,fullName\na@example.com,Ann\nA@example.com,Ann again\n' >d.csv
	run "$SMILE" invites send --file d.csv --template-id ivt-1
	[ "$status" -eq 2 ]
	[[ $output == *"d.csv:3: A@example.com with template ivt-1 is already on line 2"* ]]
	[ "$(stats requests)" -eq 0 ]
}

@test "--dry-run checks and summarises, sends nothing" {
	start
	make_csv 10 people.csv
	run "$SMILE" invites send --file people.csv --template-id ivt-1 --dry-run --journal j.jsonl
	[ "$status" -eq 0 ]
	[[ $output == "would send 10 invitations from people.csv (0 of 10 already done; journal j.jsonl)" ]]
	[ ! -e j.jsonl ]
	[ "$(stats requests)" -eq 0 ]
}

@test "rows the API refuses are failed: exit 8, written to the failed file, which --file takes back" {
	start
	template=$(make_template)
	printf 'email,fullName,winkTemplateId\na@example.com,Ann,\nb@example.com,"Bob, Jr",no-such-wink\n' >people.csv
	run "$SMILE" invites send --file people.csv --template-id "$template" -o ndjson
	[ "$status" -eq 8 ]
	[[ $output == *'"status":"failed"'* ]]
	# The reason, in full, on stderr: a table would cut it.
	[[ $output == *"smile: row 2 (b@example.com): HTTP 400"*"winkTemplateId 'no-such-wink' is not an existing Wink template"* ]]
	[[ $output == *"1 invited, 1 failed, 0 already done"*"failed rows in people.failed.csv" ]]
	[ "$(sed -n 1p people.failed.csv)" = "email,fullName,firstName,lastName,templateId,winkTemplateId,error" ]
	# As the file gave it: no templateId (the flag filled it in), the reason last.
	[[ $(sed -n 2p people.failed.csv) == 'b@example.com,"Bob, Jr",,,,no-such-wink,'*"is not an existing Wink template"* ]]
	[ "$(wc -l <people.failed.csv)" -eq 2 ]
	run "$SMILE" invites send --file people.failed.csv --template-id "$template" --dry-run
	[ "$status" -eq 0 ]
	[[ $output == "would send 1 invitations"* ]]
	# Run again: the failed row is tried again, the sent one is not.
	run "$SMILE" invites send --file people.csv --template-id "$template" -o ndjson --failed again.csv
	[ "$status" -eq 8 ]
	[[ $output == *"0 invited, 1 failed, 1 already done"* ]]
	[ -f again.csv ]
	[ "$(stats collections.invites)" -eq 1 ]
}

@test "the failed-rows file goes back with a corrected flag (no value of a flag baked in)" {
	start
	template=$(make_template)
	make_csv 3 people.csv
	run "$SMILE" invites send --file people.csv --template-id "$template" --wink-template-id typo -o ndjson
	[ "$status" -eq 8 ]
	# Identical errors are told once.
	[[ $output == *"is not an existing Wink template"*": on all 3 rows"* ]]
	[ "$(grep -c "Wink template" <<<"$(grep -v '^{' <<<"$output")")" -eq 1 ]
	[ "$(tail -n +2 people.failed.csv | cut -d, -f5,6 | sort -u)" = "," ]
	run "$SMILE" invites send --file people.failed.csv --template-id "$template" --wink-template-id wtpl-right -o ndjson
	[ "$status" -eq 0 ]
	[[ $output == *"3 invited, 0 failed, 0 already done"* ]]
	[ "$(stats collections.invites)" -eq 3 ]
}

@test "-q prints the id of every invitation, sent now or before, and nothing for a failed row" {
	start
	template=$(make_template)
	printf 'email,fullName,templateId,winkTemplateId\na@example.com,Ann,%s,\nb@example.com,Bob,%s,bad\n' \
		"$template" "$template" >people.csv
	run smile_stdout invites send --file people.csv -q
	[ "$status" -eq 8 ]
	[[ $output == iv-* ]]
	[ "${#lines[@]}" -eq 1 ]
	sent=$output
	run smile_stdout invites send --file people.csv -q --failed again.csv
	[ "$output" = "$sent" ]
}

@test "single-invite flags do not mix with --file; bulk flags need --file" {
	start
	make_csv 2 people.csv
	run "$SMILE" invites send --file people.csv --email a@example.com --template-id ivt-1
	[ "$status" -eq 2 ]
	[[ $output == "smile: --email cannot be used with --file"* ]]
	run "$SMILE" invites send --journal j.jsonl --email a@example.com --full-name A --template-id ivt-1
	[ "$status" -eq 2 ]
	[[ $output == "smile: --journal needs --file" ]]
	run "$SMILE" invites send --file missing.csv --template-id ivt-1
	[ "$status" -eq 2 ]
	[[ $output == "smile: cannot read 'missing.csv': No such file or directory" ]]
}

@test "the default journal lives under XDG_STATE_HOME, is the tenant's, is private and holds no secret" {
	start
	template=$(make_template)
	make_csv 5 people.csv
	run "$SMILE" invites send --file people.csv --template-id "$template" -o ndjson
	[ "$status" -eq 0 ]
	journal=$(ls "$XDG_STATE_HOME"/smile/invites-sandbox-*.jsonl)
	[ "$(stat -c %a "$journal")" = 600 ]
	! grep -q -e "$EMU_SECRET" -e "$EMU_KEY" "$journal"
	[[ $journal != *"$EMU_KEY"* ]]
	[[ $output == *"(journal $journal)"* ]]
	[ "$(jq -r .state "$journal" | sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ')" = "sent=5 started=5 " ]
	# Another URL of the same account is the same tenant: all done there.
	run "$SMILE" --base-url "${EMU_URL/127.0.0.1/localhost}" invites send --file people.csv --template-id "$template" --dry-run
	[[ $output == *"(5 of 5 already done"* ]]
	# Another API key is another tenant.
	run env SMILE_API_KEY=other-key "$SMILE" invites send --file people.csv --template-id "$template" --dry-run
	[[ $output == *"(0 of 5 already done"* ]]
	[[ $output != *"$journal"* ]]
}

@test "exactly once per person across files, URLs and an emulator restarted on another port" {
	start --state state.json
	template=$(make_template)
	make_csv 50 people.csv
	run "$SMILE" invites send --file people.csv --template-id "$template" -o ndjson
	[ "$status" -eq 0 ]
	# Two people more, in another file, in another order, another case,
	# through another URL of the same server.
	{
		echo "email,fullName"
		echo "new1@example.com,New One"
		tail -n +2 people.csv | cut -d, -f1,2 | tac | sed 's/^p1@/P1@/'
		echo "new2@example.com,New Two"
	} >more.csv
	run "$SMILE" --base-url "${EMU_URL/127.0.0.1/localhost}" invites send --file more.csv --template-id "$template" -o ndjson
	[ "$status" -eq 0 ]
	[[ $output == *"2 invited, 0 failed, 50 already done"* ]]
	[ "$(grep -c '"status":"already-invited"' <<<"$output")" -eq 50 ]
	[ "$(stats collections.invites)" -eq 52 ]
	# The emulator restarted with its state on another port: the same tenant.
	emulator_stop
	start --state state.json
	requests=$(stats requests)
	run "$SMILE" invites send --file more.csv --template-id "$template" -o ndjson
	echo "$output" | grep -v '^{' # shown when the test fails
	[ "$status" -eq 0 ]
	[[ $output == *"0 invited, 0 failed, 52 already done"* ]]
	[ "$(stats requests)" -eq "$requests" ] # nothing to send, nothing asked
	# Another template is another invitation.
	other=$(make_template)
	head -3 people.csv >two.csv
	run "$SMILE" invites send --file two.csv --template-id "$other" -o ndjson
	[[ $output == *"2 invited, 0 failed, 0 already done"* ]]
	# --resend sends again on purpose.
	run "$SMILE" invites send --file two.csv --template-id "$other" --resend -o ndjson
	[ "$status" -eq 0 ]
	[[ $output == *"2 invited, 0 failed, 0 already done"* ]]
	[ "$(stats collections.invites)" -eq 56 ]
	run "$SMILE" invites send --file two.csv --template-id "$other" --resend --check-server
	[ "$status" -eq 2 ]
	[[ $output == "smile: --resend and --check-server cannot be used together" ]]
}

@test "--check-server skips the people invited elsewhere, and records them" {
	start
	template=$(make_template)
	make_csv 4 people.csv
	# p2 and p3 were invited by another machine (another journal).
	for n in 2 3; do
		"$SMILE" invites send --email "P$n@example.com" --full-name "Person $n" --template-id "$template" -q >/dev/null
	done
	run "$SMILE" invites send --file people.csv --template-id "$template" --check-server -o ndjson
	[ "$status" -eq 0 ]
	[[ $output == *"2 invited, 0 failed, 2 already done"* ]]
	[ "$(jq -r 'select(.status == "already-invited") | .email' <<<"$(grep '^{' <<<"$output")" | tr '\n' ' ')" = \
		"p2@example.com p3@example.com " ]
	[[ $(jq -r 'select(.row == 2) | .inviteId' <<<"$(grep '^{' <<<"$output")") == iv-* ]]
	[ "$(stats collections.invites)" -eq 4 ]
	# Recorded: the next run needs no server check to know.
	run "$SMILE" invites send --file people.csv --template-id "$template" --dry-run
	[[ $output == *"(4 of 4 already done"* ]]
}

@test "--shard K/N: N senders with their own journals invite everyone exactly once" {
	start
	template=$(make_template)
	make_csv 300 people.csv
	total=0
	for k in 1 2 3; do
		run "$SMILE" --rate 0 invites send --file people.csv --template-id "$template" --shard "$k/3" \
			--journal "j$k.jsonl" -o ndjson
		[ "$status" -eq 0 ]
		n=$(grep -c '"status":"invited"' <<<"$output")
		echo "# shard $k/3: $n rows" >&3
		[ "$n" -gt 50 ] # a fair slice (300 / 3 = 100 expected)
		total=$((total + n))
	done
	[ "$total" -eq 300 ]
	[ "$(count_without_duplicates)" -eq 300 ]
	# Stable: the same slice again is all done; a reordered file slices alike.
	(head -1 people.csv; tail -n +2 people.csv | tac) >reversed.csv
	run "$SMILE" invites send --file reversed.csv --template-id "$template" --shard 2/3 --journal j2.jsonl --dry-run
	[[ $output =~ \(([0-9]+)\ of\ ([0-9]+)\ already\ done ]]
	[ "${BASH_REMATCH[1]}" -eq "${BASH_REMATCH[2]}" ]
	for bad in 0/3 4/3 3 a/b 1/0 -1/3 1/1000001; do
		run "$SMILE" invites send --file people.csv --template-id "$template" --shard "$bad"
		[ "$status" -eq 2 ]
		[[ $output == "smile: --shard '$bad' is not K/N with 1 <= K <= N <= 1000000 (for example 2/8)" ]]
	done
}

@test "a template that does not exist stops the run before any invitation is sent" {
	start
	template=$(make_template)
	make_csv 50 people.csv
	requests=$(stats requests)
	run "$SMILE" invites send --file people.csv --template-id ivt-typo
	[ "$status" -eq 2 ]
	[[ $output == "smile: invite template 'ivt-typo' does not exist (50 rows would use it); nothing was sent" ]]
	[ "$(stats requests)" -eq $((requests + 1)) ] # the one GET, no POST /invites
	[ "$(stats 'collections.invites // 0')" -eq 0 ]
	# One GET per distinct template.
	printf 'email,fullName,templateId\na@example.com,A,%s\nb@example.com,B,%s\nc@example.com,C,ivt-gone\n' \
		"$template" "$template" >mixed.csv
	requests=$(stats requests)
	run "$SMILE" invites send --file mixed.csv
	[ "$status" -eq 2 ]
	[[ $output == "smile: invite template 'ivt-gone' does not exist (1 row would use it); nothing was sent" ]]
	[ "$(stats requests)" -le $((requests + 3)) ]
	[ "$(stats 'collections.invites // 0')" -eq 0 ]
}

@test "500 rows without --template-id: one line says so, not 500" {
	start
	make_csv 500 people.csv
	run "$SMILE" invites send --file people.csv
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "smile: people.csv: templateId is missing on all 500 rows" ]
	[ "${lines[1]}" = "smile: people.csv: 500 bad rows; nothing was sent" ]
	sed -i -e '3s/.*/p2@example.com,,,/' -e '4s/.*/p3@example.com,,,/' people.csv
	run "$SMILE" invites send --file people.csv --template-id ivt-1
	[ "$status" -eq 2 ]
	[[ ${lines[0]} == "smile: people.csv:3: fullName is missing (also on 1 more row: line 4)" ]]
}

@test "all missing required options of a single invite are reported at once" {
	run env SMILE_API_KEY=k SMILE_API_SECRET=s SMILE_BASE_URL=http://127.0.0.1:9/v1 "$SMILE" invites send --email a@example.com
	[ "$status" -eq 2 ]
	[ "$output" = "smile: missing required options --full-name (or 'fullName' in --input), --template-id (or 'templateId' in --input)" ]
}

@test "without HOME or with a relative XDG_STATE_HOME the journal is still found from any directory" {
	start
	make_csv 2 people.csv
	home=$(getent passwd "$(id -u)" | cut -d: -f6)
	run env -u HOME XDG_STATE_HOME=relative "$SMILE" invites send --file people.csv --template-id ivt-1 --dry-run
	[ "$status" -eq 0 ]
	[[ $output == *"journal $home/.local/state/smile/invites-"*".jsonl)" ]]
}

@test "a journal of the previous format at its old default path still counts" {
	start
	template=$(make_template)
	make_csv 2 people.csv
	id=$("$SMILE" invites send --email p1@example.com --full-name "Person 1" --template-id "$template" -q)
	# The old name: FNV-1a over the input, base URL, profile, template flags.
	old=$(python3 - people.csv "$EMU_URL" "$template" <<'PY'
import sys
h = 14695981039346656037
def add(data):
    global h
    for b in data + b"\xff":
        h = ((h ^ b) * 1099511628211) % (1 << 64)
add(open(sys.argv[1], "rb").read())
for part in (sys.argv[2], "", sys.argv[3], ""):
    add(part.encode())
print("invites-%016x.jsonl" % h)
PY
	)
	mkdir -p "$XDG_STATE_HOME/smile"
	echo "{\"row\":1,\"email\":\"p1@example.com\",\"state\":\"sent\",\"inviteId\":\"$id\"}" >"$XDG_STATE_HOME/smile/$old"
	run "$SMILE" invites send --file people.csv --template-id "$template" -o ndjson
	[ "$status" -eq 0 ]
	[[ $output == *"1 invited, 0 failed, 1 already done"* ]]
	[ "$(stats collections.invites)" -eq 2 ]
	# Carried into the tenant's journal: the old file is no longer needed.
	rm "$XDG_STATE_HOME/smile/$old"
	run "$SMILE" invites send --file people.csv --template-id "$template" --dry-run
	[[ $output == *"(2 of 2 already done"* ]]
}

@test "a journal of another input is refused" {
	start
	make_csv 2 people.csv
	echo '{"row":1,"email":"someone@else.com","state":"sent","inviteId":"iv-1"}' >journal.jsonl
	run "$SMILE" invites send --file people.csv --template-id ivt-1 --journal journal.jsonl
	[ "$status" -eq 2 ]
	[[ $output == *"journal 'journal.jsonl' belongs to another input"* ]]
	[ "$(stats requests)" -eq 0 ]
}

@test "a file that is not a journal is refused and left as it was" {
	start
	make_csv 2 people.csv
	printf 'email,fullName\nlast@example.com,Last Line' >other.csv
	cp other.csv other.orig
	for mode in "" --dry-run; do
		run "$SMILE" invites send --file people.csv --template-id ivt-1 --journal other.csv $mode
		[ "$status" -eq 2 ]
		[[ $output == "smile: 'other.csv' is not a smile journal; refusing to write to it (give --journal a new file)" ]]
		cmp other.csv other.orig
	done
	[ "$(stats requests)" -eq 0 ]
}

@test "no progress line when stderr is not a terminal: only the summary" {
	start
	template=$(make_template)
	make_csv 3 people.csv
	"$SMILE" invites send --file people.csv --template-id "$template" -o ndjson >out 2>err
	[ "$(wc -l <err)" -eq 1 ]
	! grep -q $'\r' err
	[[ $(cat err) == "smile: 3 invited, 0 failed, 0 already done (journal "* ]]
}

@test "a second run on the same journal is refused while the first is running" {
	start --latency-ms 100
	template=$(make_template)
	make_csv 50 people.csv
	timeout 120 "$SMILE" invites send --file people.csv --template-id "$template" --journal j.jsonl \
		-o ndjson >first.out 2>first.err &
	pid=$!
	for ((i = 0; i < 100; i++)); do [ -s j.jsonl ] && break; sleep 0.05; done
	run "$SMILE" invites send --file people.csv --template-id "$template" --journal j.jsonl
	[ "$status" -eq 1 ]
	[[ $output == "smile: journal 'j.jsonl' is in use by another run of this command" ]]
	wait "$pid"
	[ "$(count_without_duplicates)" -eq 50 ]
}
