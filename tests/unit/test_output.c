/* SPDX-License-Identifier: MIT */
/*
 * The output layer, format by format, with exact expected text: these
 * strings are what scripts parse, so any change in them must show here.
 */
#include "core/output/output.h"
#include "core/output/internal.h"
#include "core/util.h"
#include "tap.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

/* Three items with what breaks formats: nulls, nesting, UTF-8, commas,
 * quotes, newlines, an empty string, a URL, an empty object. */
static const char *const three[] = {
	"{\"id\":\"u1\",\"name\":\"Ann, \\\"A\\\"\",\"age\":30,\"active\":true,\"note\":null,"
	"\"meta\":{\"providerId\":\"p1\"}}",
	"{\"id\":\"u2\",\"name\":\"Zo\xc3\xab \xe6\x97\xa5\xe6\x9c\xac\",\"age\":null,\"active\":false,"
	"\"note\":\"line1\\nline2\",\"meta\":{\"providerId\":\"p2\",\"tags\":[\"a\",\"b\"]}}",
	"{\"id\":\"u3\",\"name\":\"\",\"age\":2.5,\"active\":true,\"note\":\"http://x/y\",\"meta\":{}}",
	NULL,
};

static const char *const none[] = { NULL };

static const char *const one[] = {
	"{\"id\":\"u1\",\"name\":\"Ann\",\"count\":3,\"url\":\"http://x/y\",\"tags\":[],\"meta\":{}}",
	NULL,
};

/* Runs items through one writer; returns what it printed (caller frees). */
static char *render(const struct output_opts *opts, bool is_list, const char *const *items, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct output *o = output_begin(opts, f, is_list);
	int r = 0;
	for (size_t i = 0; items[i]; i++) {
		json_object *item = json_tokener_parse(items[i]);
		if (!item)
			printf("# bad test json: %s\n", items[i]);
		int ri = output_item(o, item);
		if (ri < 0 && !r)
			r = ri;
		json_object_put(item);
	}
	int re = output_end(o);
	if (!r)
		r = re;
	fclose(f);
	if (rc)
		*rc = r;
	return buf;
}

static void check_render(const struct output_opts *opts, bool is_list, const char *const *items,
			 const char *want, const char *name)
{
	int rc;
	char *got = render(opts, is_list, items, &rc);
	CHECK_STR(got, want, name);
	if (rc != 0)
		printf("# %s: returned %d\n", name, rc);
	free(got);
}

/* Captures what fn logs on stderr. */
static char *stderr_of(int (*fn)(void *), void *arg, int *rc)
{
	fflush(stderr);
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	*rc = fn(arg);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	long size = ftell(tmp);
	if (size < 0)
		size = lseek(fileno(tmp), 0, SEEK_END);
	char *text = xcalloc(1, (size_t)size + 1);
	rewind(tmp);
	size_t got = fread(text, 1, (size_t)size, tmp);
	text[got] = '\0';
	fclose(tmp);
	return text;
}

