/* Tests of the spool: appends, resume positions, rotation, torn tails, corruption, failures. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chopin-record.h"
#include "chopin-spool.h"

typedef struct {
	char dir[256];
	ChopinRecord record;
} Fixture;

static int
setup(void **state)
{
	Fixture *f = calloc(1, sizeof *f);
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/chopin-spool-test.XXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	Fixture *f = *state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Encodes record number @n (its sequence field is @n) into @buf. */
static size_t
encode_numbered(uint64_t n, uint8_t *buf, size_t size)
{
	ChopinRecord *record = malloc(sizeof *record);
	char host[32];
	size_t len;

	chopin_record_clear(record);
	record->kind = 1;
	record->snmp_version = 2;
	record->received_us = 1000 + n;
	snprintf(host, sizeof host, "HOST%03u", (unsigned)(n % 1000));
	assert_int_equal(chopin_record_add_octets(record, 0x0101, host, strlen(host)), 0);
	assert_int_equal(chopin_record_add_uint(record, 0x0103, n), 0);
	assert_int_equal(chopin_record_encode(record, buf, size, &len), CHOPIN_RECORD_OK);
	free(record);
	return len;
}

/* Appends records @first..@first+@count-1 as one batch. */
static void
append_batch(ChopinSpoolWriter *writer, uint64_t first, uint64_t count)
{
	size_t cap = count * 128, len = 0;
	uint8_t *buf = malloc(cap);
	char err[256];

	for (uint64_t i = 0; i < count; i++)
		len += encode_numbered(first + i, buf + len, cap - len);
	if (chopin_spool_writer_append(writer, buf, len, NULL, err, sizeof err) != 0)
		fail_msg("append: %s", err);
	free(buf);
}

/* Reads until END and checks the sequence numbers run @first.. in order; returns the count. */
static uint64_t
read_all(ChopinSpoolReader *reader, ChopinRecord *record, uint64_t first,
	 ChopinSpoolPosition *ret_last)
{
	char err[256];
	uint64_t count = 0;
	ChopinSpoolReadStatus status;
	ChopinSpoolPosition position;

	while ((status = chopin_spool_reader_next(reader, record, &position, err, sizeof err)) ==
	       CHOPIN_SPOOL_READ_RECORD) {
		int64_t seq;
		assert_int_equal(chopin_record_get_int(record, 0x0103, &seq), 0);
		assert_int_equal(seq, (int64_t)(first + count));
		count++;
		if (ret_last != NULL)
			*ret_last = position;
	}
	assert_int_equal(status, CHOPIN_SPOOL_READ_END);
	return count;
}

static void
test_append_read_resume(void **state)
{
	Fixture *f = *state;
	char err[256];
	ChopinSpoolRecovery recovery;
	ChopinSpoolWriter *writer = chopin_spool_writer_open(f->dir, 0, &recovery, err, sizeof err);
	assert_non_null(writer);
	assert_int_equal(recovery.last_segment, 0);

	append_batch(writer, 1, 100);
	ChopinSpoolPosition start = {0, 0}, middle;
	ChopinSpoolReader *reader = chopin_spool_reader_open(f->dir, start, err, sizeof err);
	assert_non_null(reader);
	assert_int_equal(read_all(reader, &f->record, 1, &middle), 100);
	assert_int_equal(middle.segment, 1);
	assert_int_equal(middle.offset, chopin_spool_writer_position(writer).offset);

	/* the reader sees what is appended after it reached the end */
	append_batch(writer, 101, 50);
	assert_int_equal(read_all(reader, &f->record, 101, NULL), 50);
	chopin_spool_reader_free(reader);

	/* a new reader resumes exactly at a stored position */
	reader = chopin_spool_reader_open(f->dir, middle, err, sizeof err);
	assert_int_equal(read_all(reader, &f->record, 101, NULL), 50);
	assert_int_equal(chopin_spool_reader_skipped(reader, NULL), 0);
	chopin_spool_reader_free(reader);

	/* a second writer on the same spool is refused */
	ChopinSpoolWriter *second = chopin_spool_writer_open(f->dir, 0, NULL, err, sizeof err);
	assert_null(second);
	assert_non_null(strstr(err, "in use by another writer"));
	chopin_spool_writer_close(writer);
}

static void
test_rotation_and_restart(void **state)
{
	Fixture *f = *state;
	char err[256];
	ChopinSpoolWriter *writer = chopin_spool_writer_open(f->dir, 4096, NULL, err, sizeof err);
	assert_non_null(writer);
	for (uint64_t batch = 0; batch < 20; batch++)
		append_batch(writer, 1 + batch * 25, 25);
	assert_true(chopin_spool_writer_position(writer).segment > 5);
	chopin_spool_writer_close(writer);

	/* a restart continues in a new segment; nothing is lost or repeated */
	ChopinSpoolRecovery recovery;
	writer = chopin_spool_writer_open(f->dir, 4096, &recovery, err, sizeof err);
	assert_non_null(writer);
	assert_int_equal(recovery.bytes_cut, 0);
	append_batch(writer, 501, 10);
	ChopinSpoolPosition start = {0, 0};
	ChopinSpoolReader *reader = chopin_spool_reader_open(f->dir, start, err, sizeof err);
	assert_int_equal(read_all(reader, &f->record, 1, NULL), 510);
	chopin_spool_reader_free(reader);
	chopin_spool_writer_close(writer);
}

