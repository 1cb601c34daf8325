/* SPDX-License-Identifier: MIT */
/* The progress line (see progress.h). */
#include "core/progress.h"
#include "core/output/output.h"
#include "core/util.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#define PROGRESS_INTERVAL 0.1

void progress_init(struct progress *p, FILE *out, bool terminal, size_t total, double now)
{
	*p = (struct progress){
		.out = out,
		.terminal = terminal,
		.total = total,
		.start = now,
		.last_draw = -1,
		.width = terminal ? output_terminal_width(fileno(out)) : 0,
	};
}

static void format_eta(char *buf, size_t size, double seconds)
{
	if (!isfinite(seconds) || seconds < 0)
		snprintf(buf, size, "--");
	else if (seconds < 60)
		snprintf(buf, size, "%.0fs", seconds);
	else if (seconds < 3600)
		snprintf(buf, size, "%.0fm%02.0fs", floor(seconds / 60), fmod(seconds, 60));
	else
		snprintf(buf, size, "%.0fh%02.0fm", floor(seconds / 3600), fmod(floor(seconds / 60), 60));
}

static void format_bytes(char *buf, size_t size, unsigned long long bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, size, "%llu B", bytes);
	else
		snprintf(buf, size, "%.1f %s", v, units[u]);
}

void progress_format(const struct progress *p, double now, char *buf, size_t size)
{
	size_t done = p->sent + p->failed;
	size_t left = p->total > done ? p->total - done : 0;
	double elapsed = now - p->start;
	double rate = elapsed > 0 ? (double)done / elapsed : 0;
	char eta[32], left_text[48] = "", volume[64] = "", bytes[24];

	format_eta(eta, sizeof(eta), rate > 0 ? (double)left / rate : INFINITY);
	if (!p->total_unknown)
		snprintf(left_text, sizeof(left_text), ", %zu left", left);
	if (p->volume) {
		format_bytes(bytes, sizeof(bytes), p->bytes);
		snprintf(volume, sizeof(volume), ", %llu items, %s", p->items, bytes);
	}
	snprintf(buf, size, "%zu %s, %zu failed%s%s, %.1f/s%s%s", p->sent, p->done ? p->done : "sent", p->failed,
		 left_text, volume, rate, p->total_unknown ? "" : ", eta ", p->total_unknown ? "" : eta);
}

/* A line of its own, for logs: nothing to redraw, nothing to erase. */
static void log_line(struct progress *p, double now)
{
	char line[200];
	double since = p->last_draw >= 0 ? p->last_draw : p->start;

	if (now - since < PROGRESS_LOG_INTERVAL)
		return;
	p->last_draw = now;
	progress_format(p, now, line, sizeof(line));
	fprintf(p->out, "%s: progress: %s\n", smile_progname, line);
	fflush(p->out);
}

void progress_update(struct progress *p, double now, bool force)
{
	char line[200];

	if (!p->terminal) {
		log_line(p, now);
		return;
	}
	if (!force && p->last_draw >= 0 && now - p->last_draw < PROGRESS_INTERVAL)
		return;
	p->last_draw = now;
	progress_format(p, now, line, sizeof(line));
	/* Never wrap: a wrapped line cannot be redrawn with \r. */
	if (p->width > 1 && strlen(line) >= (size_t)p->width)
		line[p->width - 1] = '\0';
	fprintf(p->out, "\r%s\033[K", line);
	fflush(p->out);
}

void progress_clear(struct progress *p)
{
	if (!p->terminal || p->last_draw < 0)
		return;
	fputs("\r\033[K", p->out);
	fflush(p->out);
	p->last_draw = -1;
}
