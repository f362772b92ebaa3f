/* scenario-parser.h: the scenario parser's state and helpers, shared by scenario.c and
 * scenario-step.c. */
#ifndef CHOPIN_SCENARIO_PARSER_H
#define CHOPIN_SCENARIO_PARSER_H

#include "agent-sim.h"
#include "scenario-lex.h"

typedef struct {
	SimScenario *scenario;
	const char *file;
	unsigned line;
	char *error;
	size_t error_size;
	bool have_start;
	SimInventory *open_inventory; /* inside "inventory NAME {" ... "}" */
	size_t hosts_capacity, inventories_capacity, steps_capacity;
	size_t records_capacity;
	LexLine lex;
} Parser;

/* scenario.c: every helper returns 0, or -1 after writing "file:line: message". */
int parser_fail(Parser *parser, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Grows *array (of element_size) so that one more element fits; 0 or -1 (no message). */
int parser_grow(void **array, size_t count, size_t *capacity, size_t element_size);
int parser_text(Parser *parser, char *destination, size_t size, const char *key, const char *value);
/* Like parser_text, but an empty value is an error (MIB objects of SIZE (1..n)). */
int parser_required_text(Parser *parser, char *destination, size_t size, const char *key,
                         const char *value);
int parser_u32(Parser *parser, uint32_t *destination, const char *key, const char *value,
               uint64_t min, uint64_t max);
int parser_int(Parser *parser, int *destination, const char *key, const char *value, int64_t min,
               int64_t max);
int parser_truth(Parser *parser, int *destination, const char *key, const char *value);
int parser_time(Parser *parser, int64_t *destination, const char *value);
int parser_offset(Parser *parser, int64_t *destination, const char *value);
int parser_unknown_key(Parser *parser, const LexToken *token, const char *what);
/* The declared host of that name (case-insensitive), or NULL. */
SimHost *parser_find_host(Parser *parser, const char *name, size_t *ret_index);

/* scenario-step.c: "at OFFSET [repeat N every D] ACTION HOST ..." */
int parser_step(Parser *parser);

#endif /* CHOPIN_SCENARIO_PARSER_H */