static void
append_raw(const char *dir, uint32_t segment, const void *data, size_t len)
{
	char path[512], name[32];
	chopin_spool_segment_name(segment, name, sizeof name);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void
test_torn_tail_is_cut(void **state)
{
	Fixture *f = *state;
	char err[256];
	uint8_t partial[128];
	ChopinSpoolWriter *writer = chopin_spool_writer_open(f->dir, 0, NULL, err, sizeof err);
	append_batch(writer, 1, 30);
	chopin_spool_writer_close(writer);

	/* a crash in the middle of the next record */
	size_t len = encode_numbered(31, partial, sizeof partial);
	append_raw(f->dir, 1, partial, len / 2);

	ChopinSpoolRecovery recovery;
	writer = chopin_spool_writer_open(f->dir, 0, &recovery, err, sizeof err);
	assert_non_null(writer);
	assert_int_equal(recovery.last_segment, 1);
	assert_int_equal(recovery.records_found, 30);
	assert_int_equal(recovery.bytes_cut, len / 2);
	assert_int_equal(recovery.corrupt_bytes, 0);
	append_batch(writer, 31, 5);
	chopin_spool_writer_close(writer);

	ChopinSpoolPosition start = {0, 0};
	ChopinSpoolReader *reader = chopin_spool_reader_open(f->dir, start, err, sizeof err);
	assert_int_equal(read_all(reader, &f->record, 1, NULL), 35);
	assert_int_equal(chopin_spool_reader_skipped(reader, NULL), 0);
	chopin_spool_reader_free(reader);

	/* a zero-filled tail (what some file systems show after a crash) is cut too */
	uint8_t zeros[300] = {0};
	append_raw(f->dir, 2, zeros, sizeof zeros);
	writer = chopin_spool_writer_open(f->dir, 0, &recovery, err, sizeof err);
	assert_non_null(writer);
	assert_int_equal(recovery.last_segment, 2);
	assert_int_equal(recovery.records_found, 5);
	assert_int_equal(recovery.bytes_cut, sizeof zeros);
	chopin_spool_writer_close(writer);
}

static void
test_corruption_inside_is_skipped(void **state)
{
	Fixture *f = *state;
	char err[256], path[512], name[32];
	uint8_t one[128];
	ChopinSpoolWriter *writer = chopin_spool_writer_open(f->dir, 0, NULL, err, sizeof err);
	append_batch(writer, 1, 40);
	chopin_spool_writer_close(writer);

	/* flip a byte inside record 11 (records 1..40 all have the same size) */
	size_t rec_len = encode_numbered(1, one, sizeof one);
	chopin_spool_segment_name(1, name, sizeof name);
	snprintf(path, sizeof path, "%s/%s", f->dir, name);
	int fd = open(path, O_RDWR);
	off_t at = (off_t)(10 * rec_len + rec_len / 2);
	uint8_t byte;
	assert_int_equal(pread(fd, &byte, 1, at), 1);
	byte ^= 0x40;
	assert_int_equal(pwrite(fd, &byte, 1, at), 1);
	close(fd);

	ChopinSpoolPosition start = {0, 0};
	ChopinSpoolReader *reader = chopin_spool_reader_open(f->dir, start, err, sizeof err);
	uint64_t count = 0, regions;
	int64_t seq;
	while (chopin_spool_reader_next(reader, &f->record, NULL, err, sizeof err) ==
	       CHOPIN_SPOOL_READ_RECORD) {
		assert_int_equal(chopin_record_get_int(&f->record, 0x0103, &seq), 0);
		assert_int_not_equal(seq, 11);
		count++;
	}
	assert_int_equal(count, 39);
	assert_int_equal(chopin_spool_reader_skipped(reader, &regions), rec_len);
	assert_int_equal(regions, 1);
	chopin_spool_reader_free(reader);

	/* the writer reports it but keeps every readable record */
	ChopinSpoolRecovery recovery;
	writer = chopin_spool_writer_open(f->dir, 0, &recovery, err, sizeof err);
	assert_non_null(writer);
	assert_int_equal(recovery.records_found, 39);
	assert_int_equal(recovery.corrupt_bytes, rec_len);
	assert_int_equal(recovery.bytes_cut, 0);
	chopin_spool_writer_close(writer);
}

static void
test_failed_append_leaves_nothing(void **state)
{
	Fixture *f = *state;
	char err[256];
	struct rlimit old, small;
	int saved_errno = 0;
	ChopinSpoolWriter *writer = chopin_spool_writer_open(f->dir, 0, NULL, err, sizeof err);
	append_batch(writer, 1, 10);

	/* the file may not grow past its current size: the next batch fails midway */
	uint64_t size = chopin_spool_writer_position(writer).offset;
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	small = old;
	small.rlim_cur = size + 100;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	uint8_t buf[2048];
	size_t len = 0;
	for (int i = 0; i < 10; i++)
		len += encode_numbered(11 + (uint64_t)i, buf + len, sizeof buf - len);
	assert_int_equal(chopin_spool_writer_append(writer, buf, len, &saved_errno, err, sizeof err),
			 -1);
	assert_int_equal(saved_errno, EFBIG);
	assert_non_null(strstr(err, "writing spool segment 1"));
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);

	/* space is back: the same batch goes in whole, after exactly the first ten */
	assert_int_equal(chopin_spool_writer_append(writer, buf, len, NULL, err, sizeof err), 0);
	ChopinSpoolPosition start = {0, 0};
	ChopinSpoolReader *reader = chopin_spool_reader_open(f->dir, start, err, sizeof err);
	assert_int_equal(read_all(reader, &f->record, 1, NULL), 20);
	assert_int_equal(chopin_spool_reader_skipped(reader, NULL), 0);
	chopin_spool_reader_free(reader);
	chopin_spool_writer_close(writer);
}

