/* The durable spool: segment files of records, appended by chopin-trapd, read by the correlator. */
#ifndef CHOPIN_SPOOL_H
#define CHOPIN_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "chopin-record.h"

/*
 * A spool is a directory of segment files named by a growing number
 * ("0000000001.spool", ...), each a sequence of records (docs/spool-format.md).
 * One writer appends to the newest segment; readers follow behind and name
 * their place with a position (segment, byte offset).  This module uses the
 * edge dialect: 0 / -1 and a caller-owned message buffer.
 */

typedef struct {
	uint32_t segment;
	uint64_t offset;
} ChopinSpoolPosition;

/* What opening the writer found and repaired. */
typedef struct {
	uint32_t last_segment;   /* the newest segment before this start, 0 if none */
	uint64_t records_found;  /* whole records in it */
	uint64_t bytes_cut;      /* torn tail cut from it */
	uint64_t corrupt_bytes;  /* unreadable bytes inside it, left for readers to skip */
} ChopinSpoolRecovery;

typedef struct _ChopinSpoolWriter ChopinSpoolWriter;

/*
 * Opens the spool in @dir (created if missing), repairs the newest segment
 * (a torn tail from a crash is cut, never misread) and starts a new segment.
 * Segments rotate once they reach @segment_size bytes.  Returns the writer,
 * or NULL with a message in @errbuf.
 */
ChopinSpoolWriter *chopin_spool_writer_open(const char *dir, uint64_t segment_size,
					    ChopinSpoolRecovery *ret_recovery, char *errbuf,
					    size_t errlen);

/*
 * Appends @len bytes of whole encoded records and makes them durable
 * (fdatasync) before returning 0.  On failure (disk full, I/O error) the
 * segment is cut back to its previous size, nothing of the batch is kept,
 * @ret_errno (may be NULL) gets errno, and -1 is returned with a message.
 */
int chopin_spool_writer_append(ChopinSpoolWriter *writer, const uint8_t *data, size_t len,
			       int *ret_errno, char *errbuf, size_t errlen);

/* Where the next append goes. */
ChopinSpoolPosition chopin_spool_writer_position(const ChopinSpoolWriter *writer);

/* Closes the writer; NULL is accepted. */
void chopin_spool_writer_close(ChopinSpoolWriter *writer);

typedef struct _ChopinSpoolReader ChopinSpoolReader;

typedef enum {
	CHOPIN_SPOOL_READ_RECORD, /* a record was decoded */
	CHOPIN_SPOOL_READ_END,    /* nothing more for now: try again later */
	CHOPIN_SPOOL_READ_ERROR,  /* I/O error; the message says which */
} ChopinSpoolReadStatus;

/*
 * Opens a reader at @start (segment 0 means the oldest segment present).
 * Returns NULL with a message in @errbuf when @dir cannot be read.
 */
ChopinSpoolReader *chopin_spool_reader_open(const char *dir, ChopinSpoolPosition start,
					    char *errbuf, size_t errlen);

/*
 * Reads the next record into @record; its octets fields point into the
 * reader's buffer and stay valid until the next call.  @ret_next (may be
 * NULL) gets the position just after the record: store it to resume there.
 * Corrupt regions are skipped and counted (chopin_spool_reader_skipped()).
 */
ChopinSpoolReadStatus chopin_spool_reader_next(ChopinSpoolReader *reader, ChopinRecord *record,
					       ChopinSpoolPosition *ret_next, char *errbuf,
					       size_t errlen);

/* Bytes skipped as corrupt so far, and the number of corrupt regions. */
uint64_t chopin_spool_reader_skipped(const ChopinSpoolReader *reader, uint64_t *ret_regions);

void chopin_spool_reader_free(ChopinSpoolReader *reader);

/*
 * The backlog of a reader at @position: bytes of the spool in @dir it has not consumed yet
 * (the rest of its segment and every later segment), and how many segments hold them.
 * Segment 0 means the start of the spool.  Returns 0, or -1 with a message in @errbuf when
 * @dir or a segment cannot be read.
 */
int chopin_spool_backlog(const char *dir, ChopinSpoolPosition position, uint64_t *ret_bytes,
			 uint32_t *ret_segments, char *errbuf, size_t errlen);

/* Formats the file name of @segment into @buf ("0000000042.spool"). */
void chopin_spool_segment_name(uint32_t segment, char *buf, size_t size);

#endif
