#!/usr/bin/env bats
# Reads are safe to retry: under injected faults (500, 503, 429, dropped
# connections) a GET is tried again, page by page, and --all still prints
# every item. The fault sequence is seeded, so the run is the same each
# time; seed 6 puts a 500 on the third page, which used to end the listing
# after 300 of 500 ids with exit 6.

load ../lib/emulator

setup_file() {
	emulator_start --fail-rate 0.2 --fault-seed 6
	curl -sf -u "$EMU_KEY:$EMU_SECRET" -X POST -H 'Content-Type: application/json' \
		--data '{"users": 1, "invites": 500}' "$EMU_BASE/_emulator/seed" >/dev/null
}

teardown_file() { emulator_stop; }

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
}

@test "invites list --all prints every id through injected faults, exit 0" {
	run "$SMILE" --rate 0 invites list --all -q
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 500 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '^iv-')" -eq 500 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort -u | wc -l)" -eq 500 ]
	faults=$(curl -sf -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq '.data.faults.serverError')
	[ "$faults" -ge 1 ]
}
