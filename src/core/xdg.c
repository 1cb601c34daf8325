/* SPDX-License-Identifier: MIT */
#include "core/xdg.h"

#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/alloc.h"

char *home_directory(void)
{
	const char *home = getenv("HOME");
	if (home && *home)
		return xstrdup(home);
	struct passwd *pw = getpwuid(getuid());
	if (pw && pw->pw_dir && *pw->pw_dir)
		return xstrdup(pw->pw_dir);
	return xstrdup(".");
}

/* $VAR/smile when VAR holds an absolute path, else ~/FALLBACK/smile. */
static char *xdg_directory(const char *var, const char *fallback)
{
	const char *base = getenv(var);
	if (base && base[0] == '/')
		return xasprintf("%s/smile", base);
	_cleanup_free_ char *home = home_directory();
	return xasprintf("%s/%s/smile", home, fallback);
}

char *config_directory(void)
{
	return xdg_directory("XDG_CONFIG_HOME", ".config");
}

char *state_directory(void)
{
	return xdg_directory("XDG_STATE_HOME", ".local/state");
}
