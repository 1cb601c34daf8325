#!/usr/bin/env python3
# Drives `smile shell` on a pseudo-terminal (tests/cli/shell.bats): Ctrl-C at
# the prompt drops the line typed so far; Ctrl-C during a command that waits
# on a server which never answers ends the command, not the shell. Every
# wait is for a condition (a prompt, a connection), bounded by a timeout.
# usage: shell_interrupt.py SMILE
import os
import socket
import sys

import pexpect

smile = sys.argv[1]
silent = socket.socket()
silent.bind(("127.0.0.1", 0))
silent.listen(4)
silent.settimeout(20)
port = silent.getsockname()[1]

sh = pexpect.spawn(smile, ["shell"], env=os.environ, timeout=20, encoding="utf-8")
sh.expect_exact("smile> ")
# 1. a half-typed line, then Ctrl-C: a fresh prompt; the half is gone
sh.send("users lis")
sh.sendintr()
sh.expect_exact("smile> ")
sh.sendline("config get retries")
sh.expect(r"\r3\r\n\(default\)")
sh.expect_exact("smile> ")
# 2. a command waiting on a server that accepts and never answers
sh.sendline(f"--base-url http://127.0.0.1:{port}/v1 --retries 0 users list")
conn, _ = silent.accept()  # the command is running now
sh.sendintr()
sh.expect_exact("smile> ")
# 3. the shell still works, and leaves with exit status 0
sh.sendline("config get timeout")
sh.expect(r"\r60\r\n\(default\)")
sh.sendline("exit")
sh.expect(pexpect.EOF)
sh.close()
conn.close()
if sh.exitstatus != 0:
    sys.exit(f"smile shell exited with {sh.exitstatus} / signal {sh.signalstatus}")
print("ok")