static void test_json(void)
{
	struct output_opts opts = { .format = OUTPUT_JSON };
	check_render(&opts, false, one,
		     "{\n"
		     "  \"id\": \"u1\",\n"
		     "  \"name\": \"Ann\",\n"
		     "  \"count\": 3,\n"
		     "  \"url\": \"http://x/y\",\n"
		     "  \"tags\": [],\n"
		     "  \"meta\": {}\n"
		     "}\n",
		     "json: an object pretty like jq, URLs unescaped, empty {} and []");
	check_render(&opts, true, three,
		     "[\n"
		     "  {\n"
		     "    \"id\": \"u1\",\n"
		     "    \"name\": \"Ann, \\\"A\\\"\",\n"
		     "    \"age\": 30,\n"
		     "    \"active\": true,\n"
		     "    \"note\": null,\n"
		     "    \"meta\": {\n"
		     "      \"providerId\": \"p1\"\n"
		     "    }\n"
		     "  },\n"
		     "  {\n"
		     "    \"id\": \"u2\",\n"
		     "    \"name\": \"Zo\xc3\xab \xe6\x97\xa5\xe6\x9c\xac\",\n"
		     "    \"age\": null,\n"
		     "    \"active\": false,\n"
		     "    \"note\": \"line1\\nline2\",\n"
		     "    \"meta\": {\n"
		     "      \"providerId\": \"p2\",\n"
		     "      \"tags\": [\n"
		     "        \"a\",\n"
		     "        \"b\"\n"
		     "      ]\n"
		     "    }\n"
		     "  },\n"
		     "  {\n"
		     "    \"id\": \"u3\",\n"
		     "    \"name\": \"\",\n"
		     "    \"age\": 2.5,\n"
		     "    \"active\": true,\n"
		     "    \"note\": \"http://x/y\",\n"
		     "    \"meta\": {}\n"
		     "  }\n"
		     "]\n",
		     "json: a list is one array, items indented");
	check_render(&opts, true, none, "[]\n", "json: an empty list is []");
	check_render(&opts, false, none, "", "json: a get with no item prints nothing");

	opts.fields = "id, meta.providerId,meta.missing";
	check_render(&opts, false, three,
		     "{\n  \"id\": \"u1\",\n  \"meta\": {\n    \"providerId\": \"p1\"\n  }\n}\n"
		     "{\n  \"id\": \"u2\",\n  \"meta\": {\n    \"providerId\": \"p2\"\n  }\n}\n"
		     "{\n  \"id\": \"u3\"\n}\n",
		     "json --fields: nested as in the source, missing paths omitted");
	opts.fields = "note,meta.tags.1";
	check_render(&opts, true, three,
		     "[\n  {\n    \"note\": null\n  },\n"
		     "  {\n    \"note\": \"line1\\nline2\",\n    \"meta\": {\n      \"tags\": [\n"
		     "        null,\n        \"b\"\n      ]\n    }\n  },\n"
		     "  {\n    \"note\": \"http://x/y\"\n  }\n]\n",
		     "json --fields: null kept, an array element keeps its index");
}

static void test_ndjson(void)
{
	struct output_opts opts = { .format = OUTPUT_NDJSON };
	check_render(&opts, false, one,
		     "{\"id\":\"u1\",\"name\":\"Ann\",\"count\":3,\"url\":\"http://x/y\",\"tags\":[],\"meta\":{}}\n",
		     "ndjson: an object on one line");
	check_render(&opts, true, three,
		     "{\"id\":\"u1\",\"name\":\"Ann, \\\"A\\\"\",\"age\":30,\"active\":true,\"note\":null,"
		     "\"meta\":{\"providerId\":\"p1\"}}\n"
		     "{\"id\":\"u2\",\"name\":\"Zo\xc3\xab \xe6\x97\xa5\xe6\x9c\xac\",\"age\":null,\"active\":false,"
		     "\"note\":\"line1\\nline2\",\"meta\":{\"providerId\":\"p2\",\"tags\":[\"a\",\"b\"]}}\n"
		     "{\"id\":\"u3\",\"name\":\"\",\"age\":2.5,\"active\":true,\"note\":\"http://x/y\",\"meta\":{}}\n",
		     "ndjson: one line per item");
	check_render(&opts, true, none, "", "ndjson: an empty list prints nothing");
	opts.fields = "id,meta.providerId,nope";
	check_render(&opts, true, three,
		     "{\"id\":\"u1\",\"meta\":{\"providerId\":\"p1\"}}\n"
		     "{\"id\":\"u2\",\"meta\":{\"providerId\":\"p2\"}}\n"
		     "{\"id\":\"u3\"}\n",
		     "ndjson --fields");
}

