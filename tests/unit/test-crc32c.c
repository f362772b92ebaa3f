/* Unit tests of CRC-32C: published check values, chaining, hardware == table. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "chopin-crc32c.h"

static void
test_check_values(void **state)
{
	/* RFC 3720 appendix B.4 and the common "123456789" check value. */
	static const struct {
		const char *input;
		size_t len;
		uint32_t crc;
	} cases[] = {
		{"", 0, 0x00000000u},
		{"a", 1, 0xc1d04330u},
		{"123456789", 9, 0xe3069283u},
		{"The quick brown fox jumps over the lazy dog", 43, 0x22620404u},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(chopin_crc32c(0, cases[i].input, cases[i].len), cases[i].crc);
		assert_int_equal(chopin_crc32c_portable(0, cases[i].input, cases[i].len),
				 cases[i].crc);
	}
	uint8_t zeros[32] = {0};
	assert_int_equal(chopin_crc32c(0, zeros, sizeof zeros), 0x8a9136aau);
	uint8_t ones[32];
	memset(ones, 0xff, sizeof ones);
	assert_int_equal(chopin_crc32c(0, ones, sizeof ones), 0x62a8ab43u);
}

static void
test_chaining_and_paths_agree(void **state)
{
	uint8_t buf[4099];
	uint32_t seed = 12345;
	for (size_t i = 0; i < sizeof buf; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
	for (size_t len = 0; len < sizeof buf; len += 37) {
		uint32_t whole = chopin_crc32c(0, buf, len);
		assert_int_equal(whole, chopin_crc32c_portable(0, buf, len));
		for (size_t cut = 0; cut <= len; cut += 13) {
			uint32_t part = chopin_crc32c(0, buf, cut);
			assert_int_equal(chopin_crc32c(part, buf + cut, len - cut), whole);
			/* unaligned starts */
			part = chopin_crc32c_portable(0, buf, cut);
			assert_int_equal(chopin_crc32c_portable(part, buf + cut, len - cut), whole);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_values),
		cmocka_unit_test(test_chaining_and_paths_agree),
	};
	return cmocka_run_group_tests_name("crc32c", tests, NULL, NULL);
}
