-- chopin-schema-version 4: the starts and stops of each host in a table of their own, which
-- check_chopin_heartbeat reads instead of scanning the host's events.  The correlator copies
-- them in the transaction that writes the events; this migration copies the ones already
-- stored.
-- The starts and stops of each host, copied by the correlator from the event rows it writes
-- (EventLog 6005/6006/6008, User32 1074/1076, Kernel-Power 41, and its own reboot findings,
-- source Chopin, ids 1 and 2) in the same transaction.  check_chopin_heartbeat lists them:
-- a few rows per host that stay in the buffer pool, where reading them out of events meant
-- visiting every event of the host in the window (docs/decisions.md).
CREATE TABLE start_stop_events (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  host_id          INT UNSIGNED NOT NULL,
  event_time       DATETIME(6) NOT NULL COMMENT 'agent clock, UTC, as in events',
  source           VARCHAR(255) NOT NULL COMMENT 'EventLog, User32, Microsoft-Windows-Kernel-Power, Chopin',
  event_id         INT UNSIGNED NOT NULL,
  message          VARCHAR(160) NOT NULL COMMENT 'the first 160 characters of the event message',
  agent_instance   VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  agent_sequence   BIGINT UNSIGNED NULL,
  PRIMARY KEY (id),
  KEY ix_start_stop_events_host_time (host_id, event_time),
  UNIQUE KEY uq_start_stop_events_agent_seq (host_id, agent_instance, agent_sequence),
  CONSTRAINT fk_start_stop_events_host FOREIGN KEY (host_id) REFERENCES hosts (host_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Host starts and stops (a copy of their events) for check_chopin_heartbeat';

INSERT IGNORE INTO start_stop_events (host_id, event_time, source, event_id, message, agent_instance,
                                      agent_sequence)
  SELECT host_id, event_time, source, event_id, LEFT(message, 160), agent_instance, agent_sequence
    FROM events
   WHERE (source = 'EventLog' AND event_id IN (6005, 6006, 6008))
      OR (source = 'User32' AND event_id IN (1074, 1076))
      OR (source IN ('Microsoft-Windows-Kernel-Power', 'Kernel-Power') AND event_id = 41)
      OR (source = 'Chopin' AND event_id IN (1, 2));

INSERT INTO schema_version (version, applied_at, description)
VALUES (4, UTC_TIMESTAMP(6), 'start and stop events for the heartbeat check');