static void test_csv(void)
{
	struct output_opts opts = { .format = OUTPUT_CSV };
	check_render(&opts, true, three,
		     "id,name,age,active,note,meta.providerId\n"
		     "u1,\"Ann, \"\"A\"\"\",30,true,,p1\n"
		     "u2,Zo\xc3\xab \xe6\x97\xa5\xe6\x9c\xac,,false,\"line1\nline2\",p2\n"
		     "u3,,2.5,true,http://x/y,\n",
		     "csv: RFC 4180 quoting, null empty, every field of the first item by dot path");
	check_render(&opts, false, one, "id,name,count,url,tags,meta\nu1,Ann,3,http://x/y,[],{}\n",
		     "csv: one object; an array and an empty object are one field each");
	static const char *const csv_defaults[] = { "age", "meta.providerId", NULL };
	struct output_opts dflt = { .format = OUTPUT_CSV, .default_columns = csv_defaults };
	check_render(&dflt, true, three,
		     "age,meta.providerId,id,name,active,note\n"
		     "30,p1,u1,\"Ann, \"\"A\"\"\",true,\n"
		     ",p2,u2,Zo\xc3\xab \xe6\x97\xa5\xe6\x9c\xac,false,\"line1\nline2\"\n"
		     "2.5,,u3,,true,http://x/y\n",
		     "csv: the default columns first, then every other field");
	check_render(&dflt, true, none, "age,meta.providerId\n", "csv: an empty list: the default columns' header");
	check_render(&opts, true, none, "", "csv: an empty list without known columns prints nothing");

	opts.fields = "id,meta,meta.providerId,missing";
	check_render(&opts, true, three,
		     "id,meta,meta.providerId,missing\n"
		     "u1,\"{\"\"providerId\"\":\"\"p1\"\"}\",p1,\n"
		     "u2,\"{\"\"providerId\"\":\"\"p2\"\",\"\"tags\"\":[\"\"a\"\",\"\"b\"\"]}\",p2,\n"
		     "u3,{},,\n",
		     "csv --fields: nested values as compact JSON, missing empty");
	check_render(&opts, true, none, "id,meta,meta.providerId,missing\n",
		     "csv: an empty list with --fields prints the header");
	opts.no_header = true;
	check_render(&opts, true, none, "", "csv --no-header: an empty list prints nothing");
}

static void test_table(void)
{
	struct output_opts opts = { .format = OUTPUT_TABLE };
	check_render(&opts, true, three,
		     "ID  NAME      AGE  ACTIVE  NOTE\n"
		     "u1  Ann, \"A\"  30   true    -\n"
		     "u2  Zo\xc3\xab \xe6\x97\xa5\xe6\x9c\xac  -    false   line1 line2\n"
		     "u3            2.5  true    http://x/y\n",
		     "table: aligned by display width, '-' for null, no trailing spaces");
	check_render(&opts, true, none, "", "table: an empty list prints nothing, not even the header");

	opts.width = 30;
	check_render(&opts, true, three,
		     "ID  NAME   AGE  ACTIVE  NOTE\n"
		     "u1  Ann,\xe2\x80\xa6  30   true    -\n"
		     "u2  Zo\xc3\xab \xe2\x80\xa6  -    false   line1\xe2\x80\xa6\n"
		     "u3         2.5  true    http:\xe2\x80\xa6\n",
		     "table: width 30 shrinks the widest columns with an ellipsis");
	char *narrow = render(&opts, true, three, NULL);
	bool fits = true;
	for (char *line = strtok(narrow, "\n"); line; line = strtok(NULL, "\n"))
		if (utf8_display_width(line) > 30)
			fits = false;
	CHECK(fits, "table: every line fits in the width");
	free(narrow);

	opts.width = 0;
	opts.color = true;
	opts.fields = "id,meta.providerId,meta,missing";
	check_render(&opts, true, three,
		     "\033[1mID\033[0m  \033[1mMETA.PROVIDERID\033[0m  \033[1mMETA\033[0m"
		     "                                  \033[1mMISSING\033[0m\n"
		     "u1  p1               {\"providerId\":\"p1\"}                   -\n"
		     "u2  p2               {\"providerId\":\"p2\",\"tags\":[\"a\",\"b\"]}  -\n"
		     "u3  -                {}                                    -\n",
		     "table --fields with colour: bold header, dot paths, nested as JSON");
	opts.color = false;
	opts.no_header = true;
	opts.fields = "id,age";
	check_render(&opts, true, three, "u1  30\nu2  -\nu3  2.5\n", "table --no-header");

	static const char *const defaults[] = { "name", "id", NULL };
	struct output_opts dflt = { .format = OUTPUT_TABLE, .default_columns = defaults };
	check_render(&dflt, false, one, "NAME  ID\nAnn   u1\n", "table: the command's default columns");
	check_render(&dflt, true, none, "NAME  ID\n", "table: an empty list with known columns prints the header");
	dflt.no_header = true;
	check_render(&dflt, true, none, "", "table --no-header: an empty list prints nothing");

	static const char *const long_ids[] = {
		"{\"id\":\"iv-fb85df0123456789\",\"userId\":\"u-0123456789abcdef\",\"note\":\"a long free text note\"}",
		NULL,
	};
	struct output_opts ids = { .format = OUTPUT_TABLE, .width = 50 };
	check_render(&ids, true, long_ids,
		     "ID                   USERID              NOTE\n"
		     "iv-fb85df0123456789  u-0123456789abcdef  a long f\xe2\x80\xa6\n",
		     "table: ids are never cut; the other columns give way");
	ids.width = 30;
	check_render(&ids, true, long_ids,
		     "ID                   USERID              NO\xe2\x80\xa6\n"
		     "iv-fb85df0123456789  u-0123456789abcdef  a \xe2\x80\xa6\n",
		     "table: ids stay whole even when the line cannot fit");
}

