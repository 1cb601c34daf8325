#!/usr/bin/env bash
# The quick start: on a fresh Debian 12 machine, installs what is missing,
# builds smile and smile-emulator, starts the emulator on a free loopback
# port and runs the main job against it: create a user and print its link
# token, list providers, create an invite template, invite the people of
# examples/invites.csv and list the invitations.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "install dependencies"
tests/install-deps
step "build"
[[ -d build ]] || meson setup build >/dev/null
ninja -C build >/dev/null
export PATH=$PWD/build/src:$PWD/build/src/emulator:$PATH

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
