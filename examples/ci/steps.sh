#!/usr/bin/env bash
# The steps of the CI examples (github-actions.yml, gitlab-ci.yml), as one
# script so that the jobs and smile's own test suite run the same lines.
#   steps.sh seed MANIFEST      apply it; ids and tokens go to the env file
#   steps.sh test ENV_FILE      a stand-in for your tests: reads the env file
#   steps.sh teardown MANIFEST  delete what the manifest created
# Needs smile on PATH and SMILE_BASE_URL, SMILE_API_KEY, SMILE_API_SECRET;
# the example manifest also reads HOOK_URL and HOOK_SECRET.
set -euo pipefail

step=${1:?usage: steps.sh seed|test|teardown FILE}
file=${2:?usage: steps.sh seed|test|teardown FILE}

case $step in
seed)
	# GitHub Actions reads $GITHUB_ENV; elsewhere the file is smile.env.
	smile apply -f "$file" --env-file "${GITHUB_ENV:-smile.env}" -o json >"$(basename "$file" .yaml).json"
	;;
test)
	# The env file as GitHub reads it (NAME=value, values may hold spaces;
	# NAME<<DELIMITER for multi-line ones), not as a shell script.
	while IFS= read -r line; do
		if [[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*)\<\<(.+)$ ]]; then
			name=${BASH_REMATCH[1]} delim=${BASH_REMATCH[2]} value=
			while IFS= read -r l && [[ $l != "$delim" ]]; do value+=${value:+$'\n'}$l; done
			export "$name=$value"
		elif [[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]]; then
			export "${BASH_REMATCH[1]}=${BASH_REMATCH[2]}"
		fi
	done <"$file"
	: "${GEORGE_USER_ID:?the env file names no GEORGE_USER_ID}"
	: "${GEORGE_TOKEN_ACCESS_TOKEN:?the env file names no GEORGE_TOKEN_ACCESS_TOKEN}"
	# What a test of the system under test would do with the seeded data.
	smile users get "$GEORGE_USER_ID" -o json | grep -q "\"$GEORGE_USER_ID\""
	smile invite-templates get "$HR_ID" -o json | grep -q '"CI onboarding"'
	# archives.yaml, when it was seeded too: its archive of files/payslip.pdf.
	if [[ -n ${PAYSLIP_ID:-} ]]; then
		smile archives get "$PAYSLIP_ID" -o json | grep -q '"payslip.pdf"'
	fi
	echo "seeded user $GEORGE_USER_ID, account $GEORGE_ACCOUNT_ID, template $HR_ID${PAYSLIP_ID:+, archive $PAYSLIP_ID}"
	;;
teardown)
	smile apply -f "$file" --delete --yes
	;;
*)
	echo "steps.sh: unknown step '$step'" >&2
	exit 2
	;;
esac
