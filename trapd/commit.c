/* Group commit: batches records for one write + fdatasync, acknowledges informs only after it. */
#include "config.h"

#include "trapd.h"

#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "chopin-log.h"
#include "chopin-spool.h"

typedef struct {
	void *session;
	netsnmp_pdu *reply;
} PendingAck;

typedef struct {
	uint8_t *data;
	size_t len;
	size_t cap;
	GArray *acks; /* PendingAck */
	uint64_t n_records;
	int64_t first_us; /* monotonic arrival of the first record */
	/* set by the writer thread */
	int status;
	int error_number;
	char error[256];
} Batch;

struct _TrapdCommit {
	ChopinSpoolWriter *writer;
	GThread *thread;
	GMutex lock;
	GCond cond;
	Batch *to_write; /* handed to the writer thread; protected by lock */
	Batch *done;     /* finished by the writer thread; protected by lock */
	gboolean stopping;
	int notify_fd;
	/* main thread only */
	Batch *filling;
	Batch *spare;
	gboolean in_flight;
	size_t in_flight_bytes;
	int64_t delay_us;
	int64_t interval_us;
	int64_t last_start_us; /* when the last batch went to the writer */
	size_t batch_bytes;
	size_t max_backlog;
	ChopinComplaint spool_complaint;
	ChopinComplaint backlog_complaint;
};

static Batch *
batch_new(void)
{
	Batch *batch = g_new0(Batch, 1);
	batch->cap = 64 * 1024;
	batch->data = g_malloc(batch->cap);
	batch->acks = g_array_new(FALSE, FALSE, sizeof(PendingAck));
	return batch;
}

static void
batch_reset(Batch *batch)
{
	batch->len = 0;
	batch->n_records = 0;
	batch->first_us = 0;
	batch->status = 0;
	batch->error_number = 0;
	batch->error[0] = '\0';
	g_array_set_size(batch->acks, 0);
}

static void
batch_free(Batch *batch)
{
	if (batch == NULL)
		return;
	for (guint i = 0; i < batch->acks->len; i++)
		snmp_free_pdu(g_array_index(batch->acks, PendingAck, i).reply);
	g_array_free(batch->acks, TRUE);
	g_free(batch->data);
	g_free(batch);
}

static gpointer
commit_writer_thread(gpointer data)
{
	TrapdCommit *commit = data;
	uint64_t one = 1;

	for (;;) {
		g_mutex_lock(&commit->lock);
		while (commit->to_write == NULL && !commit->stopping)
			g_cond_wait(&commit->cond, &commit->lock);
		Batch *batch = commit->to_write;
		commit->to_write = NULL;
		g_mutex_unlock(&commit->lock);
		if (batch == NULL)
			return NULL; /* stopping, nothing left */

		batch->status = chopin_spool_writer_append(commit->writer, batch->data, batch->len,
							   &batch->error_number, batch->error,
							   sizeof batch->error);
		g_mutex_lock(&commit->lock);
		commit->done = batch;
		g_mutex_unlock(&commit->lock);
		while (write(commit->notify_fd, &one, sizeof one) < 0 && errno == EINTR)
			;
	}
}

TrapdCommit *
trapd_commit_new(const TrapdConfig *config, char *errbuf, size_t errlen)
{
	ChopinSpoolRecovery recovery;
	ChopinSpoolWriter *writer = chopin_spool_writer_open(config->spool_dir, config->segment_size,
							      &recovery, errbuf, errlen);
	if (writer == NULL)
		return NULL;
	if (recovery.bytes_cut > 0)
		chopin_log(CHOPIN_LOG_WARNING,
			   "spool segment %u: cut a torn tail of %" G_GUINT64_FORMAT
			   " bytes after %" G_GUINT64_FORMAT " whole records (crash during a write)",
			   recovery.last_segment, recovery.bytes_cut, recovery.records_found);
	if (recovery.corrupt_bytes > 0)
		chopin_log(CHOPIN_LOG_WARNING,
			   "spool segment %u: %" G_GUINT64_FORMAT
			   " corrupt bytes inside; readers skip them",
			   recovery.last_segment, recovery.corrupt_bytes);

	TrapdCommit *commit = g_new0(TrapdCommit, 1);
	commit->writer = writer;
	commit->notify_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (commit->notify_fd < 0) {
		g_snprintf(errbuf, errlen, "eventfd: %s", g_strerror(errno));
		chopin_spool_writer_close(writer);
		g_free(commit);
		return NULL;
	}
	g_mutex_init(&commit->lock);
	g_cond_init(&commit->cond);
	commit->filling = batch_new();
	commit->spare = batch_new();
	commit->delay_us = config->commit_delay_ms * 1000;
	commit->interval_us = config->commit_interval_ms * 1000;
	commit->batch_bytes = config->batch_bytes;
	commit->max_backlog = config->max_backlog;
	commit->thread = g_thread_new("spool-writer", commit_writer_thread, commit);
	ChopinSpoolPosition position = chopin_spool_writer_position(writer);
	chopin_log(CHOPIN_LOG_INFO, "spool %s: writing segment %u", config->spool_dir,
		   position.segment);
	return commit;
}

int
trapd_commit_notify_fd(const TrapdCommit *commit)
{
	return commit->notify_fd;
}

