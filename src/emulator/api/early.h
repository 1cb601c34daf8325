/* SPDX-License-Identifier: MIT */
/*
 * The early-access operations under /alpha and /beta, in three files:
 * api/early.c (the tables, list, get and create), api/early_checks.c (what
 * each body must hold) and api/early_results.c (the fixed sample results
 * each answers with).
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>

struct emu_response;

/* Checks a body; on a problem answers 400 naming the field, false. */
bool check_verification(struct emu_response *res, json_object *body);
bool check_phone_signal(struct emu_response *res, json_object *body);
bool check_beta_signal(struct emu_response *res, json_object *body);
bool check_signal3(struct emu_response *res, json_object *body);
bool check_footprint(struct emu_response *res, json_object *body);
bool check_maw(struct emu_response *res, json_object *body);
bool check_maw3(struct emu_response *res, json_object *body);
bool check_bank_account(struct emu_response *res, json_object *body);
bool check_blacklist(struct emu_response *res, json_object *body);
bool check_alpha_ss(struct emu_response *res, json_object *body);
bool check_beta_ss(struct emu_response *res, json_object *body);

/* Adds the result (and what else the answer holds) to obj for body. */
void fill_verification(json_object *obj, json_object *body);
void fill_alpha_signal(json_object *obj, json_object *body);
void fill_signal1(json_object *obj, json_object *body);
void fill_signal2(json_object *obj, json_object *body);
void fill_signal3(json_object *obj, json_object *body);
void fill_footprint(json_object *obj, json_object *body);
void fill_alpha_maw(json_object *obj, json_object *body);
void fill_maw2(json_object *obj, json_object *body);
void fill_maw3(json_object *obj, json_object *body);
void fill_bank_account(json_object *obj, json_object *body);
void fill_blacklist(json_object *obj, json_object *body);
void fill_social_security(json_object *obj, json_object *body);
