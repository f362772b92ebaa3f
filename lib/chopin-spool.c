/* The durable spool: segment files, group-committed appends, torn-tail repair, resyncing readers. */
#include "config.h"

#include "chopin-spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define SEGMENT_SUFFIX ".spool"
#define SEGMENT_DIGITS 10
#define READER_BUFFER_SIZE (1024u * 1024u)

struct _ChopinSpoolWriter {
	char *dir;
	int dir_fd;
	int lock_fd;
	int fd;
	uint32_t segment;
	uint64_t size;
	uint64_t segment_size;
};

struct _ChopinSpoolReader {
	char *dir;
	uint32_t segment; /* 0: not positioned yet */
	int fd;
	uint64_t buf_offset; /* file offset of buf[0] */
	uint8_t *buf;
	size_t len;
	size_t pos;
	uint64_t skipped;
	uint64_t regions;
	int in_corrupt_region;
};

static void __attribute__((format(printf, 3, 4)))
spool_error(char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errbuf == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
}

void
chopin_spool_segment_name(uint32_t segment, char *buf, size_t size)
{
	snprintf(buf, size, "%0*" PRIu32 SEGMENT_SUFFIX, SEGMENT_DIGITS, segment);
}

/* The segment number of @name, or 0 if it is not a segment file name. */
static uint32_t
segment_number(const char *name)
{
	uint64_t value = 0;

	for (int i = 0; i < SEGMENT_DIGITS; i++) {
		if (name[i] < '0' || name[i] > '9')
			return 0;
		value = value * 10 + (uint64_t)(name[i] - '0');
	}
	if (strcmp(name + SEGMENT_DIGITS, SEGMENT_SUFFIX) != 0 || value > UINT32_MAX)
		return 0;
	return (uint32_t)value;
}

/*
 * The smallest segment number greater than @after present in @dir, or 0.
 * With @ret_last, also the greatest one.  Returns -1 when @dir is unreadable.
 */
static int
spool_scan_dir(const char *dir, uint32_t after, uint32_t *ret_next, uint32_t *ret_last)
{
	DIR *d = opendir(dir);
	struct dirent *entry;
	uint32_t next = 0, last = 0;

	if (d == NULL)
		return -1;
	while ((entry = readdir(d)) != NULL) {
		uint32_t n = segment_number(entry->d_name);
		if (n == 0)
			continue;
		if (n > after && (next == 0 || n < next))
			next = n;
		if (n > last)
			last = n;
	}
	closedir(d);
	if (ret_next != NULL)
		*ret_next = next;
	if (ret_last != NULL)
		*ret_last = last;
	return 0;
}

