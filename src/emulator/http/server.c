/* SPDX-License-Identifier: MIT */
/*
 * The HTTP server of smile-emulator: libmicrohttpd with a small thread
 * pool. It only gathers what arrived (headers, query, body) into an
 * emu_call, hands it to emu_handle() and sends the answer back, or closes
 * the connection when the answer says drop.
 */
#include <microhttpd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "core/util.h"
#include "emulator/server.h"
#include "emulator/store/clock.h"

#define THREAD_POOL 4

struct pairs {
	struct emu_pair *items;
	size_t n, alloc;
};

/* A request while its body arrives. */
struct upload {
	struct strbuf body;
	bool too_large;
};

static enum MHD_Result add_pair(void *cls, enum MHD_ValueKind kind, const char *name,
				const char *value)
{
	struct pairs *p = cls;

	(void)kind;
	if (p->n == p->alloc) {
		p->alloc = p->alloc ? 2 * p->alloc : 16;
		p->items = xrealloc(p->items, p->alloc * sizeof(*p->items));
	}
	p->items[p->n++] = (struct emu_pair){ name, value };
	return MHD_YES;
}

/* Date on the emulator clock, not the real one (MHD writes its own only
 * when the answer has none): a client that judges expiry by the server's
 * time then sees the time the emulator judges it by. */
static void add_date(struct MHD_Response *mr)
{
	time_t now = emu_clock_now();
	struct tm tm;
	char date[64];

	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&now, &tm));
	MHD_add_response_header(mr, MHD_HTTP_HEADER_DATE, date);
}

static enum MHD_Result queue_answer(struct MHD_Connection *conn, struct emu_answer *a)
{
	struct MHD_Response *mr = MHD_create_response_from_buffer(a->body_len, a->body,
								  MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;

	if (!mr)
		return MHD_NO;
	a->body = NULL; /* MHD owns it now */
	MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, a->content_type);
	add_date(mr);
	for (size_t i = 0; i < a->n_headers; i++)
		MHD_add_response_header(mr, a->headers[i].name, a->headers[i].value);
	ret = MHD_queue_response(conn, a->status, mr);
	MHD_destroy_response(mr);
	return ret;
}

static enum MHD_Result answer_call(struct emu *emu, struct MHD_Connection *conn, const char *url,
				   const char *method, struct upload *up)
{
	struct pairs query = { 0 }, headers = { 0 };
	struct emu_answer answer;
	enum MHD_Result ret = MHD_NO;

	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_pair, &query);
	MHD_get_connection_values(conn, MHD_HEADER_KIND, add_pair, &headers);
	struct emu_call call = {
		.method = method, .path = url,
		.query = query.items, .n_query = query.n,
		.headers = headers.items, .n_headers = headers.n,
		.body = up->body.buf ? up->body.buf : "", .body_len = up->body.len,
		.body_too_large = up->too_large,
	};
	emu_handle(emu, &call, &answer);
	if (!answer.drop)
		ret = queue_answer(conn, &answer);
	emu_answer_release(&answer);
	free(query.items);
	free(headers.items);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct upload *up = *con_cls;

	(void)version;
	if (!up) {
		*con_cls = xcalloc(1, sizeof(*up));
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (up->body.len + *upload_data_size > EMU_MAX_BODY)
			up->too_large = true;
		else
			strbuf_add(&up->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	return answer_call(cls, conn, url, method, up);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct upload *up = *con_cls;

	(void)cls, (void)conn, (void)toe;
	if (up) {
		strbuf_release(&up->body);
		free(up);
	}
	*con_cls = NULL;
}

static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return emu_unescape(s);
}

struct MHD_Daemon *server_start(struct emu *emu, unsigned *bound_port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)emu->opt.port) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_port = htons((uint16_t)emu->opt.port) };
	const char *host = strcmp(emu->opt.host, "localhost") == 0 ? "127.0.0.1" : emu->opt.host;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY;
	const struct sockaddr *addr;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;

	if (inet_pton(AF_INET, host, &sin.sin_addr) == 1) {
		addr = (const struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, host, &sin6.sin6_addr) == 1) {
		addr = (const struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		log_error("invalid --host '%s': give an IPv4 or IPv6 address", emu->opt.host);
		return NULL;
	}
	d = MHD_start_daemon(flags, (uint16_t)emu->opt.port, NULL, NULL, on_request, emu,
			     MHD_OPTION_SOCK_ADDR, addr,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)THREAD_POOL,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, emu,
			     MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
			     MHD_OPTION_END);
	if (!d) {
		log_error("cannot listen on %s port %u", emu->opt.host, emu->opt.port);
		return NULL;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	*bound_port = info ? info->port : emu->opt.port;
	return d;
}
