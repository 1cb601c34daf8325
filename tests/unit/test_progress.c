/* SPDX-License-Identifier: MIT */
/* The progress line: redrawn on a terminal; elsewhere (CI logs) a line of
 * its own at most every PROGRESS_LOG_INTERVAL seconds. Time is given. */
#include <stdlib.h>
#include <string.h>

#include "core/progress.h"
#include "core/util.h"
#include "tap.h"

static size_t count(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

static void test_log_lines(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct progress p;

	progress_init(&p, f, false, 100, 0);
	for (int t = 0; t <= 40; t++) { /* a row every quarter second for 10 s */
		p.sent++;
		progress_update(&p, t * 0.25, false);
	}
	progress_clear(&p);
	fclose(f);
	CHECK(count(buf, "smile: progress: ") == 2, "10 s without a terminal: a line at 5 s and at 10 s");
	CHECK(count(buf, "\n") == 2 && !strchr(buf, '\r') && !strchr(buf, '\033'), "plain lines, nothing redrawn");
	CHECK(strstr(buf, "smile: progress: 21 sent, 0 failed, 79 left, 4.2/s") == buf, "the first tells the counts");
	free(buf);

	f = open_memstream(&buf, &len);
	progress_init(&p, f, false, 3, 0);
	p.sent = 3;
	progress_update(&p, 1.5, true);
	progress_clear(&p);
	fclose(f);
	CHECK(len == 0, "a short run prints no progress line, even forced");
	free(buf);
}

static void test_terminal(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct progress p;

	progress_init(&p, f, true, 10, 0);
	p.width = 0;
	p.failed = 1;
	progress_update(&p, 0.01, false);
	progress_update(&p, 0.05, false);
	progress_update(&p, 0.2, false);
	progress_clear(&p);
	fclose(f);
	CHECK(count(buf, "\r") == 3 && !strchr(buf, '\n'), "on a terminal: redrawn twice in 0.2 s, then erased");
	free(buf);
}

static void test_volume(void)
{
	struct progress p;
	char line[200];

	progress_init(&p, stderr, false, 10, 0);
	p.done = "users done";
	p.volume = true;
	p.sent = 4;
	p.failed = 1;
	p.items = 52311;
	p.bytes = 19084083;
	progress_format(&p, 2, line, sizeof(line));
	CHECK(strcmp(line, "4 users done, 1 failed, 5 left, 52311 items, 18.2 MiB, 2.5/s, eta 2s") == 0,
	      "a job that writes data tells its items and bytes");
	p.total_unknown = true;
	p.bytes = 900;
	progress_format(&p, 2, line, sizeof(line));
	CHECK(strcmp(line, "4 users done, 1 failed, 52311 items, 900 B, 2.5/s") == 0,
	      "with no total: no left, no eta");
}

int main(void)
{
	test_volume();
	smile_progname = "smile";
	test_log_lines();
	test_terminal();
	return tap_done();
}
