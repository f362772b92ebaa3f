-- chopin-schema-version 5: events loses ix_events_host_device_time.  A device's events are a
-- subset of its host's, which ix_events_host_time finds in a time range; the fourth secondary
-- index cost MariaDB about 18% of its CPU per event row, on the correlator's hottest
-- statement (docs/decisions.md, docs/BENCHMARKS.md).
ALTER TABLE events DROP INDEX ix_events_host_device_time;

INSERT INTO schema_version (version, applied_at, description)
VALUES (5, UTC_TIMESTAMP(6), 'events without the per-device index');
