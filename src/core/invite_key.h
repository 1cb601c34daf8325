/* SPDX-License-Identifier: MIT */
/*
 * The key an invitation is known by when smile matches the rows of a bulk
 * send against the invitations the server already has: the email without
 * regard to ASCII case, and the template. ASCII only, never the locale's
 * tolower(): in a non-UTF-8 locale that would fold bytes of a UTF-8
 * address too, and the file's key and the server's could then disagree,
 * which would let someone be invited twice.
 */
#pragma once

/* "email<TAB>templateId", the email's A-Z lowered. Allocated. */
char *invite_lookup_key(const char *email, const char *template_id);
