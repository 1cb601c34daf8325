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

# Call from setup_file: skips the whole file when the browser is missing.
browser_require() {
	[[ -x $CHROMIUM ]] || skip "no Chromium at $CHROMIUM (tests/install-deps installs Debian's)"
	command -v node >/dev/null || skip "no node (tests/install-deps installs it)"
	[[ -f $BROWSER_DIR/node_modules/playwright-core/package.json ]] ||
		skip "playwright-core is not installed in tests/browser (tests/install-deps)"
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
