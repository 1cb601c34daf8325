/* SPDX-License-Identifier: MIT */
/*
 * A minimal TAP producer for the unit tests: each CHECK is one test point,
 * so a failure names the exact expectation. Output is read by tests/run-all.
 */
#pragma once

#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;

#define CHECK(cond, name)                                                        \
	do {                                                                     \
		tap_count++;                                                     \
		if (cond) {                                                      \
			printf("ok %d - %s\n", tap_count, name);                 \
		} else {                                                         \
			tap_failed++;                                            \
			printf("not ok %d - %s\n# %s:%d: %s\n", tap_count, name, \
			       __FILE__, __LINE__, #cond);                       \
		}                                                                \
	} while (0)

#define CHECK_STR(got, want, name)                                                  \
	do {                                                                        \
		const char *g_ = (got), *w_ = (want);                               \
		int same_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_;            \
		CHECK(same_, name);                                                 \
		if (!same_)                                                         \
			printf("# got:  [%s]\n# want: [%s]\n", g_ ? g_ : "(null)",   \
			       w_ ? w_ : "(null)");                                 \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}
