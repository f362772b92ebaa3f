/* rules-test-util: event builders and an action recorder shared by the rule engine tests. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rules-test-util.h"

void
test_recorder_init(TestRecorder *recorder)
{
	recorder->lines = g_ptr_array_new_with_free_func(g_free);
	recorder->texts = g_ptr_array_new_with_free_func(g_free);
	recorder->record_kept = FALSE;
}

void
test_recorder_clear(TestRecorder *recorder)
{
	g_clear_pointer(&recorder->lines, g_ptr_array_unref);
	g_clear_pointer(&recorder->texts, g_ptr_array_unref);
}

void
test_recorder_cb(const RulesAction *action, gpointer user_data)
{
	static const char *const names[] = {"kept", "raised", "updated", "cleared"};
	TestRecorder *recorder = user_data;
	if (action->type == RULES_ACTION_KEPT) {
		if (recorder->record_kept)
			g_ptr_array_add(
			    recorder->lines,
			    g_strdup_printf("kept %s", action->rule ? action->rule : "-"));
		return;
	}
	g_ptr_array_add(recorder->lines,
	                g_strdup_printf("%s %s %s %" G_GUINT64_FORMAT, names[action->type],
	                                action->rule, action->key, action->count));
	g_ptr_array_add(recorder->texts, g_strdup(action->text));
}

char *
test_recorder_take(TestRecorder *recorder)
{
	g_ptr_array_add(recorder->lines, NULL);
	char *joined = g_strjoinv("|", (char **)recorder->lines->pdata);
	g_ptr_array_set_size(recorder->lines, 0);
	return joined;
}

char *
test_step_run(RulesEngine *engine, TestRecorder *recorder, const TestStep *step)
{
	gint64 rx = (step->rx != 0 ? step->rx : step->t) * G_TIME_SPAN_SECOND;
	switch (step->op) {
	case 'e': {
		RulesEvent event;
		rules_event_init(&event);
		event.host = step->host;
		event.event_time_us = step->t * G_TIME_SPAN_SECOND;
		event.receive_time_us = rx;
		event.source = step->source != NULL ? step->source : "MR_MONITOR";
		event.event_id = step->id;
		event.level = RULES_LEVEL_INFORMATION;
		event.message = step->message != NULL ? step->message : "";
		rules_raid_parse(event.message, &event.raid);
		rules_engine_feed(engine, &event);
		break;
	}
	case 'h':
		rules_engine_heartbeat(engine, step->host, (gint64)step->id * G_TIME_SPAN_SECOND,
		                       rx);
		break;
	case 't':
		rules_engine_tick(engine, step->t * G_TIME_SPAN_SECOND);
		break;
	case 'f': /* an operator cleared rule (message) + key (host) */
		if (rules_engine_forget_alarm(engine, step->message, step->host))
			g_ptr_array_add(recorder->lines,
			                g_strdup_printf("forgot %s %s", step->message, step->host));
		break;
	default:
		fail_msg("bad step op '%c'", step->op);
	}
	return test_recorder_take(recorder);
}

RulesEngine *
test_engine_new(const char *rules_text, TestRecorder *recorder)
{
	g_autoptr(GError) error = NULL;
	RulesSet *rules = rules_set_new_from_data(rules_text, "test.conf", &error);
	if (rules == NULL)
		fail_msg("rules do not parse: %s", error->message);
	return rules_engine_new(rules, test_recorder_cb, recorder);
}