gboolean
trapd_commit_add(TrapdCommit *commit, const ChopinRecord *record, void *session,
		 netsnmp_pdu *reply)
{
	Batch *batch = commit->filling;
	size_t need = chopin_record_encoded_size(record);

	if (batch->len + commit->in_flight_bytes + need > commit->max_backlog) {
		chopin_complain(&commit->backlog_complaint, CHOPIN_LOG_WARNING,
				"spool backlog over %zu bytes: dropping notifications "
				"(informs are not acknowledged, agents will retry)",
				commit->max_backlog);
		trapd_stats.dropped++;
		if (reply != NULL) {
			trapd_stats.informs_unacked++;
			snmp_free_pdu(reply);
		}
		return FALSE;
	}
	if (batch->len + need > batch->cap) {
		while (batch->len + need > batch->cap)
			batch->cap *= 2;
		batch->data = g_realloc(batch->data, batch->cap);
	}
	size_t written;
	ChopinRecordStatus status =
		chopin_record_encode(record, batch->data + batch->len, batch->cap - batch->len,
				     &written);
	if (status != CHOPIN_RECORD_OK) {
		/* cannot happen for records the validator built; count it rather than crash */
		chopin_log(CHOPIN_LOG_WARNING, "cannot encode a record: %s",
			   chopin_record_status_str(status));
		trapd_stats.dropped++;
		if (reply != NULL) {
			trapd_stats.informs_unacked++;
			snmp_free_pdu(reply);
		}
		return FALSE;
	}
	if (batch->n_records == 0)
		batch->first_us = g_get_monotonic_time();
	batch->len += written;
	batch->n_records++;
	if (reply != NULL) {
		PendingAck ack = {session, reply};
		g_array_append_val(batch->acks, ack);
	}
	trapd_stats.backlog_bytes = batch->len + commit->in_flight_bytes;
	return TRUE;
}

static void
commit_hand_over(TrapdCommit *commit)
{
	Batch *batch = commit->filling;

	commit->filling = commit->spare;
	commit->spare = NULL;
	commit->in_flight = TRUE;
	commit->in_flight_bytes = batch->len;
	commit->last_start_us = g_get_monotonic_time();
	g_mutex_lock(&commit->lock);
	commit->to_write = batch;
	g_cond_signal(&commit->cond);
	g_mutex_unlock(&commit->lock);
}

int
trapd_commit_poll(TrapdCommit *commit, int64_t now_us)
{
	Batch *batch = commit->filling;

	if (batch->n_records == 0)
		return -1;
	if (commit->in_flight)
		return -1; /* the completion wakes us */
	int64_t due = batch->first_us + commit->delay_us;
	/* informs wait for their acknowledgement: a batch holding one is not paced */
	if (batch->acks->len == 0)
		due = MAX(due, commit->last_start_us + commit->interval_us);
	if (now_us >= due || batch->len >= commit->batch_bytes) {
		commit_hand_over(commit);
		return -1;
	}
	return (int)((due - now_us + 999) / 1000);
}

static void
commit_finish(TrapdCommit *commit, Batch *batch)
{
	if (batch->status == 0) {
		for (guint i = 0; i < batch->acks->len; i++) {
			PendingAck *ack = &g_array_index(batch->acks, PendingAck, i);
			if (snmp_sess_send(ack->session, ack->reply) == 0) {
				snmp_free_pdu(ack->reply);
				trapd_stats.informs_unacked++;
			} else {
				trapd_stats.informs_acked++;
			}
		}
		trapd_stats.records_spooled += batch->n_records;
		trapd_stats.bytes_spooled += batch->len;
		trapd_stats.fsyncs++;
		if (batch->n_records > trapd_stats.batch_records_max)
			trapd_stats.batch_records_max = batch->n_records;
		chopin_complaint_release(&commit->spool_complaint, CHOPIN_LOG_MESSAGE,
					 "spool writable again");
	} else {
		trapd_stats.spool_errors++;
		trapd_stats.dropped += batch->n_records;
		trapd_stats.informs_unacked += batch->acks->len;
		for (guint i = 0; i < batch->acks->len; i++)
			snmp_free_pdu(g_array_index(batch->acks, PendingAck, i).reply);
		chopin_complain(&commit->spool_complaint, CHOPIN_LOG_ERROR,
				"%s: notifications dropped, informs not acknowledged until the "
				"spool is writable again",
				batch->error);
	}
	batch_reset(batch);
	commit->spare = batch;
	commit->in_flight = FALSE;
	commit->in_flight_bytes = 0;
	trapd_stats.backlog_bytes = commit->filling->len;
}

void
trapd_commit_complete(TrapdCommit *commit)
{
	uint64_t count;

	while (read(commit->notify_fd, &count, sizeof count) < 0 && errno == EINTR)
		;
	g_mutex_lock(&commit->lock);
	Batch *batch = commit->done;
	commit->done = NULL;
	g_mutex_unlock(&commit->lock);
	if (batch == NULL)
		return;
	commit_finish(commit, batch);
	/* what arrived during the write goes next, when the interval allows */
	trapd_commit_poll(commit, g_get_monotonic_time());
}

/* Waits for the batch in flight, if any, and finishes it. */
static void
commit_wait(TrapdCommit *commit)
{
	while (commit->in_flight) {
		g_mutex_lock(&commit->lock);
		Batch *batch = commit->done;
		commit->done = NULL;
		g_mutex_unlock(&commit->lock);
		if (batch != NULL)
			commit_finish(commit, batch);
		else
			g_usleep(1000);
	}
}

void
trapd_commit_free(TrapdCommit *commit)
{
	if (commit == NULL)
		return;
	commit_wait(commit);
	if (commit->filling->n_records > 0) {
		commit_hand_over(commit);
		commit_wait(commit);
	}
	g_mutex_lock(&commit->lock);
	commit->stopping = TRUE;
	g_cond_signal(&commit->cond);
	g_mutex_unlock(&commit->lock);
	g_thread_join(commit->thread);
	batch_free(commit->filling);
	batch_free(commit->spare);
	close(commit->notify_fd);
	g_mutex_clear(&commit->lock);
	g_cond_clear(&commit->cond);
	chopin_spool_writer_close(commit->writer);
	g_free(commit);
}
