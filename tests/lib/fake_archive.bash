# The fake archive API (tests/lib/fake_archive_server.py) for bats tests:
#   load ../lib/fake_archive
#   @test ... { fake_archive_api; ...; }   teardown() { fake_archive_stop; }

# fake_archive_api: starts tests/lib/fake_archive_server.py (bounded wait for
# its port) and sets FAKE_URL (its /v1 base), FAKE_PID and FAKE_LOG.
# The port file exists before the server starts: a background job's
# redirection is made in the child, so reading it right after '&' could find
# no file at all on a loaded machine. The wait ends early if the server dies.
fake_archive_api() {
	local i port= port_file=$BATS_TEST_TMPDIR/fake-port
	FAKE_LOG=$BATS_TEST_TMPDIR/fake-requests.log
	: >"$FAKE_LOG"
	: >"$port_file"
	python3 "$BATS_TEST_DIRNAME/../lib/fake_archive_server.py" "$FAKE_LOG" >>"$port_file" &
	FAKE_PID=$!
	for ((i = 0; i < 600; i++)); do
		port=$(head -n 1 "$port_file")
		[[ $port =~ ^[0-9]+$ ]] && break
		kill -0 "$FAKE_PID" 2>/dev/null || break
		sleep 0.1
	done
	[[ $port =~ ^[0-9]+$ ]] || { echo "fake_archive_server.py gave no port within 60 s" >&2; return 1; }
	FAKE_URL=http://127.0.0.1:$port/v1
}

# Stops the fake server of this test, if one was started.
fake_archive_stop() {
	if [[ -n ${FAKE_PID:-} ]]; then
		kill "$FAKE_PID" 2>/dev/null || true
		wait "$FAKE_PID" 2>/dev/null || true
		FAKE_PID=
	fi
}
