/* chopin-spool: prints and checks the records of a chopin-trapd spool. */
#include "config.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "chopin-mib.h"
#include "chopin-record.h"
#include "chopin-spool.h"

static const char *const quarantine_names[] = {
	"none",		 "unknown-notification", "missing-varbind",   "wrong-type",
	"out-of-range", "unknown-varbind",	"duplicate-varbind", "malformed",
};

static void
usage(FILE *out)
{
	fprintf(out, "Usage: chopin-spool dump [--from SEGMENT:OFFSET] [--count N] SPOOL_DIR\n"
		     "       chopin-spool check SPOOL_DIR\n"
		     "\n"
		     "dump   prints one line per record: position, arrival, kind, flags, source,\n"
		     "       then every field as name=value (text escaped, DateAndTime as ISO 8601)\n"
		     "check  reads every record and reports counts and corrupt regions; exits 1\n"
		     "       when corruption was found\n");
}

/* Text with anything but printable ASCII, backslash and quote escaped. */
static void
print_escaped(const uint8_t *data, size_t len)
{
	putchar('"');
	for (size_t i = 0; i < len; i++) {
		uint8_t c = data[i];
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	putchar('"');
}

static void
print_date_and_time(const uint8_t *v, size_t len)
{
	printf("%04u-%02u-%02uT%02u:%02u:%02u.%u", (unsigned)(v[0] << 8 | v[1]), v[2], v[3], v[4],
	       v[5], v[6], v[7]);
	if (len == 11)
		printf("%c%02u:%02u", v[8], v[9], v[10]);
}

static void
print_field(const ChopinRecordField *field)
{
	const ChopinMibObject *object = chopin_mib_object_by_field(field->id);

	if (object != NULL)
		printf(" %s=", object->name);
	else if (field->id == CHOPIN_FIELD_QUARANTINE_DETAIL)
		printf(" detail=");
	else if (field->id >= CHOPIN_FIELD_RAW_VARBIND_BASE)
		printf(" varbind%u=", field->id - CHOPIN_FIELD_RAW_VARBIND_BASE);
	else
		printf(" field0x%04x=", field->id);
	switch (field->type) {
	case CHOPIN_FIELD_TYPE_INT:
		printf("%" PRId64, field->value.i);
		break;
	case CHOPIN_FIELD_TYPE_UINT:
		printf("%" PRIu64, field->value.u);
		break;
	default:
		if (object != NULL && object->syntax == CHOPIN_SYNTAX_DATE_AND_TIME &&
		    (field->value.octets.len == 8 || field->value.octets.len == 11))
			print_date_and_time(field->value.octets.data, field->value.octets.len);
		else
			print_escaped(field->value.octets.data, field->value.octets.len);
		break;
	}
}

static void
print_record(const ChopinRecord *record, ChopinSpoolPosition at)
{
	char source[INET6_ADDRSTRLEN] = "-";

	if (record->source.family == 4)
		inet_ntop(AF_INET, record->source.addr, source, sizeof source);
	else if (record->source.family == 6)
		inet_ntop(AF_INET6, record->source.addr, source, sizeof source);
	printf("%" PRIu32 ":%" PRIu64 " %" PRIu64 ".%06" PRIu64 " %s v%u %s%s%s", at.segment,
	       at.offset, record->received_us / 1000000, record->received_us % 1000000,
	       chopin_mib_kind_name(record->kind), record->snmp_version,
	       record->flags & CHOPIN_RECORD_FLAG_INFORM ? "inform" : "trap",
	       record->flags & CHOPIN_RECORD_FLAG_V1_CONVERTED ? ",v1" : "",
	       record->flags & CHOPIN_RECORD_FLAG_QUARANTINE ? ",quarantined" : "");
	printf(" from=%s", source);
	if (record->security_name_len > 0)
		printf(" user=%.*s", record->security_name_len, record->security_name);
	if (record->flags & CHOPIN_RECORD_FLAG_QUARANTINE) {
		printf(" reason=%s", record->quarantine_reason < G_N_ELEMENTS(quarantine_names)
					     ? quarantine_names[record->quarantine_reason]
					     : "?");
		printf(" oid=");
		for (uint16_t i = 0; i < record->notification_oid_len; i++)
			printf(".%" PRIu32, record->notification_oid[i]);
	}
	for (uint16_t i = 0; i < record->n_fields; i++)
		print_field(&record->fields[i]);
	putchar('\n');
}

static int
parse_position(const char *text, ChopinSpoolPosition *ret)
{
	char *end;
	unsigned long long segment = strtoull(text, &end, 10);
	if (*end != ':' || segment == 0 || segment > UINT32_MAX)
		return -1;
	unsigned long long offset = strtoull(end + 1, &end, 10);
	if (*end != '\0')
		return -1;
	ret->segment = (uint32_t)segment;
	ret->offset = offset;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{"from", required_argument, NULL, 'F'},
		{"count", required_argument, NULL, 'N'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	ChopinSpoolPosition start = {0, 0};
	long long max_count = -1;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'F':
			if (parse_position(optarg, &start) < 0) {
				fprintf(stderr, "chopin-spool: --from wants SEGMENT:OFFSET, got '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'N':
			max_count = atoll(optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2 ||
	    (strcmp(argv[optind], "dump") != 0 && strcmp(argv[optind], "check") != 0)) {
		usage(stderr);
		return 2;
	}
	gboolean dump = strcmp(argv[optind], "dump") == 0;
	const char *dir = argv[optind + 1];
	char err[512];
	ChopinSpoolReader *reader = chopin_spool_reader_open(dir, start, err, sizeof err);
	if (reader == NULL) {
		fprintf(stderr, "chopin-spool: %s\n", err);
		return 2;
	}
	ChopinRecord *record = g_new(ChopinRecord, 1);
	ChopinSpoolPosition at = start, next;
	uint64_t records = 0, quarantined = 0;
	ChopinSpoolReadStatus status = CHOPIN_SPOOL_READ_END;
	while ((max_count < 0 || (long long)records < max_count) &&
	       (status = chopin_spool_reader_next(reader, record, &next, err, sizeof err)) ==
		       CHOPIN_SPOOL_READ_RECORD) {
		records++;
		if (record->flags & CHOPIN_RECORD_FLAG_QUARANTINE)
			quarantined++;
		if (next.segment != at.segment)
			at.offset = 0;
		at.segment = next.segment;
		if (dump)
			print_record(record, at);
		at = next;
	}
	int rc = 0;
	if (status == CHOPIN_SPOOL_READ_ERROR) {
		fprintf(stderr, "chopin-spool: %s\n", err);
		rc = 2;
	}
	uint64_t regions;
	uint64_t skipped = chopin_spool_reader_skipped(reader, &regions);
	if (!dump) {
		printf("%" PRIu64 " records (%" PRIu64 " quarantined), %" PRIu64
		       " corrupt bytes in %" PRIu64 " regions, next position %" PRIu32 ":%" PRIu64
		       "\n",
		       records, quarantined, skipped, regions, at.segment, at.offset);
		if (skipped > 0 && rc == 0)
			rc = 1;
	}
	g_free(record);
	chopin_spool_reader_free(reader);
	return rc;
}
