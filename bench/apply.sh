#!/usr/bin/env bash
# smile apply against a local smile-emulator (no rate limit, no faults), in
# the same run, the emulator reset between runs:
#   A. a manifest of 1 template, 1,000 invites and 100 users:
#        smile --rate 0 apply -f seed.yaml      (state file, an fdatasync per batch)
#        a shell script of smile calls doing the same (one process per object)
#   B. the 1,000 invites alone:
#        smile --rate 0 apply -f invites.yaml
#        smile --rate 0 invites send --file people.csv (its journal, fdatasync)
# Each is run `runs` times (the shell script once: it is the slow side); the
# median seconds and the ratios are reported, and every run is checked to
# have made exactly what it should.
# usage: bench/apply.sh [BUILD_DIR] [runs]   (results: bench/results/apply.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-3}
smile=$PWD/$build/src/smile
. bench/lib.sh
bench_start_emulator "$build"
n_invites=1000 n_users=100

template_body() {
	cat <<'YAML'
      name: Bench
      company: {name: Example, logoUrl: "https://example.com/l.png"}
      email: {sendEmail: false, senderName: Example, replyAddress: hr@example.com, subject: Connect, body: Please connect.}
      landingPage: {header: Hi, description: Connect, button: Start}
      successPage: {header: Thanks, description: Done, button: Close}
YAML
}

write_manifests() {
	{
		echo "resources:"
		echo "  hr:"
		echo "    type: invite-templates"
		echo "    body:"
		template_body
		echo "  people:"
		echo "    type: invites"
		echo "    count: $n_invites"
		echo '    body: {email: "p${index}@example.com", fullName: "Person ${index}", templateId: "${hr.id}"}'
	} >"$work/invites.yaml"
	cp "$work/invites.yaml" "$work/seed.yaml"
	{
		echo "  crowd:"
		echo "    type: users"
		echo "    count: $n_users"
		echo '    body: {externalMetadata: {n: "${index}"}}'
	} >>"$work/seed.yaml"
	template_body | sed 's/^      //' >"$work/template.yaml"
}

reset_emulator() {
	curl -sf -X POST -u "$auth" "${url%/v1}/_emulator/reset" >/dev/null
	rm -rf "$work/state" "$work"/*.state
}

count() {
	curl -sf -u "$auth" "${url%/v1}/_emulator/stats" | jq -r ".data.collections.$1 // 0"
}

run_apply_seed() { "$smile" --rate 0 apply -f "$work/seed.yaml" >/dev/null 2>&1; }
run_apply_invites() { "$smile" --rate 0 apply -f "$work/invites.yaml" >/dev/null 2>&1; }

# What a person writes today: one smile call per object, ids kept in shell.
run_shell() {
	local template i
	template=$("$smile" --rate 0 invite-templates create --input "$work/template.yaml" -q)
	for ((i = 0; i < n_invites; i++)); do
		"$smile" --rate 0 invites send --email "p$i@example.com" --full-name "Person $i" \
			--template-id "$template" -q >/dev/null
	done
	for ((i = 0; i < n_users; i++)); do
		"$smile" --rate 0 users create --metadata "n=$i" -q >/dev/null
	done
}

run_bulk() {
	local template
	template=$("$smile" --rate 0 invite-templates create --input "$work/template.yaml" -q)
	{
		echo "email,fullName,templateId"
		seq 0 $((n_invites - 1)) | awk -v t="$template" '{ printf "p%d@example.com,Person %d,%s\n", $1, $1, t }'
	} >"$work/people.csv"
	"$smile" --rate 0 invites send --file "$work/people.csv" -o ndjson >/dev/null 2>&1
}

# Median seconds of `times` runs of one way; checks what every run made.
measure() { # FN TIMES USERS
	local fn=$1 times=$2 users=$3 i t0 t1 all=()
	for ((i = 0; i < times; i++)); do
		reset_emulator
		t0=$(date +%s.%N)
		"$fn"
		t1=$(date +%s.%N)
		[ "$(count invites)" -eq $n_invites ] || { echo "$fn made $(count invites) invites" >&2; exit 1; }
		[ "$(count inviteTemplates)" -eq 1 ] || { echo "$fn made $(count inviteTemplates) templates" >&2; exit 1; }
		# Each invite makes its user in the emulator; the manifest's users come on top.
		[ "$(count users)" -eq $((n_invites + users)) ] || { echo "$fn made $(count users) users" >&2; exit 1; }
		all+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
	done
	printf '%s\n' "${all[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

write_manifests
apply_seed=$(measure run_apply_seed "$runs" $n_users)
shell=$(measure run_shell 1 $n_users)
apply_invites=$(measure run_apply_invites "$runs" 0)
bulk=$(measure run_bulk "$runs" 0)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
{
	echo "bench/apply.sh: $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD), $(nproc) cores, median of $runs (shell: 1)"
	echo "A. 1 template, $n_invites invites, $n_users users"
	printf '  %-44s %8.3f s\n' "smile --rate 0 apply -f seed.yaml" "$apply_seed"
	printf '  %-44s %8.3f s  (%sx apply)\n' "shell script of smile calls" "$shell" "$(ratio "$shell" "$apply_seed")"
	echo "B. 1 template, $n_invites invites"
	printf '  %-44s %8.3f s\n' "smile --rate 0 apply -f invites.yaml" "$apply_invites"
	printf '  %-44s %8.3f s  (%sx apply)\n' "smile --rate 0 invites send --file" "$bulk" "$(ratio "$bulk" "$apply_invites")"
}
