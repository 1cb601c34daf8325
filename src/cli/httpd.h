/* SPDX-License-Identifier: MIT */
/*
 * The local web servers of smile (smile link, smile webhooks listen):
 * libmicrohttpd on its one internal thread, on a socket bound here so that
 * a port already in use is a clear error, not a silent failure.
 */
#pragma once

#include <microhttpd.h>
#include <stdbool.h>

#include "core/util.h"

/* Listens on host (an IPv4 or IPv6 address) and port (0: a free one) and
 * serves with on_request; on_completed (may be NULL) runs after each
 * answer. extra_flags are added to MHD_USE_INTERNAL_POLLING_THREAD.
 * *bound gets the port. NULL on failure, message printed
 * ("cannot listen on 127.0.0.1 port 8000: Address already in use"). */
struct MHD_Daemon *httpd_start(const char *host, unsigned port, unsigned extra_flags,
			       MHD_AccessHandlerCallback on_request, void *cls,
			       MHD_RequestCompletedCallback on_completed, void *completed_cls,
			       unsigned *bound);

/* "http://HOST:PORT" ("[HOST]" for IPv6), allocated. */
char *httpd_origin(const char *host, unsigned port);

/* Queues an answer of body (taken: freed by libmicrohttpd) with this
 * Content-Type and Cache-Control: no-store. */
enum MHD_Result httpd_answer(struct MHD_Connection *conn, unsigned status, const char *type, char *body);

/* A request body as it arrives, capped: libmicrohttpd hands it on in
 * parts, each call of the access handler one part. */
struct httpd_body {
	struct strbuf data;
	bool too_large; /* over the cap: the rest was dropped */
};

/* Takes the part in upload_data, if any (*upload_data_size is then
 * zeroed and the handler returns MHD_YES); false when the body is all
 * there and the request is to be answered. */
bool httpd_take_body(struct httpd_body *b, size_t max, const char *upload_data, size_t *upload_data_size);
