# SPDX-License-Identifier: MIT
# Helpers to run a Prism validating proxy in front of an upstream, for bats.
#
#   prism_find            sets PRISM_BIN ($PRISM, else `prism` on PATH) or fails
#   prism_spec            sets PRISM_SPEC to ../shared/smile-api/openapi-v1.yaml or fails
#   prism_start NAME UPSTREAM [ARGS...]
#                         starts `prism proxy SPEC UPSTREAM --port P ARGS...` on a free
#                         loopback port, waits (bounded) until it answers, and sets
#                         PRISM_URL_<NAME>, PRISM_PID_<NAME>, PRISM_LOG_<NAME>
#   prism_start_mock NAME [ARGS...]
#                         the same for `prism mock SPEC --port P ARGS...`: a fake Smile API
#                         answering from the spec's examples and reporting request violations
#                         in an `sl-violations` response header and its log
#   prism_stop NAME       stops that instance (only the process we started)

PRISM_READY_TIMEOUT_S=${PRISM_READY_TIMEOUT_S:-60}

prism_find() {
	if [[ -n ${PRISM:-} && -x $PRISM ]]; then
		PRISM_BIN=$PRISM
	elif command -v prism >/dev/null 2>&1; then
		PRISM_BIN=$(command -v prism)
	else
		return 1
	fi
	export PRISM_BIN
}

prism_spec() {
	local root
	root=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	PRISM_SPEC=$root/../shared/smile-api/openapi-v1.yaml
	[[ -r $PRISM_SPEC ]] || return 1
	export PRISM_SPEC
}

# A free loopback port: bind to port 0 and read what the kernel gave. A race
# with another process is possible but harmless: prism_start then times out.
prism_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

prism_start() {
	local name=$1 upstream=$2
	shift 2
	prism_launch "$name" proxy "$PRISM_SPEC" "$upstream" "$@"
}

prism_start_mock() {
	local name=$1
	shift
	prism_launch "$name" mock "$PRISM_SPEC" "$@"
}

# prism_launch NAME PRISM-ARGS...: runs `prism PRISM-ARGS... --host 127.0.0.1
# --port P` and waits for it as prism_start says.
prism_launch() {
	local name=$1
	shift
	local port log pid deadline
	port=$(prism_free_port) || return 1
	log=${BATS_FILE_TMPDIR:-${BATS_TMPDIR:-/tmp}}/prism-$name.log
	"$PRISM_BIN" "$@" --host 127.0.0.1 --port "$port" >"$log" 2>&1 &
	pid=$!
	printf -v "PRISM_URL_$name" 'http://127.0.0.1:%s' "$port"
	printf -v "PRISM_PID_$name" '%s' "$pid"
	printf -v "PRISM_LOG_$name" '%s' "$log"
	export "PRISM_URL_$name" "PRISM_PID_$name" "PRISM_LOG_$name"

	deadline=$((SECONDS + PRISM_READY_TIMEOUT_S))
	while ((SECONDS < deadline)); do
		if grep -q 'Prism is listening' "$log" 2>/dev/null; then
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "prism exited early; its log:" >&2
			cat "$log" >&2
			return 1
		fi
		sleep 0.2
	done
	echo "prism did not get ready within ${PRISM_READY_TIMEOUT_S}s; its log:" >&2
	tail -20 "$log" >&2
	kill "$pid" 2>/dev/null
	return 1
}

prism_stop() {
	local var="PRISM_PID_$1" pid
	pid=${!var:-}
	[[ -n $pid ]] || return 0
	kill "$pid" 2>/dev/null
	# Bounded wait so a stuck node process cannot hang the suite.
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null
	return 0
}
