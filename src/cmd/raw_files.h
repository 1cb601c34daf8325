/* SPDX-License-Identifier: MIT */
/*
 * Local files as the API takes them inside a JSON body: checked, read
 * and base64-encoded into rawFiles items. `archives create`, `classify`,
 * `upload-payslip` and the archives of `smile apply` all send them so.
 */
#pragma once

#include <json-c/json.h>

/* "Files up to a maximum of 15MB are accepted" (smile-api docs,
 * english/tags/tag-archives.md, Archives). Read as 15 MiB, the larger
 * reading, so that no file the API takes is refused here; a larger one is
 * refused before anything is sent, not after minutes of upload. */
#define RAW_FILE_MAX (15u * 1024 * 1024)

/* Why path cannot be sent (allocated, "'x.gif': unsupported file type
 * ..."), with the exit status it stands for in *status; NULL when it has
 * a type the API takes, is a regular file, not empty and within the limit. */
char *raw_file_problem(const char *path, int *status);
/* The message about a file of a type the API does not take, or NULL. Allocated. */
char *raw_file_type_problem(const char *path);

/* A file's contents in base64 (allocated). 0 or an exit status (logged). */
int raw_file_base64(const char *path, char **out);

/* One rawFiles item, {fileName, fileExtensionType, fileContent[,
 * fileSubtype]}, named by path's last segment. 0 or an exit status (logged). */
int raw_file_item(const char *path, const char *subtype, json_object **out);
