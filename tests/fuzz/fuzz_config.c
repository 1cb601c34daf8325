/* SPDX-License-Identifier: MIT */
/*
 * The config file: load any bytes as config.yaml, set a key as `smile config
 * set` would, save, and load the saved file again.
 *
 * Input: one byte picking the key (of config_profile_keys), then the file
 * up to a NUL, then the profile name up to a NUL, then the value.
 *
 * Properties: a file that is refused gets a one-line error; a file that is
 * taken, with a value that config_check_value() and config_set() accept,
 * saves without error, and the saved file loads again with the new value
 * and every value of every profile as it was.
 */
#include "fuzz.h"

#include "core/config/config.h"
#include "core/util.h"

static size_t n_keys(void)
{
	size_t n = 0;
	while (config_profile_keys[n])
		n++;
	return n;
}

static void check_same_profiles(const struct config *a, const struct config *b)
{
	const char **names;
	size_t n = config_profile_names(a, &names);
	const char **copy = xcalloc(n + 1, sizeof(*copy));
	memcpy(copy, names, n * sizeof(*names)); /* the next call reuses the array */
	fuzz_assert(config_profile_names(b, &names) == n, "the saved file has another number of profiles");
	for (size_t i = 0; i < n; i++) {
		fuzz_assert(config_has_profile(b, copy[i]), "profile '%s' is lost on saving", copy[i]);
		for (size_t k = 0; config_profile_keys[k]; k++) {
			const char *va = config_get(a, copy[i], config_profile_keys[k]);
			const char *vb = config_get(b, copy[i], config_profile_keys[k]);
			fuzz_assert((!va && !vb) || (va && vb && !strcmp(va, vb)),
				    "profile '%s' key %s: '%s' saved, '%s' read back", copy[i],
				    config_profile_keys[k], va ? va : "(unset)", vb ? vb : "(unset)");
		}
	}
	const char *da = config_default_profile(a), *db = config_default_profile(b);
	fuzz_assert((!da && !db) || (da && db && !strcmp(da, db)), "the default profile changed on saving");
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	const char *key = config_profile_keys[fuzz_byte(&in) % n_keys()];
	size_t file_len;
	_cleanup_free_ char *file = fuzz_part(&in, &file_len);
	_cleanup_free_ char *profile = fuzz_part(&in, NULL);
	_cleanup_free_ char *value = fuzz_part(&in, NULL);
	const char *path = fuzz_path("config.yaml"), *saved = fuzz_path("saved.yaml");
	struct config *cfg = NULL, *back = NULL;
	char *err = NULL;

	fuzz_write_file(path, file, file_len);
	if (config_load(path, &cfg, &err) < 0) {
		fuzz_assert_one_line("a refused config file", err);
		free(err);
		return 0;
	}
	const char *name = *profile ? profile : "fuzz";
	if (config_check_value(key, value, &err) < 0) {
		fuzz_assert_one_line("a refused value", err);
	} else if (config_set(cfg, name, key, value) == 0) {
		fuzz_assert(!strcmp(config_get(cfg, name, key), value), "config_get does not give the value set");
		config_set_default_profile(cfg, name);
	}
	free(err);
	err = NULL;

	unlink(saved);
	fuzz_assert(config_save(cfg, saved, &err) == 0, "a loaded config does not save: %s", err);
	fuzz_assert(config_load(saved, &back, &err) == 0, "a saved config does not load: %s", err);
	check_same_profiles(cfg, back);
	config_free(back);
	config_free(cfg);
	return 0;
}
