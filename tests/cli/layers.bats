#!/usr/bin/env bats
# The layers stay apart (README "How smile is built"): no two headers
# include each other, no two source files call each other (cmd/registry.c,
# the table of every group, is the one file allowed to know them all), and
# the core includes nothing of the CLI or the emulator.

setup() {
	ROOT=$BATS_TEST_DIRNAME/../..
	BUILD=${SMILE_BUILD:?}
}

@test "no include cycles among the headers of src/" {
	run "$ROOT/tools/include-cycles" "$ROOT/src"
	[ "$status" -eq 0 ]
	[[ ${lines[-1]} == "0 include cycles among "* ]]
	[ "${#lines[@]}" -eq 1 ]
}

@test "no cycles of calls between source files: CLI, commands, invites, core and the emulator" {
	ls "$BUILD"/src/emulator/*.p/*.o "$BUILD"/src/*.p/cmd_invites_*.o >/dev/null
	run "$ROOT/tools/call-cycles" "$BUILD" "" cmd_registry
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "src/core includes no header of the CLI layer, the commands or the emulator" {
	run grep -rlE '#include "(cli|cmd|emulator)/' "$ROOT/src/core"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
}
