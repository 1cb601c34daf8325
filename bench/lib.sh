# Sourced by the bench scripts: one smile-emulator on a free loopback port
# for the run, and smile pointed at it.
# bench_start_emulator BUILD_DIR: sets work (a scratch directory, removed at
# exit with the emulator), emu (its pid), url (its /v1 base URL) and auth
# (its credentials for curl), and exports SMILE_BASE_URL, SMILE_API_KEY,
# SMILE_API_SECRET, SMILE_CONFIG (a file that does not exist: no profile)
# and XDG_STATE_HOME (invites' and apply's records stay in work).
bench_start_emulator() {
	work=$(mktemp -d)
	"$1/src/emulator/smile-emulator" --port 0 >"$work/out" 2>/dev/null &
	emu=$!
	trap 'kill $emu 2>/dev/null; rm -rf "$work"' EXIT
	for _ in $(seq 100); do grep -q listening "$work/out" && break; sleep 0.1; done
	url=$(sed -n 's/^listening on //p' "$work/out")
	[ -n "$url" ] || { echo "smile-emulator did not start" >&2; exit 1; }
	auth=emulator-key:emulator-secret
	export SMILE_BASE_URL=$url SMILE_API_KEY=emulator-key SMILE_API_SECRET=emulator-secret
	export SMILE_CONFIG=$work/none.yaml XDG_STATE_HOME=$work/state
}
