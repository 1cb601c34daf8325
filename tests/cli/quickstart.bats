#!/usr/bin/env bats
# examples/quickstart.sh, as a new user runs it: in a HOME of its own, it
# ends by saying how to keep going and leaves a working emulator profile.

setup() {
	export SMILE_BUILD=${SMILE_BUILD:?}
	export HOME=$BATS_TEST_TMPDIR/home XDG_CONFIG_HOME=$BATS_TEST_TMPDIR/home/.config
	mkdir -p "$HOME"
	unset SMILE_CONFIG SMILE_PROFILE SMILE_API_KEY SMILE_API_SECRET SMILE_BASE_URL
	QUICKSTART=$BATS_TEST_DIRNAME/../../examples/quickstart.sh
	CONFIG=$XDG_CONFIG_HOME/smile/config.yaml
}

@test "the quick start ends with how to keep going and a ready emulator profile (0600)" {
	run "$QUICKSTART" </dev/null
	[ "$status" -eq 0 ]
	[[ $output == *"added the profile 'emulator' to your config file"* ]]
	[[ $output == *"export PATH=\"$SMILE_BUILD/src:$SMILE_BUILD/src/emulator:\$PATH\""* ]]
	[[ $output == *"sudo meson install -C $SMILE_BUILD"* ]]
	[ "${lines[-1]}" = "  smile help smile          # the manual (man -l $SMILE_BUILD/man/smile.1 works too)" ]
	[ "$(stat -c %a "$CONFIG")" = 600 ]
	# The profile works against an emulator on the port it names: run one
	# there only when that port is free, else on a free port with --base-url.
	PATH=$SMILE_BUILD/src:$SMILE_BUILD/src/emulator:$PATH
	smile-emulator --port 0 >"$BATS_TEST_TMPDIR/emu.out" &
	emu=$!
	for _ in $(seq 100); do grep -q '^listening on ' "$BATS_TEST_TMPDIR/emu.out" && break; sleep 0.1; done
	url=$(sed -n 's/^listening on //p' "$BATS_TEST_TMPDIR/emu.out")
	[ "$(smile --profile emulator config get base_url)" = "http://127.0.0.1:8080/v1" ]
	run smile --profile emulator --base-url "$url" users create -q
	kill "$emu"
	[ "$status" -eq 0 ]
	[ -n "$output" ]
}

@test "the quick start never overwrites a profile called emulator" {
	mkdir -p "$(dirname "$CONFIG")"
	"$SMILE_BUILD/src/smile" config set api_key mine --profile emulator
	"$SMILE_BUILD/src/smile" config set base_url https://example.com/v1 --profile emulator
	before=$(cat "$CONFIG")
	run "$QUICKSTART" </dev/null
	[ "$status" -eq 0 ]
	[[ $output == *"your config file already has a profile 'emulator': left as it is"* ]]
	[ "$(cat "$CONFIG")" = "$before" ]
}
