#!/usr/bin/env bash
# The quick start: on a fresh Debian 12 machine, installs what is missing,
# builds smile and smile-emulator, starts the emulator on a free loopback
# port and runs the main job against it: create a user and print its link
# token, list providers, create an invite template, invite the people of
# examples/invites.csv and list the invitations.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "install dependencies   (to build and run; tests/install-deps adds the test tools)"
tests/install-deps --build-only
step "build"
# SMILE_BUILD: a build directory to use instead of build/ (the tests set it).
build=${SMILE_BUILD:-$PWD/build}
[[ -d $build ]] || meson setup "$build" >/dev/null
ninja -C "$build" >/dev/null
export PATH=$build/src:$build/src/emulator:$PATH

step "start smile-emulator"
work=$(mktemp -d)
smile-emulator --port 0 >"$work/emulator.out" &
emulator=$!
trap 'kill $emulator 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
	grep -q '^listening on ' "$work/emulator.out" && break
	sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$work/emulator.out")
[[ -n $url ]] || { echo "smile-emulator did not start" >&2; exit 1; }
echo "$url"

# A profile for the emulator, written by smile itself (0600, atomic).
export SMILE_CONFIG=$work/config.yaml
smile config set base_url "$url" --profile local
smile config set api_key emulator-key --profile local
echo emulator-secret | smile config set api_secret --profile local
smile config set rate 0 --profile local
smile config use local

step "smile users create   (the id and link token a backend hands to the Wink widget)"
smile users create --metadata source=quickstart -o table

step "smile providers list -o table"
smile providers list -o table

step "smile invite-templates create"
template=$(smile invite-templates create --input examples/invite-template.yaml -q)
echo "$template"

step "smile invites send --file examples/invites.csv   (concurrent, rate-limited, exactly once)"
smile invites send --file examples/invites.csv --template-id "$template" \
	--journal "$work/invites.journal" -o table

step "smile invites list -o table"
smile invites list -o table

# A profile for a smile-emulator on its default port, in the user's own
# config file ($XDG_CONFIG_HOME/smile/config.yaml), written by smile itself
# (0600, atomic); a profile already called emulator is never touched.
offer_emulator_profile() {
	local own=(env -u SMILE_CONFIG -u SMILE_PROFILE smile) names answer
	names=$("${own[@]}" config profiles -o csv 2>/dev/null) ||
		{ echo "your config file could not be read: no profile written"; return 0; }
	if cut -d, -f1 <<<"$names" | grep -qx emulator; then
		echo "your config file already has a profile 'emulator': left as it is"
		return 0
	fi
	if [[ -t 0 ]]; then
		read -r -p "add a profile 'emulator' (smile-emulator on port 8080) to your config? [Y/n] " answer
		[[ $answer == [nN]* ]] && return 0
	fi
	"${own[@]}" config set base_url http://127.0.0.1:8080/v1 --profile emulator
	"${own[@]}" config set api_key emulator-key --profile emulator
	echo emulator-secret | "${own[@]}" config set api_secret --profile emulator
	"${own[@]}" config set rate 0 --profile emulator
	echo "added the profile 'emulator' to your config file"
}

step "keep going"
offer_emulator_profile
cat <<EOT

smile and smile-emulator are in $build: put them on PATH for this shell,
or install them (with the man pages and completion) for good:

  export PATH="$build/src:$build/src/emulator:\$PATH"
  sudo meson install -C $build

Then, with an emulator running on its default port:

  smile-emulator &
  smile --profile emulator users list -o table
  smile help smile          # the manual (man -l $build/man/smile.1 works too)
EOT
