/* SPDX-License-Identifier: MIT */
/*
 * The key an invitation is known by, in the journal and when the rows of a
 * bulk send are matched against the invitations the server already has:
 * the e-mail without regard to ASCII case (addresses are compared without
 * case, as the API does), a tab, the template id. ASCII only, never the
 * locale's tolower(): in a Latin-1 locale that would fold bytes of a UTF-8
 * address too, and the file's key and the server's could then disagree,
 * which would let someone be invited twice.
 */
#pragma once

/* "email<TAB>templateId", the email's A-Z lowered; NULL is "". Allocated. */
char *invite_key(const char *email, const char *template_id);
