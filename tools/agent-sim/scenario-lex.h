/* scenario-lex.h: the line tokenizer and value parsers shared by the scenario parser and its tests.
 */
#ifndef CHOPIN_SCENARIO_LEX_H
#define CHOPIN_SCENARIO_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LEX_MAX_TOKENS 64
#define LEX_MAX_LINE   8192

/* A token is a bare word, a "quoted string", or key=value (value bare or quoted). */
typedef struct {
	const char *key; /* NULL for a positional token */
	const char *value;
} LexToken;

typedef struct {
	char buffer[LEX_MAX_LINE + 1]; /* unescaped token text, NUL-separated */
	LexToken tokens[LEX_MAX_TOKENS];
	size_t n_tokens;
	bool opens_block; /* the line ended with a bare "{" (not counted as a token) */
} LexLine;

/* Splits line[0..len) (no newline) into tokens; '#' outside quotes starts a
 * comment. Returns 0, or -1 with the reason in ret_error. */
int lex_line(const char *line, size_t len, LexLine *ret_line, char *ret_error, size_t error_size);

/* Value parsers: 0 on success, -1 (ret untouched) on bad input. */
int lex_parse_u64(const char *text, uint64_t min, uint64_t max, uint64_t *ret_value);
int lex_parse_i64(const char *text, int64_t min, int64_t max, int64_t *ret_value);
int lex_parse_bool(const char *text, bool *ret_value);
/* Hex "0x8000..." or "8000..." into ret (max_len bytes): the length, or -1. */
int lex_parse_hex(const char *text, unsigned char *ret, size_t max_len);
/* "285148" (MiB), "278.875GiB", "1.5 TiB", "512MiB": size in MiB. */
int lex_parse_size_mib(const char *text, uint32_t *ret_mib);

#endif /* CHOPIN_SCENARIO_LEX_H */
