# Shared by the browser tests: Debian's Chromium, driven headless by
# drive.mjs (playwright-core from tests/browser/node_modules, installed by
# tests/install-deps; never a downloaded browser). Without them every test
# says it skipped.
#
# Screenshots of each widget screen go to $SMILE_SCREENSHOTS (default
# ${TMPDIR:-/tmp}/smile-screenshots), one folder per test; never committed.

source "$BATS_TEST_DIRNAME/../lib/emulator.bash"

BROWSER_DIR=$BATS_TEST_DIRNAME
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM

# Why the browser tests cannot run (empty when they can).
browser_missing() {
	if [[ ! -x $CHROMIUM ]]; then
		echo "no Chromium at $CHROMIUM (tests/install-deps installs Debian's)"
	elif ! command -v node >/dev/null; then
		echo "no node (tests/install-deps installs it)"
	elif [[ ! -f $BROWSER_DIR/node_modules/playwright-core/package.json ]]; then
		echo "playwright-core is not installed in tests/browser (tests/install-deps)"
	fi
}

# Call from setup_file: true when the browser is there, else notes why for
# browser_skip. bats 1.8 cannot skip from setup_file (it reports "setup_file
# failed"), so each test skips itself instead.
browser_require() {
	BROWSER_MISSING=$(browser_missing)
	export BROWSER_MISSING
	[[ -z $BROWSER_MISSING ]]
}

# Call first in setup: skips the test when the browser is missing.
browser_skip() {
	[[ -z ${BROWSER_MISSING:-} ]] || skip "$BROWSER_MISSING"
}

# The folder for this test's screenshots.
shots_dir() {
	local base=${SMILE_SCREENSHOTS:-${TMPDIR:-/tmp}/smile-screenshots}
	echo "$base/$(basename "$BATS_TEST_FILENAME" .bats)/$BATS_TEST_NUMBER"
}

# drive [--page FILE] URL STEP...: see drive.mjs. Screenshots go to shots_dir.
drive() {
	local dir
	dir=$(shots_dir)
	rm -rf "$dir"
	node "$BROWSER_DIR/drive.mjs" --shots "$dir" "$@"
}

# A new user's link token from the emulator (POST /users, as a backend does).
new_link_token() {
	curl -sf -u "$EMU_KEY:$EMU_SECRET" -H 'Content-Type: application/json' -d '{}' \
		"$EMU_URL/users" | jq -r .data.token.accessToken
}

emu_get() { # PATH: GET with the API key, prints the body
	curl -sf -u "$EMU_KEY:$EMU_SECRET" "$EMU_URL$1"
}