static void test_yaml(void)
{
	struct output_opts opts = { .format = OUTPUT_YAML };
	check_render(&opts, true, three,
		     "- id: u1\n"
		     "  name: Ann, \"A\"\n"
		     "  age: 30\n"
		     "  active: true\n"
		     "  note: null\n"
		     "  meta:\n"
		     "    providerId: p1\n"
		     "- id: u2\n"
		     "  name: Zo\xc3\xab \xe6\x97\xa5\xe6\x9c\xac\n"
		     "  age: null\n"
		     "  active: false\n"
		     "  note: \"line1\\nline2\"\n"
		     "  meta:\n"
		     "    providerId: p2\n"
		     "    tags:\n"
		     "    - a\n"
		     "    - b\n"
		     "- id: u3\n"
		     "  name: ''\n"
		     "  age: 2.5\n"
		     "  active: true\n"
		     "  note: http://x/y\n"
		     "  meta: {}\n",
		     "yaml: a list is a sequence of mappings");
	check_render(&opts, false, one,
		     "id: u1\nname: Ann\ncount: 3\nurl: http://x/y\ntags: []\nmeta: {}\n",
		     "yaml: an object is a mapping");
	check_render(&opts, true, none, "[]\n", "yaml: an empty list is []");

	static const char *const tricky[] = {
		"{\"a\":\"123\",\"b\":\"true\",\"c\":\"null\",\"d\":\"2024-01-31\",\"e\":\" x \","
		"\"f\":\"a: b\",\"g\":\"#x\",\"h\":\"-\",\"i\":\"No\",\"j\":\"-1.5\","
		"\"k\":1e300,\"l\":2.5E-3}",
		NULL,
	};
	check_render(&opts, false, tricky,
		     "a: '123'\nb: 'true'\nc: 'null'\nd: '2024-01-31'\ne: ' x '\nf: 'a: b'\n"
		     "g: '#x'\nh: '-'\ni: 'No'\nj: '-1.5'\nk: 1.0e+300\nl: 2.5e-3\n",
		     "yaml: strings that look like other things are quoted, floats read as floats");

	opts.fields = "id,meta.providerId,missing";
	check_render(&opts, true, three,
		     "- id: u1\n  meta:\n    providerId: p1\n"
		     "- id: u2\n  meta:\n    providerId: p2\n"
		     "- id: u3\n",
		     "yaml --fields");

	CHECK(yaml_string_needs_quotes("") && yaml_string_needs_quotes("~") &&
		      yaml_string_needs_quotes("OFF") && !yaml_string_needs_quotes("u1") &&
		      !yaml_string_needs_quotes("Nope"),
	      "yaml_string_needs_quotes: words and plain strings");
}

