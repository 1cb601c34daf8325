/* SPDX-License-Identifier: MIT */
/*
 * The man pages as plain text, for `smile help TOPIC` when there is no
 * terminal or no man: a reader of the small roff subset man.c writes
 * (.TH .SH .SS .TP .PP .br .B .nf .fi .RS .RE and the \f, \-, \e, \&, \(aq
 * escapes), so the text says exactly what the page says.
 */
#include "cli/help.h"
#include "core/util.h"

#include <stdio.h>
#include <string.h>

#define TEXT_WIDTH 79
#define BODY_INDENT 7
#define TAG_INDENT 7 /* added under a .TP tag */

struct text_state {
	FILE *out;
	struct strbuf para; /* words of the paragraph being filled */
	size_t indent;      /* of the paragraph's lines */
	size_t rs;          /* .RS depth, in steps of 4 */
	bool nofill;        /* between .nf and .fi */
	int tp;             /* 1: the next line is a .TP tag; 2: under a tag */
};

/* text without its roff escapes. */
static char *unescape(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	for (; *s; s++) {
		if (*s != '\\') {
			strbuf_addch(&sb, *s);
		} else if (s[1] == 'f' && s[2]) {
			s += 2; /* a font change: plain text has one font */
		} else if (s[1] == '(' && s[2] && s[3]) {
			strbuf_addch(&sb, !strncmp(s + 2, "aq", 2) ? '\'' : '?');
			s += 3;
		} else if (s[1] == 'e') {
			strbuf_addch(&sb, '\\'), s++;
		} else if (s[1] == '&') {
			s++;
		} else if (s[1]) {
			strbuf_addch(&sb, s[1]), s++;
		}
	}
	return strbuf_detach(&sb);
}

static size_t current_indent(const struct text_state *st)
{
	return st->indent + st->rs * 4 + (st->tp == 2 ? TAG_INDENT : 0);
}

/* Prints the filled paragraph, wrapped between words at TEXT_WIDTH. */
static void flush(struct text_state *st)
{
	const char *p = st->para.buf ? st->para.buf : "";
	size_t indent = current_indent(st), col = 0;
	while (*p) {
		p += strspn(p, " ");
		size_t len = strcspn(p, " ");
		if (!len)
			break;
		if (col && col + 1 + len > TEXT_WIDTH) {
			fputc('\n', st->out);
			col = 0;
		}
		if (!col)
			col = (size_t)fprintf(st->out, "%*s", (int)indent, "");
		else
			col += (size_t)fprintf(st->out, " ");
		col += fwrite(p, 1, len, st->out);
		p += len;
	}
	if (col)
		fputc('\n', st->out);
	strbuf_release(&st->para);
}

static void text_line(struct text_state *st, const char *line)
{
	_cleanup_free_ char *text = unescape(line);
	if (st->tp == 1) {
		fprintf(st->out, "%*s%s\n", (int)(st->indent + st->rs * 4), "", text);
		st->tp = 2;
	} else if (st->nofill) {
		fprintf(st->out, "%*s%s\n", (int)current_indent(st), "", text);
	} else {
		if (st->para.len)
			strbuf_addch(&st->para, ' ');
		strbuf_addstr(&st->para, text);
	}
}

static void macro_line(struct text_state *st, const char *line)
{
	const char *arg = line + strcspn(line, " ");
	arg += strspn(arg, " ");
	if (!str_starts_with(line, ".B ") && !str_starts_with(line, ".B\n"))
		flush(st);
	if (str_starts_with(line, ".SH") || str_starts_with(line, ".SS")) {
		_cleanup_free_ char *title = unescape(arg);
		bool sub = line[2] == 'S';
		fprintf(st->out, "\n%*s%s\n", sub ? 3 : 0, "", title);
		st->indent = BODY_INDENT;
		st->tp = 0;
	} else if (str_starts_with(line, ".TP")) {
		fputc('\n', st->out); /* a tagged paragraph is a paragraph */
		st->tp = 1;
	} else if (str_starts_with(line, ".PP")) {
		fputc('\n', st->out);
		st->tp = 0;
	} else if (str_starts_with(line, ".nf")) {
		st->nofill = true;
	} else if (str_starts_with(line, ".fi")) {
		st->nofill = false;
	} else if (str_starts_with(line, ".RS")) {
		st->rs++;
	} else if (str_starts_with(line, ".RE")) {
		st->rs -= st->rs > 0;
	} else if (str_starts_with(line, ".B ")) {
		text_line(st, arg);
	}
	/* .TH and .br need nothing more: the flush above ended the line. */
}

void help_roff_to_text(FILE *out, const char *roff)
{
	struct text_state st = { .out = out, .para = STRBUF_INIT };
	while (*roff) {
		size_t n = strcspn(roff, "\n");
		_cleanup_free_ char *line = xstrndup(roff, n);
		if (line[0] == '.')
			macro_line(&st, line);
		else
			text_line(&st, line);
		roff += n + (roff[n] == '\n');
	}
	flush(&st);
}
