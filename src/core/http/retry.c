/* SPDX-License-Identifier: MIT */
/*
 * The retry policy of the HTTP core, kept apart from the transfer machinery
 * so that it can be tested as plain functions (see http.h for the rule).
 */
#include "core/http/client.h"
#include "core/util.h"

#include <curl/curl.h>
#include <math.h>
#include <strings.h>
#include <unistd.h>

#define BACKOFF_BASE_MS 250L
#define BACKOFF_CAP_MS 8000L

/* xorshift64*: jitter needs no quality, only independence between runs, and
 * must not disturb a random() sequence someone else may rely on. */
static double default_rand01(void)
{
	static unsigned long long state;

	if (!state)
		state = (unsigned long long)(now_monotonic() * 1e9) ^ ((unsigned long long)getpid() << 32) ^ 0x9e3779b97f4a7c15ULL;
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (double)((state * 0x2545f4914f6cdd1dULL) >> 11) / 9007199254740992.0;
}

long http_backoff_ms(int attempt, long retry_after_ms, double (*rand01)(void))
{
	long ceiling = BACKOFF_BASE_MS;
	double r = (rand01 ? rand01 : default_rand01)();

	if (attempt < 1)
		attempt = 1;
	/* Doubling stops at the cap, which also keeps the shift from overflowing. */
	for (int i = 1; i < attempt && ceiling < BACKOFF_CAP_MS; i++)
		ceiling *= 2;
	if (ceiling > BACKOFF_CAP_MS)
		ceiling = BACKOFF_CAP_MS;
	if (r < 0 || r >= 1)
		r = 0;
	/* Full jitter: clients that failed together do not retry together. */
	long delay = (long)floor(r * (double)ceiling);
	return retry_after_ms > delay ? retry_after_ms : delay;
}

bool http_method_is_idempotent(const char *method)
{
	static const char *const idempotent[] = { "GET", "HEAD", "DELETE", "OPTIONS" };

	for (size_t i = 0; i < sizeof(idempotent) / sizeof(idempotent[0]); i++)
		if (strcasecmp(method, idempotent[i]) == 0)
			return true;
	return false;
}

/* GET, HEAD, OPTIONS: asking again changes nothing on the server. */
static bool method_is_safe(const char *method)
{
	static const char *const safe[] = { "GET", "HEAD", "OPTIONS" };

	for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
		if (strcasecmp(method, safe[i]) == 0)
			return true;
	return false;
}

/* Failures of the network that a later try may not meet. Refused TLS
 * verification, our own write aborts and bad URLs are not among them. */
static bool curl_code_is_transient(int code)
{
	switch (code) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

bool http_should_retry(const char *method, long status, int curl_code, bool connected)
{
	bool idempotent = http_method_is_idempotent(method);

	if (curl_code != CURLE_OK) {
		if (!curl_code_is_transient(curl_code))
			return false;
		/* A request that never reached the server cannot have been
		 * processed, so even a POST may go again. */
		return idempotent || !connected;
	}
	switch (status) {
	case 429:
	case 503:
		return true; /* refused before processing, whatever the method */
	case 500:
		return method_is_safe(method); /* a read may go again; a write may have happened */
	case 502:
	case 504:
		return idempotent; /* the upstream may have acted on it */
	default:
		return false;
	}
}
