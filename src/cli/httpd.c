/* SPDX-License-Identifier: MIT */
#include "cli/httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/util.h"

#define CONNECTION_TIMEOUT_S 60u

/* A listening socket on host:port, or -1 with the reason printed. */
static int listen_socket(const char *host, unsigned port, unsigned *flags)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	const struct sockaddr *addr;
	socklen_t addr_len;
	int fd, one = 1;

	if (inet_pton(AF_INET, host, &sin.sin_addr) == 1) {
		addr = (const struct sockaddr *)&sin;
		addr_len = sizeof(sin);
	} else if (inet_pton(AF_INET6, host, &sin6.sin6_addr) == 1) {
		addr = (const struct sockaddr *)&sin6;
		addr_len = sizeof(sin6);
		*flags |= MHD_USE_IPv6;
	} else {
		log_error("invalid --host '%s': give an IPv4 or IPv6 address", host);
		return -1;
	}
	fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_error("cannot make a socket: %s", strerror(errno));
		return -1;
	}
	/* Lets a restarted listener take its port back from TIME_WAIT; a port
	 * that another process listens on still refuses the bind. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, addr, addr_len) < 0 || listen(fd, SOMAXCONN) < 0) {
		int e = errno;
		log_error("cannot listen on %s port %u: %s%s", host, port, strerror(e),
			  e == EADDRINUSE ? " (is another listener running? --port 0 picks a free port)" : "");
		close(fd);
		return -1;
	}
	return fd;
}

static unsigned bound_port(int fd, unsigned asked)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return asked;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

struct MHD_Daemon *httpd_start(const char *host, unsigned port, unsigned extra_flags,
			       MHD_AccessHandlerCallback on_request, void *cls,
			       MHD_RequestCompletedCallback on_completed, void *completed_cls,
			       unsigned *bound)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | extra_flags;
	struct MHD_Daemon *d;
	int fd = listen_socket(host, port, &flags);

	if (fd < 0)
		return NULL;
	d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, cls,
			     MHD_OPTION_LISTEN_SOCKET, fd,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, completed_cls,
			     MHD_OPTION_CONNECTION_TIMEOUT, CONNECTION_TIMEOUT_S,
			     MHD_OPTION_END);
	if (!d) {
		close(fd);
		log_error("cannot serve on %s port %u", host, port);
		return NULL;
	}
	*bound = bound_port(fd, port);
	return d;
}

char *httpd_origin(const char *host, unsigned port)
{
	return xasprintf(strchr(host, ':') ? "http://[%s]:%u" : "http://%s:%u", host, port);
}

enum MHD_Result httpd_answer(struct MHD_Connection *conn, unsigned status, const char *type, char *body)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;

	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

bool httpd_take_body(struct httpd_body *b, size_t max, const char *upload_data, size_t *upload_data_size)
{
	if (!*upload_data_size)
		return false;
	if (b->data.len + *upload_data_size > max)
		b->too_large = true;
	else if (!b->too_large)
		strbuf_add(&b->data, upload_data, *upload_data_size);
	*upload_data_size = 0;
	return true;
}