static void test_quiet(void)
{
	struct output_opts opts = { .format = OUTPUT_TABLE, .quiet = true };
	check_render(&opts, true, three, "u1\nu2\nu3\n", "quiet: ids only, whatever the format");
	opts.format = OUTPUT_JSON;
	check_render(&opts, true, none, "", "quiet: an empty list prints nothing");
	static const char *const numeric[] = { "{\"id\":7}", "{\"name\":\"no id\"}", NULL };
	check_render(&opts, true, numeric, "7\n", "quiet: numeric ids, items without id skipped");
}

struct jq_case {
	const char *program;
	bool pretty;
};

static int run_bad_jq(void *arg)
{
	struct jq_case *c = arg;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_object *v = json_object_new_object();
	int r = output_jq(c->program, v, f, c->pretty);
	json_object_put(v);
	fclose(f);
	free(buf);
	return r;
}

static int check_bad_jq(void *arg)
{
	(void)arg;
	return output_jq_check("include \"x\"; .");
}

/* Items in pages of two with output_page_end between them, through jq. */
static char *render_pages(const struct output_opts *opts, const char *const *items)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct output *o = output_begin(opts, f, true);
	for (size_t i = 0; items[i]; i++) {
		json_object *item = json_tokener_parse(items[i]);
		output_item(o, item);
		json_object_put(item);
		if (i % 2 == 1)
			output_page_end(o);
	}
	output_end(o);
	fclose(f);
	return buf;
}

static void test_jq_pages(void)
{
	struct output_opts opts = { .format = OUTPUT_NDJSON, .jq = "length" };
	char *got = render_pages(&opts, three);
	CHECK_STR(got, "2\n1\n", "jq per page: the program sees each page's items");
	free(got);
	opts.slurp = true;
	got = render_pages(&opts, three);
	CHECK_STR(got, "3\n", "jq --slurp: the program sees every item once");
	free(got);
	opts.jq = ".[].id";
	char *slurped = render_pages(&opts, three);
	opts.slurp = false;
	got = render_pages(&opts, three);
	CHECK_STR(got, slurped, "jq: a per-item program prints the same per page and slurped");
	free(got);
	free(slurped);
	opts.jq = "halt";
	got = render_pages(&opts, three);
	CHECK_STR(got, "", "jq: halt on the first page ends the program for the later pages");
	free(got);
}