int
chopin_spool_backlog(const char *dir, ChopinSpoolPosition position, uint64_t *ret_bytes,
		     uint32_t *ret_segments, char *errbuf, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *entry;
	uint64_t bytes = 0;
	uint32_t segments = 0;
	int saved = 0;

	if (d == NULL) {
		spool_error(errbuf, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((entry = readdir(d)) != NULL) {
		uint32_t n = segment_number(entry->d_name);
		struct stat st;
		if (n == 0 || n < position.segment)
			continue;
		if (fstatat(dirfd(d), entry->d_name, &st, 0) != 0) {
			if (errno == ENOENT)
				continue; /* removed meanwhile */
			saved = errno;
			spool_error(errbuf, errlen, "%s/%s: %s", dir, entry->d_name, strerror(saved));
			break;
		}
		uint64_t size = (uint64_t)st.st_size;
		uint64_t consumed = n == position.segment ? position.offset : 0;
		if (size > consumed) {
			bytes += size - consumed;
			segments++;
		}
	}
	closedir(d);
	if (saved != 0)
		return -1;
	*ret_bytes = bytes;
	if (ret_segments != NULL)
		*ret_segments = segments;
	return 0;
}

/* --- reader --------------------------------------------------------------- */

ChopinSpoolReader *
chopin_spool_reader_open(const char *dir, ChopinSpoolPosition start, char *errbuf, size_t errlen)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		spool_error(errbuf, errlen, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	closedir(d);

	ChopinSpoolReader *reader = calloc(1, sizeof *reader);
	if (reader == NULL || (reader->buf = malloc(READER_BUFFER_SIZE)) == NULL ||
	    (reader->dir = strdup(dir)) == NULL) {
		chopin_spool_reader_free(reader);
		spool_error(errbuf, errlen, "out of memory");
		return NULL;
	}
	reader->fd = -1;
	reader->segment = start.segment;
	reader->buf_offset = start.offset;
	return reader;
}

void
chopin_spool_reader_free(ChopinSpoolReader *reader)
{
	if (reader == NULL)
		return;
	if (reader->fd >= 0)
		close(reader->fd);
	free(reader->buf);
	free(reader->dir);
	free(reader);
}

uint64_t
chopin_spool_reader_skipped(const ChopinSpoolReader *reader, uint64_t *ret_regions)
{
	if (ret_regions != NULL)
		*ret_regions = reader->regions;
	return reader->skipped;
}

static void
reader_skip(ChopinSpoolReader *reader, size_t n)
{
	if (n == 0)
		return;
	if (!reader->in_corrupt_region)
		reader->regions++;
	reader->in_corrupt_region = 1;
	reader->skipped += n;
	reader->pos += n;
}

/* Opens the current segment (or the next one present).  1 opened, 0 none yet, -1 error. */
static int
reader_open_segment(ChopinSpoolReader *reader, char *errbuf, size_t errlen)
{
	char name[32];

	for (;;) {
		if (reader->segment == 0) {
			uint32_t first;
			if (spool_scan_dir(reader->dir, 0, &first, NULL) < 0) {
				spool_error(errbuf, errlen, "%s: %s", reader->dir, strerror(errno));
				return -1;
			}
			if (first == 0)
				return 0;
			reader->segment = first;
			reader->buf_offset = 0;
		}
		chopin_spool_segment_name(reader->segment, name, sizeof name);
		int dir_fd = open(reader->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dir_fd < 0) {
			spool_error(errbuf, errlen, "%s: %s", reader->dir, strerror(errno));
			return -1;
		}
		reader->fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC);
		int saved = errno;
		close(dir_fd);
		if (reader->fd >= 0)
			break;
		if (saved != ENOENT) {
			spool_error(errbuf, errlen, "%s/%s: %s", reader->dir, name, strerror(saved));
			return -1;
		}
		/* gone (consumed and removed) or not created yet: move to the next present */
		uint32_t next;
		if (spool_scan_dir(reader->dir, reader->segment, &next, NULL) < 0) {
			spool_error(errbuf, errlen, "%s: %s", reader->dir, strerror(errno));
			return -1;
		}
		if (next == 0)
			return 0;
		reader->segment = next;
		reader->buf_offset = 0;
	}
	if (lseek(reader->fd, (off_t)reader->buf_offset, SEEK_SET) < 0) {
		spool_error(errbuf, errlen, "%s/%s: seek: %s", reader->dir, name, strerror(errno));
		close(reader->fd);
		reader->fd = -1;
		return -1;
	}
	reader->len = 0;
	reader->pos = 0;
	return 1;
}

/* Reads more bytes after what is buffered.  Returns bytes read, 0 at end of file, -1 on error. */
static ssize_t
reader_fill(ChopinSpoolReader *reader, char *errbuf, size_t errlen)
{
	if (reader->pos > 0) {
		memmove(reader->buf, reader->buf + reader->pos, reader->len - reader->pos);
		reader->buf_offset += reader->pos;
		reader->len -= reader->pos;
		reader->pos = 0;
	}
	for (;;) {
		ssize_t n = read(reader->fd, reader->buf + reader->len,
				 READER_BUFFER_SIZE - reader->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			spool_error(errbuf, errlen, "reading spool segment %" PRIu32 ": %s",
				    reader->segment, strerror(errno));
			return -1;
		}
		reader->len += (size_t)n;
		return n;
	}
}

/* Moves to the segment after the current one if there is one.  1 moved, 0 none, -1 error. */
static int
reader_next_segment(ChopinSpoolReader *reader, char *errbuf, size_t errlen)
{
	uint32_t next;

	if (spool_scan_dir(reader->dir, reader->segment, &next, NULL) < 0) {
		spool_error(errbuf, errlen, "%s: %s", reader->dir, strerror(errno));
		return -1;
	}
	if (next == 0)
		return 0;
	/* a newer segment exists, so this one is complete: read what is left first */
	ssize_t n = reader_fill(reader, errbuf, errlen);
	if (n < 0)
		return -1;
	if (n > 0)
		return 1;
	reader_skip(reader, reader->len - reader->pos); /* an unreadable tail */
	close(reader->fd);
	reader->fd = -1;
	reader->segment = next;
	reader->buf_offset = 0;
	reader->len = reader->pos = 0;
	return 1;
}

ChopinSpoolReadStatus
chopin_spool_reader_next(ChopinSpoolReader *reader, ChopinRecord *record,
			 ChopinSpoolPosition *ret_next, char *errbuf, size_t errlen)
{
	for (;;) {
		if (reader->fd < 0) {
			int rc = reader_open_segment(reader, errbuf, errlen);
			if (rc < 0)
				return CHOPIN_SPOOL_READ_ERROR;
			if (rc == 0)
				return CHOPIN_SPOOL_READ_END;
		}
		size_t consumed;
		const uint8_t *at = reader->buf + reader->pos;
		size_t avail = reader->len - reader->pos;
		ChopinRecordStatus status = chopin_record_decode(at, avail, record, &consumed);
		if (status == CHOPIN_RECORD_OK) {
			reader->pos += consumed;
			reader->in_corrupt_region = 0;
			if (ret_next != NULL) {
				ret_next->segment = reader->segment;
				ret_next->offset = reader->buf_offset + reader->pos;
			}
			return CHOPIN_SPOOL_READ_RECORD;
		}
		if (status != CHOPIN_RECORD_INCOMPLETE) {
			/* corrupt: resynchronise on the next magic */
			const uint8_t *magic = NULL;
			if (avail > 1)
				magic = memmem(at + 1, avail - 1, CHOPIN_RECORD_MAGIC, 4);
			if (magic != NULL) {
				reader_skip(reader, (size_t)(magic - at));
				continue;
			}
			/* keep 3 bytes: they may start a magic that the next read completes */
			if (avail > 3)
				reader_skip(reader, avail - 3);
		}
		ssize_t n = reader_fill(reader, errbuf, errlen);
		if (n < 0)
			return CHOPIN_SPOOL_READ_ERROR;
		if (n > 0)
			continue;
		if (reader->len == READER_BUFFER_SIZE) {
			/* a full buffer that decodes to nothing: skip a byte and resync */
			reader_skip(reader, 1);
			continue;
		}
		int rc = reader_next_segment(reader, errbuf, errlen);
		if (rc < 0)
			return CHOPIN_SPOOL_READ_ERROR;
		if (rc == 0)
			return CHOPIN_SPOOL_READ_END;
	}
}

/* --- writer ---------------------------------------------------------------- */

static int
writer_create_segment(ChopinSpoolWriter *writer, char *errbuf, size_t errlen)
{
	char name[32];

	chopin_spool_segment_name(writer->segment, name, sizeof name);
	struct stat st;
	/* no O_EXCL: a retry after a failed directory sync finds the file already there */
	int fd = openat(writer->dir_fd, name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (fd < 0 || fstat(fd, &st) != 0) {
		int saved = errno;
		spool_error(errbuf, errlen, "%s/%s: %s", writer->dir, name, strerror(saved));
		if (fd >= 0)
			close(fd);
		errno = saved;
		return -1;
	}
	/* the new name must be durable before anything in it is acknowledged */
	if (fsync(writer->dir_fd) != 0) {
		int saved = errno;
		spool_error(errbuf, errlen, "%s: fsync: %s", writer->dir, strerror(saved));
		close(fd);
		errno = saved;
		return -1;
	}
	writer->fd = fd;
	writer->size = (uint64_t)st.st_size;
	return 0;
}

/* Cuts the torn tail of segment @segment and reports what it held. */
static int
writer_repair(ChopinSpoolWriter *writer, uint32_t segment, ChopinSpoolRecovery *recovery,
	      char *errbuf, size_t errlen)
{
	ChopinSpoolPosition start = {.segment = segment, .offset = 0};
	ChopinSpoolPosition end = start;
	ChopinRecord *record = malloc(sizeof *record);
	ChopinSpoolReader *reader = chopin_spool_reader_open(writer->dir, start, errbuf, errlen);
	ChopinSpoolReadStatus status = CHOPIN_SPOOL_READ_ERROR;
	int rc = -1;

	if (reader == NULL || record == NULL)
		goto out;
	while ((status = chopin_spool_reader_next(reader, record, &end, errbuf, errlen)) ==
	       CHOPIN_SPOOL_READ_RECORD) {
		if (end.segment != segment)
			break;
		recovery->records_found++;
	}
	if (status == CHOPIN_SPOOL_READ_ERROR)
		goto out;
	recovery->corrupt_bytes = chopin_spool_reader_skipped(reader, NULL);

	char name[32];
	struct stat st;
	chopin_spool_segment_name(segment, name, sizeof name);
	int fd = openat(writer->dir_fd, name, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		spool_error(errbuf, errlen, "%s/%s: %s", writer->dir, name, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	if ((uint64_t)st.st_size > end.offset) {
		recovery->bytes_cut = (uint64_t)st.st_size - end.offset;
		if (recovery->corrupt_bytes >= recovery->bytes_cut)
			recovery->corrupt_bytes -= recovery->bytes_cut;
		if (ftruncate(fd, (off_t)end.offset) != 0 || fsync(fd) != 0) {
			spool_error(errbuf, errlen, "%s/%s: cutting torn tail: %s", writer->dir,
				    name, strerror(errno));
			close(fd);
			goto out;
		}
	}
	close(fd);
	rc = 0;
out:
	chopin_spool_reader_free(reader);
	free(record);
	return rc;
}

ChopinSpoolWriter *
chopin_spool_writer_open(const char *dir, uint64_t segment_size, ChopinSpoolRecovery *ret_recovery,
			 char *errbuf, size_t errlen)
{
	ChopinSpoolRecovery recovery = {0};
	ChopinSpoolWriter *writer = calloc(1, sizeof *writer);
	uint32_t last;

	if (writer == NULL) {
		spool_error(errbuf, errlen, "out of memory");
		return NULL;
	}
	writer->fd = writer->dir_fd = writer->lock_fd = -1;
	writer->segment_size = segment_size > 0 ? segment_size : 64u * 1024u * 1024u;
	if ((writer->dir = strdup(dir)) == NULL) {
		spool_error(errbuf, errlen, "out of memory");
		goto fail;
	}
	if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
		spool_error(errbuf, errlen, "%s: %s", dir, strerror(errno));
		goto fail;
	}
	writer->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (writer->dir_fd < 0) {
		spool_error(errbuf, errlen, "%s: %s", dir, strerror(errno));
		goto fail;
	}
	writer->lock_fd = openat(writer->dir_fd, "lock", O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (writer->lock_fd < 0 || flock(writer->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		spool_error(errbuf, errlen, "%s: %s", dir,
			    errno == EWOULDBLOCK ? "spool is in use by another writer"
						 : strerror(errno));
		goto fail;
	}
	if (spool_scan_dir(dir, 0, NULL, &last) < 0) {
		spool_error(errbuf, errlen, "%s: %s", dir, strerror(errno));
		goto fail;
	}
	recovery.last_segment = last;
	if (last > 0 && writer_repair(writer, last, &recovery, errbuf, errlen) < 0)
		goto fail;
	if (last == UINT32_MAX) {
		spool_error(errbuf, errlen, "%s: segment numbers exhausted", dir);
		goto fail;
	}
	writer->segment = last + 1;
	if (writer_create_segment(writer, errbuf, errlen) < 0)
		goto fail;
	if (ret_recovery != NULL)
		*ret_recovery = recovery;
	return writer;
fail:
	chopin_spool_writer_close(writer);
	return NULL;
}

int
chopin_spool_writer_append(ChopinSpoolWriter *writer, const uint8_t *data, size_t len,
			   int *ret_errno, char *errbuf, size_t errlen)
{
	size_t done = 0;
	int saved = 0;

	if (writer->fd < 0 && writer_create_segment(writer, errbuf, errlen) < 0) {
		/* an earlier rotation could not create the next segment: still cannot */
		if (ret_errno != NULL)
			*ret_errno = errno;
		return -1;
	}
	while (done < len) {
		ssize_t n = write(writer->fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			spool_error(errbuf, errlen, "writing spool segment %" PRIu32 ": %s",
				    writer->segment, strerror(saved));
			goto fail;
		}
		done += (size_t)n;
	}
	if (fdatasync(writer->fd) != 0) {
		saved = errno;
		spool_error(errbuf, errlen, "syncing spool segment %" PRIu32 ": %s",
			    writer->segment, strerror(saved));
		goto fail;
	}
	writer->size += len;
	if (writer->size >= writer->segment_size) {
		close(writer->fd);
		writer->fd = -1;
		writer->segment++;
		/* on failure fd stays -1: the batch is durable, the next append retries */
		(void)writer_create_segment(writer, errbuf, errlen);
	}
	if (ret_errno != NULL)
		*ret_errno = 0;
	return 0;
fail:
	/* nothing of a failed batch may stay: a later append must not follow a torn record */
	if (ftruncate(writer->fd, (off_t)writer->size) == 0)
		(void)fdatasync(writer->fd);
	if (ret_errno != NULL)
		*ret_errno = saved;
	return -1;
}

ChopinSpoolPosition
chopin_spool_writer_position(const ChopinSpoolWriter *writer)
{
	ChopinSpoolPosition position = {.segment = writer->segment, .offset = writer->size};
	return position;
}

void
chopin_spool_writer_close(ChopinSpoolWriter *writer)
{
	if (writer == NULL)
		return;
	if (writer->fd >= 0)
		close(writer->fd);
	if (writer->lock_fd >= 0)
		close(writer->lock_fd);
	if (writer->dir_fd >= 0)
		close(writer->dir_fd);
	free(writer->dir);
	free(writer);
}