/* Size of segment @n in @dir, 0 when it does not exist. */
static uint64_t
segment_size_of(const char *dir, uint32_t n)
{
	char path[512], name[32];
	struct stat st;
	chopin_spool_segment_name(n, name, sizeof name);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static void
test_backlog(void **state)
{
	Fixture *f = *state;
	char err[256];
	uint64_t bytes = 99, total = 0, before = 0;
	uint32_t segments = 0, non_empty = 0;
	ChopinSpoolPosition start = {0, 0}, middle = {0, 0};

	/* an empty spool has no backlog */
	assert_int_equal(chopin_spool_backlog(f->dir, start, &bytes, &segments, err, sizeof err), 0);
	assert_int_equal(bytes, 0);
	assert_int_equal(segments, 0);

	ChopinSpoolWriter *writer = chopin_spool_writer_open(f->dir, 4096, NULL, err, sizeof err);
	assert_non_null(writer);
	for (uint64_t batch = 0; batch < 12; batch++)
		append_batch(writer, 1 + batch * 25, 25);
	ChopinSpoolPosition end = chopin_spool_writer_position(writer);
	assert_true(end.segment > 3);
	for (uint32_t n = 1; n <= end.segment; n++) {
		total += segment_size_of(f->dir, n);
		non_empty += segment_size_of(f->dir, n) > 0;
	}

	/* from the start: everything, in every segment */
	assert_int_equal(chopin_spool_backlog(f->dir, start, &bytes, &segments, err, sizeof err), 0);
	assert_int_equal(bytes, total);
	assert_int_equal(segments, non_empty); /* a segment just rotated to is empty */
	/* at the writer's position: nothing */
	assert_int_equal(chopin_spool_backlog(f->dir, end, &bytes, &segments, err, sizeof err), 0);
	assert_int_equal(bytes, 0);
	assert_int_equal(segments, 0);

	/* in the middle: what lies after the position */
	ChopinSpoolReader *reader = chopin_spool_reader_open(f->dir, start, err, sizeof err);
	for (int i = 0; i < 120; i++)
		assert_int_equal(chopin_spool_reader_next(reader, &f->record, &middle, err, sizeof err),
				 CHOPIN_SPOOL_READ_RECORD);
	chopin_spool_reader_free(reader);
	for (uint32_t n = 1; n < middle.segment; n++)
		before += segment_size_of(f->dir, n);
	assert_int_equal(chopin_spool_backlog(f->dir, middle, &bytes, NULL, err, sizeof err), 0);
	assert_int_equal(bytes, total - before - middle.offset);
	chopin_spool_writer_close(writer);

	assert_int_equal(chopin_spool_backlog("/nonexistent/spool", start, &bytes, NULL, err,
					      sizeof err),
			 -1);
	assert_non_null(strstr(err, "/nonexistent/spool"));
}

static void
test_reader_errors(void **state)
{
	char err[256];
	ChopinSpoolPosition start = {0, 0};
	assert_null(chopin_spool_reader_open("/nonexistent/spool", start, err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent/spool"));

	char name[32];
	chopin_spool_segment_name(42, name, sizeof name);
	assert_string_equal(name, "0000000042.spool");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_append_read_resume, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotation_and_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_tail_is_cut, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corruption_inside_is_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_append_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backlog, setup, teardown),
		cmocka_unit_test(test_reader_errors),
	};
	return cmocka_run_group_tests_name("spool", tests, NULL, NULL);
}