static void test_jq(void)
{
	const char *const second[] = { three[1], NULL };
	const char *const first[] = { three[0], NULL };
	struct output_opts opts = { .format = OUTPUT_JSON, .jq = ".[] | .id" };
	check_render(&opts, true, three, "\"u1\"\n\"u2\"\n\"u3\"\n", "jq: .[] | .id over a list");
	opts.jq = ".name";
	check_render(&opts, false, second, "\"Zo\xc3\xab \xe6\x97\xa5\xe6\x9c\xac\"\n",
		     "jq: .name on an object, a JSON string");
	opts.jq = ".meta";
	check_render(&opts, false, first, "{\n  \"providerId\": \"p1\"\n}\n", "jq: pretty for json");
	opts.format = OUTPUT_NDJSON;
	check_render(&opts, false, first, "{\"providerId\":\"p1\"}\n", "jq: compact for ndjson");
	opts.raw_output = true;
	opts.jq = ".[].name";
	check_render(&opts, true, three, "Ann, \"A\"\nZo\xc3\xab \xe6\x97\xa5\xe6\x9c\xac\n\n", "jq -r: strings raw");
	opts.jq = ".[].age";
	check_render(&opts, true, three, "30\nnull\n2.5\n", "jq -r: other values as JSON");
	opts.raw_output = false;
	opts.format = OUTPUT_TABLE;
	opts.jq = ".[] | {id, age}";
	check_render(&opts, true, three, "ID  AGE\nu1  30\nu2  -\nu3  2.5\n", "jq -o table: the results as rows");
	opts.format = OUTPUT_NDJSON;
	opts.jq = "length";
	check_render(&opts, true, none, "0\n", "jq: an empty list is []");

	int rc;
	struct jq_case bad = { ".[", true };
	char *err = stderr_of(run_bad_jq, &bad, &rc);
	CHECK(rc == -EINVAL, "jq: a program that does not compile is -EINVAL");
	CHECK(str_starts_with(err, "smile: invalid --jq expression: syntax error") &&
		      strchr(err, '\n') == err + strlen(err) - 1,
	      "jq: one line error with jq's message");
	if (!str_starts_with(err, "smile: invalid --jq expression: "))
		printf("# stderr: [%s]\n", err);
	free(err);

	struct jq_case runtime = { ".a.b.c | .[0]", false };
	err = stderr_of(run_bad_jq, &runtime, &rc);
	CHECK(rc == 0, "jq: null propagates without error");
	free(err);
	struct jq_case type_error = { "1 | .x", false };
	err = stderr_of(run_bad_jq, &type_error, &rc);
	CHECK(rc == -EINVAL && str_starts_with(err, "smile: jq: error: Cannot index number"),
	      "jq: a runtime error is reported");
	free(err);
	struct jq_case object_error = { "error({a: 1})", false };
	err = stderr_of(run_bad_jq, &object_error, &rc);
	CHECK_STR(err, "smile: jq: error: {\"a\":1}\n", "jq: error() with an object is shown as JSON");
	free(err);

	struct jq_case halt_error = { "\"no such user\\n\" | halt_error(4)", false };
	err = stderr_of(run_bad_jq, &halt_error, &rc);
	CHECK(rc == -EINVAL, "jq: halt_error is a failure, not an empty success");
	CHECK_STR(err, "smile: jq: halt_error: no such user\n", "jq: halt_error's message on one line");
	free(err);
	struct jq_case halt_lines = { "\"a\\nb\" | halt_error", false };
	err = stderr_of(run_bad_jq, &halt_lines, &rc);
	CHECK_STR(err, "smile: jq: halt_error: \"a\\nb\"\n", "jq: a message of several lines is shown as JSON");
	free(err);
	struct jq_case halt = { "halt", false };
	err = stderr_of(run_bad_jq, &halt, &rc);
	CHECK(rc == 0 && !*err, "jq: halt ends the results quietly");
	free(err);

	/* libjq 1.6 crashed on these unless smile sets its callbacks. */
	struct jq_case debug = { "debug | length", false };
	err = stderr_of(run_bad_jq, &debug, &rc);
	CHECK(rc == 0 && !strcmp(err, "[\"DEBUG:\",{}]\n"), "jq: debug writes its message on stderr");
	free(err);
	struct jq_case inputs = { "[inputs]", false };
	err = stderr_of(run_bad_jq, &inputs, &rc);
	CHECK(rc == 0 && !*err, "jq: inputs finds none beyond the document");
	free(err);
	struct jq_case input = { "input", false };
	err = stderr_of(run_bad_jq, &input, &rc);
	CHECK(rc == -EINVAL, "jq: input is an error, not a crash");
	free(err);
	struct jq_case import = { "import \"a\" as a; 1", false };
	err = stderr_of(run_bad_jq, &import, &rc);
	CHECK(rc == -EINVAL && str_starts_with(err, "smile: invalid --jq expression: module not found"),
	      "jq: import of a module is a compile error, not an abort");
	free(err);
	CHECK(output_jq_check(".[0].id") == 0, "jq: a good program passes the check");
	err = stderr_of(check_bad_jq, NULL, &rc);
	CHECK(rc == -EINVAL && str_starts_with(err, "smile: invalid --jq expression: "),
	      "jq: output_jq_check refuses a bad program");
	free(err);
}

