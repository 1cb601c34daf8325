/* SPDX-License-Identifier: MIT */
/*
 * Tasks: the work Smile does for a source (LINK_ACCOUNT, ANALYZE_ARCHIVE),
 * Started and then Finished with the datapoints it produced, each step
 * announced (TASK_STARTED, TASK_FINISHED).
 */
#include "core/util.h"
#include "emulator/model/model.h"

json_object *task_start(struct emu *emu, const char *type, const struct gen_ctx *g)
{
	json_object *task = json_object_new_object();
	json_object *event = event_data_for(g->user_id, NULL, g->provider_id);
	_cleanup_free_ char *id = emu_new_id(emu, "task-");

	json_object_object_add(task, "id", json_object_new_string(id));
	emu_json_set_str(task, "type", type);
	emu_json_set_str(task, "startedAt", g->now);
	emu_json_set_str(task, "status", "Started");
	json_object_object_add(task, "datapoints", json_object_new_array());
	json_object_object_add(task, "metadata", userdata_metadata(g));
	emu_coll_put(emu_store(emu, "tasks"), task);

	json_object_object_del(event, "accountId");
	emu_json_set_str(event, "taskId", id);
	emu_json_set_str(event, "sourceId", g->source_id);
	emu_json_set_str(event, "sourceType", g->source_type);
	emu_json_set_str(event, "taskType", type);
	emu_emit(emu, "TASK_STARTED", event);
	json_object_put(event);
	emu_state_dirty(emu);
	return task;
}

void task_finish(struct emu *emu, json_object *task, json_object *datapoints)
{
	json_object *meta, *event;
	char now[EMU_TIME_LEN];

	emu_now(now);
	emu_json_set_str(task, "finishedAt", now);
	emu_json_set_str(task, "status", "Finished");
	json_object_object_add(task, "datapoints", json_object_get(datapoints));

	json_object_object_get_ex(task, "metadata", &meta);
	event = event_data_for(emu_json_str(meta, "userId"), NULL, emu_json_str(meta, "providerId"));
	json_object_object_del(event, "accountId");
	emu_json_set_str(event, "taskId", emu_json_str(task, "id"));
	emu_json_set_str(event, "sourceId", emu_json_str(meta, "sourceId"));
	emu_json_set_str(event, "sourceType", emu_json_str(meta, "sourceType"));
	emu_json_set_str(event, "taskType", emu_json_str(task, "type"));
	emu_json_set_str(event, "status", "SUCCEEDED");
	emu_json_set_str(event, "errorCode", NULL);
	json_object_object_add(event, "datapoints", json_object_get(datapoints));
	emu_emit(emu, "TASK_FINISHED", event);
	json_object_put(event);
	emu_state_dirty(emu);
}

