#!/usr/bin/env bats
# --all streams: each page is written and released before the next is
# fetched, so the memory smile needs does not grow with the number of
# pages. Measured as peak RSS (a size, not a time), for 1,500 and for
# 60,000 items of the same kind.

load ../lib/emulator

setup_file() {
	emulator_start
	curl -sf -u "$EMU_KEY:$EMU_SECRET" -X POST -H 'Content-Type: application/json' \
		--data '{"users": 60000}' "$EMU_BASE/_emulator/seed" >/dev/null
}

teardown_file() { emulator_stop; }

setup() {
	[ -x /usr/bin/time ] || skip "/usr/bin/time is not installed"
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
}

# Under AddressSanitizer freed memory sits in a quarantine that would be
# counted as RSS; a small one keeps the measurement about smile.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4

peak_kb() { # FORMAT LIMIT: peak RSS of smile users list --all, in kB
	/usr/bin/time -f %M -o "$BATS_TEST_TMPDIR/rss" \
		"$SMILE" --rate 0 users list --all --limit "$2" -o "$1" >"$BATS_TEST_TMPDIR/out"
	cat "$BATS_TEST_TMPDIR/rss"
}

count() { wc -l <"$BATS_TEST_TMPDIR/out"; }

@test "--all -o ndjson: 40 times the items, not more memory" {
	small=$(peak_kb ndjson 1500)
	[ "$(count)" -eq 1500 ]
	large=$(peak_kb ndjson 60000)
	[ "$(count)" -eq 60000 ]
	echo "peak RSS: $small kB for 1500 items, $large kB for 60000"
	# Allocator noise is a few MB at most; keeping the items would be ~100 MB.
	[ "$large" -lt $((small + 8192)) ]
}

@test "--all -o json streams one array too" {
	small=$(peak_kb json 1500)
	large=$(peak_kb json 60000)
	[ "$(jq length "$BATS_TEST_TMPDIR/out")" -eq 60000 ]
	echo "peak RSS: $small kB for 1500 items, $large kB for 60000"
	[ "$large" -lt $((small + 8192)) ]
}