static void test_paths(void)
{
	json_object *o = json_tokener_parse(three[1]);
	json_object *v;
	CHECK_STR(json_object_get_string(json_get_path(o, "meta.providerId")), "p2", "path: nested key");
	CHECK_STR(json_object_get_string(json_get_path(o, "meta.tags.1")), "b", "path: array index");
	CHECK(json_get_path(o, "meta.tags.2") == NULL, "path: index out of range");
	CHECK(json_get_path(o, "meta.tags.x") == NULL, "path: non-numeric index");
	CHECK(json_get_path(o, "id.x") == NULL, "path: through a string");
	CHECK(json_get_path(o, "") == o, "path: empty is the value itself");
	CHECK(json_get_path(o, "age") == NULL && json_lookup_path(o, "age", &v) && v == NULL,
	      "path: null is found, with a NULL value");
	CHECK(!json_lookup_path(o, "nope", &v), "path: absent is not found");
	json_object_put(o);
}

static void test_formats(void)
{
	enum output_format f = OUTPUT_JSON;
	CHECK(output_parse_format("yaml", &f) == 0 && f == OUTPUT_YAML, "format: yaml parses");
	CHECK(output_parse_format("ndjson", &f) == 0 && f == OUTPUT_NDJSON, "format: ndjson parses");
	CHECK(output_parse_format("xml", &f) == -EINVAL && f == OUTPUT_NDJSON,
	      "format: unknown is -EINVAL, out untouched");
	CHECK(output_parse_format("JSON", &f) == -EINVAL, "format: names are case-sensitive");
	CHECK_STR(output_format_names[OUTPUT_CSV], "csv", "format: names in enum order");
	CHECK(output_format_names[OUTPUT_YAML + 1] == NULL, "format: names NULL-terminated");
}

static void test_terminal(void)
{
	int fds[2];
	CHECK(pipe(fds) == 0, "pipe for terminal tests");
	setenv("COLUMNS", "77", 1);
	CHECK(output_terminal_width(fds[1]) == 77, "width: COLUMNS wins");
	setenv("COLUMNS", "-3", 1);
	CHECK(output_terminal_width(fds[1]) == 0, "width: bad COLUMNS and not a tty is 0");
	unsetenv("COLUMNS");
	unsetenv("NO_COLOR");
	CHECK(!output_color_enabled(fds[1]), "colour: off when not a terminal");

	/* A reader that went away (`| head`): an error code, not a crash. */
	signal(SIGPIPE, SIG_IGN);
	close(fds[0]);
	FILE *w = fdopen(fds[1], "w");
	struct output_opts opts = { .format = OUTPUT_NDJSON };
	struct output *o = output_begin(&opts, w, true);
	json_object *item = json_tokener_parse(three[0]);
	int r = output_item(o, item);
	int r2 = output_item(o, item);
	json_object_put(item);
	int re = output_end(o);
	CHECK(r == -EPIPE && r2 == -EPIPE && re == -EPIPE, "write error: -EPIPE, sticky");
	fclose(w);

	CHECK(utf8_display_width("\xe6\x97\xa5\xe6\x9c\xac") == 4, "width: CJK is two columns");
	CHECK(utf8_display_width("e\xcc\x81") == 1, "width: a combining mark is zero");
	char *cut = utf8_truncate("abcdef", 4);
	CHECK_STR(cut, "abc\xe2\x80\xa6", "truncate: cut with an ellipsis");
	free(cut);
	cut = utf8_truncate("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4);
	CHECK_STR(cut, "\xe6\x97\xa5\xe2\x80\xa6", "truncate: a wide character is never split");
	free(cut);
}

int main(void)
{
	test_json();
	test_ndjson();
	test_csv();
	test_table();
	test_yaml();
	test_quiet();
	test_jq();
	test_jq_pages();
	test_paths();
	test_formats();
	test_terminal();
	return tap_done();
}
