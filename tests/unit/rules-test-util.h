/* rules-test-util: event builders and an action recorder shared by the rule engine tests. */
#ifndef CHOPIN_RULES_TEST_UTIL_H
#define CHOPIN_RULES_TEST_UTIL_H

#include "rules.h"

/* One line per action: "raised RULE KEY COUNT", "updated ...", "cleared ...", and, when
 * record_kept is set, "kept RULE" ("kept -" for the default). */
typedef struct {
	GPtrArray *lines;
	GPtrArray *texts; /* the expanded text of each alarm action */
	gboolean record_kept;
} TestRecorder;

void test_recorder_init(TestRecorder *recorder);
void test_recorder_clear(TestRecorder *recorder);
void test_recorder_cb(const RulesAction *action, gpointer user_data);
/* The lines recorded since the last call, joined with "|"; the caller frees it. */
char *test_recorder_take(TestRecorder *recorder);

/* A script step: 'e' event, 'h' heartbeat (id = interval in s), 't' tick (t = now), 'f' an
 * operator cleared the alarm of rule message + key host ("forgot RULE KEY" when it was open). */
typedef struct {
	char op;
	const char *host;
	gint64 t; /* seconds: event time, and receive time unless rx is set */
	guint id;
	const char *message;
	const char *expect; /* the actions this step must produce, "|"-joined, "" for none */
	const char *source; /* NULL: MR_MONITOR */
	gint64 rx;          /* receive time in seconds when nonzero */
} TestStep;

/* Runs one step against engine and returns what it produced (caller frees). */
char *test_step_run(RulesEngine *engine, TestRecorder *recorder, const TestStep *step);
RulesEngine *test_engine_new(const char *rules_text, TestRecorder *recorder);

#endif /* CHOPIN_RULES_TEST_UTIL_H */
