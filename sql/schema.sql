-- Chopin database schema: the complete current schema for an empty database.
--
-- Load:     mariadb chopin < sql/schema.sql      (or chopin-db-setup, which also migrates)
-- Version:  chopin-schema-version: 5
--
-- Conventions
--  * Runs unchanged on MariaDB >= 10.11 and MySQL >= 8.0: no MariaDB-only
--    syntax (no CREATE OR REPLACE TABLE, sequences, INET6/UUID, RETURNING,
--    IF NOT EXISTS on indexes, CHECK constraints).  tests/sql/ lints this.
--  * InnoDB, utf8mb4.  Names of people and things compare case-insensitively
--    (utf8mb4_unicode_ci); identifiers that must match exactly (serial
--    numbers, agent instance ids, KB numbers, device addresses, OIDs) use
--    utf8mb4_bin.
--  * Every DATETIME(6) column holds UTC.  Writers set time_zone = '+00:00'
--    (or write UTC_TIMESTAMP(6)); readers convert for display.  Agent
--    clocks ("event_time") and the receiver clock ("received_at",
--    heartbeats) are kept apart, see each column.
--  * Views compare against UTC_TIMESTAMP(), which follows the session's
--    SET timestamp = ... (tests pin the clock that way).
--  * Schema changes: bump the version here AND add
--    sql/migrations/NNNN_description.sql (see sql/migrations/README.md).

SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;

-- ---------------------------------------------------------------------
-- Bookkeeping
-- ---------------------------------------------------------------------

CREATE TABLE schema_version (
  version      INT UNSIGNED NOT NULL,
  applied_at   DATETIME(6)  NOT NULL,
  description  VARCHAR(255) NOT NULL,
  PRIMARY KEY (version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Applied schema versions; MAX(version) is the current one';

-- Windows Server end-of-support dates.  Source: Microsoft Lifecycle
-- (https://learn.microsoft.com/lifecycle/products/windows-server-2019 and
-- the pages for 2008, 2008 R2, 2012, 2012 R2, 2016, 2022, 2025), Fixed
-- Lifecycle Policy; checked 2026-11.  Paid Extended Security Updates
-- (2008/R2 to 2023-01-10, 2012/R2 to 2026-10-13) are deliberately not
-- counted as support.  os_pattern is a LIKE pattern on hosts.os_name; the
-- longest matching pattern wins (so "2008 R2" beats "2008").
CREATE TABLE os_lifecycle (
  os_lifecycle_id     INT UNSIGNED NOT NULL AUTO_INCREMENT,
  os_pattern          VARCHAR(128) NOT NULL,
  product             VARCHAR(128) NOT NULL,
  mainstream_end      DATE NOT NULL,
  extended_end        DATE NOT NULL,
  PRIMARY KEY (os_lifecycle_id),
  UNIQUE KEY uq_os_lifecycle_pattern (os_pattern)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='OS support end dates (Microsoft Lifecycle)';

-- ---------------------------------------------------------------------
-- Hosts and agents
-- ---------------------------------------------------------------------

CREATE TABLE hosts (
  host_id                 INT UNSIGNED NOT NULL AUTO_INCREMENT,
  name                    VARCHAR(255) NOT NULL COMMENT 'as the agent reports it; unique case-insensitively',
  os_name                 VARCHAR(255) NULL COMMENT 'e.g. Microsoft Windows Server 2019 Standard',
  os_version              VARCHAR(64)  NULL COMMENT 'e.g. 10.0.17763',
  machine_type            ENUM('physical','virtual','unknown') NOT NULL DEFAULT 'unknown',
  status                  ENUM('active','inactive','unknown') NOT NULL DEFAULT 'unknown'
                          COMMENT 'set by the correlator absence rule',
  last_heartbeat          DATETIME(6)  NULL COMMENT 'receiver clock, UTC',
  heartbeat_interval_s    INT UNSIGNED NULL COMMENT 'announced by the agent',
  boot_time               DATETIME(6)  NULL COMMENT 'agent clock, UTC',
  last_shutdown_at        DATETIME(6)  NULL COMMENT 'agent clock, UTC',
  last_shutdown_kind      ENUM('clean','unexpected','agent_stop','unknown') NULL,
  last_os_update_success  DATETIME(6)  NULL COMMENT 'last successful Windows Update installation',
  agent_version           VARCHAR(64)  NULL,
  hardware_model          VARCHAR(255) NULL,
  os_lifecycle_id         INT UNSIGNED NULL COMMENT 'explicit link; NULL = match os_name against os_lifecycle.os_pattern',
  first_seen              DATETIME(6)  NOT NULL COMMENT 'receiver clock, UTC',
  PRIMARY KEY (host_id),
  UNIQUE KEY uq_hosts_name (name),
  KEY ix_hosts_status (status),
  CONSTRAINT fk_hosts_os_lifecycle FOREIGN KEY (os_lifecycle_id)
    REFERENCES os_lifecycle (os_lifecycle_id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Monitored Windows servers';

CREATE TABLE host_tags (
  host_id  INT UNSIGNED NOT NULL,
  tag      VARCHAR(64)  NOT NULL,
  PRIMARY KEY (host_id, tag),
  KEY ix_host_tags_tag (tag),
  CONSTRAINT fk_host_tags_host FOREIGN KEY (host_id) REFERENCES hosts (host_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Free-form labels (site, role, owner)';

CREATE TABLE agent_instances (
  host_id          INT UNSIGNED NOT NULL,
  instance_id      VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
                   COMMENT 'changes at every agent start',
  first_seen       DATETIME(6)  NOT NULL COMMENT 'receiver clock, UTC',
  last_seen        DATETIME(6)  NOT NULL COMMENT 'receiver clock, UTC',
  last_sequence    BIGINT UNSIGNED NOT NULL DEFAULT 0,
  lost_count       BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'sequence numbers never received',
  duplicate_count  BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'INFORM retries and replays dropped',
  PRIMARY KEY (host_id, instance_id),
  KEY ix_agent_instances_last_seen (last_seen),
  CONSTRAINT fk_agent_instances_host FOREIGN KEY (host_id) REFERENCES hosts (host_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='One row per agent run: sequence tracking for gaps and duplicates';

CREATE TABLE lost_trap_gaps (
  gap_id       BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  host_id      INT UNSIGNED NOT NULL,
  instance_id  VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  from_seq     BIGINT UNSIGNED NOT NULL COMMENT 'first missing sequence number',
  to_seq       BIGINT UNSIGNED NOT NULL COMMENT 'last missing sequence number',
  lost_count   BIGINT UNSIGNED NOT NULL,
  detected_at  DATETIME(6) NOT NULL COMMENT 'receiver clock, UTC',
  PRIMARY KEY (gap_id),
  KEY ix_lost_trap_gaps_host_time (host_id, detected_at),
  CONSTRAINT fk_lost_trap_gaps_host FOREIGN KEY (host_id) REFERENCES hosts (host_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Sequence gaps: traps an agent sent that never arrived';

CREATE TABLE trap_quarantine (
  quarantine_id     BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  received_at       DATETIME(6) NOT NULL COMMENT 'receiver clock, UTC',
  source_address    VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
                    COMMENT 'IPv4/IPv6 text, optional :port',
  snmp_version      ENUM('v1','v2c','v3','unknown') NOT NULL DEFAULT 'unknown',
  reason            VARCHAR(255) NOT NULL COMMENT 'why it was not accepted',
  notification_oid  VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NULL,
  varbinds          TEXT NULL COMMENT 'printable rendering, one varbind per line',
  PRIMARY KEY (quarantine_id),
  KEY ix_trap_quarantine_time (received_at),
  KEY ix_trap_quarantine_source (source_address, received_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Unknown, malformed or unauthenticated traps kept for inspection';

-- ---------------------------------------------------------------------
-- Events
-- ---------------------------------------------------------------------

-- Windows event-log entries kept by a rule.  The foreign key to hosts costs
-- one primary-key lookup per insert (the correlator upserts the host first);
-- it is ON DELETE RESTRICT so that deleting a host never cascades through
-- millions of rows by accident.  uq_events_agent_seq makes replays of the
-- same agent record (host, instance, sequence) fail instead of duplicating.
-- Every index costs work on each of the tens of thousands of rows a second
-- the correlator writes, so there are three besides the primary key: a host's
-- events in a time range (a device's too: they are a subset of its host's),
-- all events in a time range, and the replay guard (docs/decisions.md).
CREATE TABLE events (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  host_id          INT UNSIGNED NOT NULL,
  event_time       DATETIME(6) NOT NULL COMMENT 'agent clock (TimeCreated), UTC',
  received_at      DATETIME(6) NOT NULL COMMENT 'receiver clock, UTC',
  log_name         VARCHAR(128) NOT NULL COMMENT 'System, Application, ...',
  source           VARCHAR(255) NOT NULL COMMENT 'provider, e.g. MR_MONITOR, WHEA-Logger',
  event_id         INT UNSIGNED NOT NULL COMMENT 'Windows EventID (MR_MONITOR: firmware event code)',
  level            ENUM('critical','error','warning','information','verbose','audit_success','audit_failure','unknown')
                   NOT NULL DEFAULT 'unknown',
  record_id        BIGINT UNSIGNED NULL COMMENT 'Windows EventRecordID',
  device_address   VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL
                   COMMENT 'controller/VD/PD key when known: c0, c0/v0, c0/e252/s7',
  message          TEXT NOT NULL,
  rule_name        VARCHAR(128) NULL COMMENT 'the rule that kept it',
  agent_instance   VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  agent_sequence   BIGINT UNSIGNED NULL,
  PRIMARY KEY (id),
  KEY ix_events_host_time (host_id, event_time),
  KEY ix_events_time (event_time),
  UNIQUE KEY uq_events_agent_seq (host_id, agent_instance, agent_sequence),
  CONSTRAINT fk_events_host FOREIGN KEY (host_id) REFERENCES hosts (host_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Windows event-log entries kept by the correlator rules';

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

-- ---------------------------------------------------------------------
-- Alarms
-- ---------------------------------------------------------------------

-- At most one OPEN alarm per (rule, host, key): open_flag is 1 while open
-- and NULL once cleared; a UNIQUE index treats NULLs as distinct on both
-- engines, so any number of cleared alarms may share the key.
CREATE TABLE alarms (
  alarm_id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  rule_name         VARCHAR(128) NOT NULL,
  host_id           INT UNSIGNED NOT NULL,
  alarm_key         VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT ''
                    COMMENT 'the rule key within the host, e.g. c0/v0',
  service           ENUM('RAID','Updates','Heartbeat','Hardware','System') NOT NULL
                    COMMENT 'Hardware: corrected/fatal hardware errors; System: unexpected shutdowns',
  severity          ENUM('warning','critical') NOT NULL,
  state             ENUM('open','cleared') NOT NULL DEFAULT 'open',
  open_flag         TINYINT UNSIGNED GENERATED ALWAYS AS (CASE WHEN state = 'open' THEN 1 ELSE NULL END) STORED
                    COMMENT '1 while open, NULL once cleared: makes uq_alarms_open work',
  text              VARCHAR(1024) NOT NULL,
  ticket_text       TEXT NULL COMMENT 'vendor ticket text (drive to replace: machine, slot, serial, model, size)',
  occurrences       INT UNSIGNED NOT NULL DEFAULT 1,
  first_seen        DATETIME(6) NOT NULL,
  last_seen         DATETIME(6) NOT NULL,
  cleared_at        DATETIME(6) NULL,
  cleared_by        VARCHAR(128) NULL COMMENT 'rule name or operator',
  clear_comment     VARCHAR(1024) NULL,
  acknowledged_at   DATETIME(6) NULL,
  acknowledged_by   VARCHAR(128) NULL,
  ack_comment       VARCHAR(1024) NULL,
  PRIMARY KEY (alarm_id),
  UNIQUE KEY uq_alarms_open (rule_name, host_id, alarm_key, open_flag),
  KEY ix_alarms_host_state (host_id, state, service),
  KEY ix_alarms_state_time (state, last_seen),
  CONSTRAINT fk_alarms_host FOREIGN KEY (host_id) REFERENCES hosts (host_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Correlated alarms; one open alarm per rule+host+key';

CREATE TABLE alarm_events (
  alarm_id     BIGINT UNSIGNED NOT NULL,
  event_row_id BIGINT UNSIGNED NOT NULL COMMENT 'events.id',
  PRIMARY KEY (alarm_id, event_row_id),
  KEY ix_alarm_events_event (event_row_id),
  CONSTRAINT fk_alarm_events_alarm FOREIGN KEY (alarm_id) REFERENCES alarms (alarm_id) ON DELETE CASCADE,
  CONSTRAINT fk_alarm_events_event FOREIGN KEY (event_row_id) REFERENCES events (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Events that raised or fed an alarm';

-- The outbox of alarm notifications to SNMP managers (chopin-correlator(8)): one row per
-- manager, written in the transaction that raised or cleared the alarm, sent once that
-- transaction committed, updated with the outcome.  Rows still 'pending' after a crash are
-- sent again (a manager may see a notification twice; it matches them by chopinAlarmId).
CREATE TABLE alarm_notifications (
  notification_id   BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  correlator_name   VARCHAR(128) NOT NULL COMMENT 'the correlator that sends it',
  manager           VARCHAR(128) NOT NULL COMMENT 'correlator.managers name',
  alarm_id          BIGINT UNSIGNED NOT NULL,
  kind              ENUM('raised','cleared') NOT NULL COMMENT 'chopinAlarmRaised or chopinAlarmCleared',
  severity          ENUM('warning','critical') NOT NULL COMMENT 'of the alarm when it changed',
  text              VARCHAR(1024) NOT NULL COMMENT 'of the alarm when it changed',
  occurrences       INT UNSIGNED NOT NULL COMMENT 'chopinAlarmCount when it changed',
  state             ENUM('pending','sent','acknowledged','failed') NOT NULL DEFAULT 'pending'
                    COMMENT 'sent: a trap left (traps have no acknowledgement); acknowledged: the manager answered the inform; failed: given up',
  attempts          INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'attempts so far, each with up to retries retransmissions',
  created_at        DATETIME(6) NOT NULL COMMENT 'when the alarm changed, UTC',
  last_attempt_at   DATETIME(6) NULL COMMENT 'UTC',
  finished_at       DATETIME(6) NULL COMMENT 'sent, acknowledged or given up, UTC',
  last_error        VARCHAR(255) NULL COMMENT 'why the last attempt failed',
  PRIMARY KEY (notification_id),
  KEY ix_alarm_notifications_pending (correlator_name, manager, state, notification_id),
  KEY ix_alarm_notifications_alarm (alarm_id),
  KEY ix_alarm_notifications_finished (state, finished_at),
  CONSTRAINT fk_alarm_notifications_alarm FOREIGN KEY (alarm_id) REFERENCES alarms (alarm_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Alarm notifications to SNMP managers: outbox and delivery record';

-- ---------------------------------------------------------------------
-- RAID devices and configuration history
-- ---------------------------------------------------------------------

CREATE TABLE devices (
  device_id     BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  host_id       INT UNSIGNED NOT NULL,
  kind          ENUM('controller','vd','pd','battery') NOT NULL,
  address       VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
                COMMENT 'c0, c0/v0, c0/e252/s7, c0/bbu',
  model         VARCHAR(255) NULL,
  serial        VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL COMMENT 'trimmed',
  firmware      VARCHAR(128) NULL,
  size_mib      BIGINT UNSIGNED NULL,
  state         VARCHAR(64) NULL COMMENT 'as reported: Optl, Dgrd, Onln, Rbld, ...',
  status        ENUM('ok','warning','critical','unknown') NOT NULL DEFAULT 'unknown'
                COMMENT 'derived from state by the correlator',
  attributes    TEXT NULL COMMENT 'other attributes, one key=value per line',
  first_seen    DATETIME(6) NOT NULL,
  last_seen     DATETIME(6) NOT NULL,
  removed       TINYINT(1) NOT NULL DEFAULT 0 COMMENT '1 = absent from the latest snapshot',
  PRIMARY KEY (device_id),
  UNIQUE KEY uq_devices_host_address (host_id, address),
  KEY ix_devices_serial (serial),
  CONSTRAINT fk_devices_host FOREIGN KEY (host_id) REFERENCES hosts (host_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Current RAID inventory per host (latest complete snapshot)';

CREATE TABLE config_history (
  change_id       BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  host_id         INT UNSIGNED NOT NULL,
  changed_at      DATETIME(6) NOT NULL COMMENT 'receiver time of the snapshot that showed it, UTC',
  device_address  VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  change_kind     ENUM('added','removed','changed','replaced') NOT NULL,
  attribute       VARCHAR(64) NULL COMMENT 'NULL for added/removed/replaced',
  old_value       VARCHAR(1024) NULL,
  new_value       VARCHAR(1024) NULL,
  text            VARCHAR(1024) NOT NULL COMMENT 'e.g. PD 252:7 replaced: serial A -> B, model X',
  PRIMARY KEY (change_id),
  KEY ix_config_history_host_time (host_id, changed_at),
  KEY ix_config_history_time (changed_at),
  CONSTRAINT fk_config_history_host FOREIGN KEY (host_id) REFERENCES hosts (host_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='RAID configuration changes found by snapshot diffs';

CREATE TABLE raid_snapshots (
  host_id         INT UNSIGNED NOT NULL,
  snapshot_id     BIGINT UNSIGNED NOT NULL COMMENT 'from the agent',
  received_at     DATETIME(6) NOT NULL COMMENT 'receiver clock of the last part, UTC',
  parts_total     SMALLINT UNSIGNED NOT NULL,
  parts_received  SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  complete        TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (host_id, snapshot_id),
  KEY ix_raid_snapshots_host_time (host_id, received_at),
  CONSTRAINT fk_raid_snapshots_host FOREIGN KEY (host_id) REFERENCES hosts (host_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='RAID inventory snapshots being reassembled or done';

-- ---------------------------------------------------------------------
-- Windows updates
-- ---------------------------------------------------------------------

CREATE TABLE updates (
  host_id           INT UNSIGNED NOT NULL,
  last_search       DATETIME(6) NULL COMMENT 'agent clock, UTC',
  pending_count     INT UNSIGNED NOT NULL DEFAULT 0,
  security_pending  INT UNSIGNED NOT NULL DEFAULT 0,
  failed_count      INT UNSIGNED NOT NULL DEFAULT 0,
  reboot_required   TINYINT(1) NOT NULL DEFAULT 0,
  pending_list      TEXT NULL COMMENT 'as reported, e.g. KB5034439, KB5034127',
  last_success      DATETIME(6) NULL COMMENT 'last successful installation, agent clock, UTC',
  updated_at        DATETIME(6) NOT NULL COMMENT 'receiver clock, UTC',
  PRIMARY KEY (host_id),
  CONSTRAINT fk_updates_host FOREIGN KEY (host_id) REFERENCES hosts (host_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Latest Windows Update status per host';

CREATE TABLE update_items (
  host_id     INT UNSIGNED NOT NULL,
  kb          VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL COMMENT 'e.g. KB5034439',
  title       VARCHAR(512) NOT NULL,
  kind        ENUM('security','other') NOT NULL DEFAULT 'other',
  state       ENUM('pending','installed','failed') NOT NULL,
  first_seen  DATETIME(6) NOT NULL,
  last_seen   DATETIME(6) NOT NULL,
  PRIMARY KEY (host_id, kb),
  KEY ix_update_items_state (state, kind),
  CONSTRAINT fk_update_items_host FOREIGN KEY (host_id) REFERENCES hosts (host_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Individual updates per host';

-- ---------------------------------------------------------------------
-- Correlator state (written in the same transaction as the rows above)
-- ---------------------------------------------------------------------

CREATE TABLE correlator_checkpoints (
  correlator_name  VARCHAR(128) NOT NULL,
  spool_segment    VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  spool_offset     BIGINT UNSIGNED NOT NULL,
  record_count     BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'records consumed since the checkpoint was created',
  updated_at       DATETIME(6) NOT NULL COMMENT 'receiver clock, UTC: the pipeline heartbeat the checks watch',
  PRIMARY KEY (correlator_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Spool position per correlator: exactly-once resume point';

CREATE TABLE correlator_state (
  correlator_name  VARCHAR(128) NOT NULL,
  rule_name        VARCHAR(128) NOT NULL,
  state_key        VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  state            MEDIUMBLOB NOT NULL COMMENT 'opaque, versioned by the correlator',
  updated_at       DATETIME(6) NOT NULL,
  PRIMARY KEY (correlator_name, rule_name, state_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Resumable rule state blobs per rule and key';

CREATE TABLE rules (
  rule_name   VARCHAR(128) NOT NULL,
  rule_type   ENUM('filter','sequence','threshold','absence','snapshot_diff') NOT NULL,
  definition  TEXT NOT NULL COMMENT 'the rule as written in the rules file',
  enabled     TINYINT(1) NOT NULL DEFAULT 1,
  loaded_at   DATETIME(6) NOT NULL,
  PRIMARY KEY (rule_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Mirror of the active rules, refreshed at each (re)load';

-- ---------------------------------------------------------------------
-- Reporting views (documented in docs/sql.md).  SQL SECURITY INVOKER:
-- they work for any account with SELECT on the tables, whoever created them.
-- ---------------------------------------------------------------------

-- Hosts the absence rule marked inactive, or whose last heartbeat is older
-- than three announced intervals (the correlator may itself be down).
CREATE OR REPLACE SQL SECURITY INVOKER VIEW v_inactive_hosts AS
SELECT h.name,
       h.status,
       h.last_heartbeat,
       h.heartbeat_interval_s,
       TIMESTAMPDIFF(SECOND, h.last_heartbeat, UTC_TIMESTAMP(6)) AS seconds_since_heartbeat,
       CASE WHEN h.status = 'inactive' THEN 'marked inactive'
            WHEN h.last_heartbeat IS NULL THEN 'never seen a heartbeat'
            ELSE 'heartbeat overdue' END AS reason
FROM hosts h
WHERE h.status = 'inactive'
   OR (h.heartbeat_interval_s IS NOT NULL
       AND (h.last_heartbeat IS NULL
            OR h.last_heartbeat < UTC_TIMESTAMP(6) - INTERVAL (3 * h.heartbeat_interval_s) SECOND));

-- Events per host and UTC day (agent event time), with counts per level.
CREATE OR REPLACE SQL SECURITY INVOKER VIEW v_events_per_host_day AS
SELECT h.name AS host,
       DATE(e.event_time) AS day,
       COUNT(*) AS events,
       SUM(e.level = 'critical') AS critical,
       SUM(e.level = 'error') AS error,
       SUM(e.level = 'warning') AS warning,
       SUM(e.level NOT IN ('critical','error','warning')) AS other
FROM events e
JOIN hosts h ON h.host_id = e.host_id
GROUP BY h.host_id, h.name, DATE(e.event_time);

-- Events per device, UTC day and event id, with the first message of the
-- group as representative: summary reads "53x Controller ID: 0 Unexpected sense ...".
CREATE OR REPLACE SQL SECURITY INVOKER VIEW v_events_per_device_day AS
SELECT h.name AS host,
       g.day,
       g.device_address,
       g.source,
       g.event_id,
       g.events,
       g.first_time,
       g.last_time,
       s.message AS sample_message,
       CONCAT(g.events, 'x ', s.message) AS summary
FROM (SELECT e.host_id,
             DATE(e.event_time) AS day,
             e.device_address,
             e.source,
             e.event_id,
             COUNT(*) AS events,
             MIN(e.event_time) AS first_time,
             MAX(e.event_time) AS last_time,
             MIN(e.id) AS first_row_id
      FROM events e
      WHERE e.device_address IS NOT NULL
      GROUP BY e.host_id, DATE(e.event_time), e.device_address, e.source, e.event_id) g
JOIN events s ON s.id = g.first_row_id
JOIN hosts h ON h.host_id = g.host_id;

-- Configuration changes of the last 30 days.
CREATE OR REPLACE SQL SECURITY INVOKER VIEW v_recent_config_changes AS
SELECT h.name AS host,
       c.changed_at,
       c.device_address,
       c.change_kind,
       c.attribute,
       c.old_value,
       c.new_value,
       c.text
FROM config_history c
JOIN hosts h ON h.host_id = c.host_id
WHERE c.changed_at >= UTC_TIMESTAMP(6) - INTERVAL 30 DAY;

-- Pending Windows updates per host (hosts with something pending or failed).
CREATE OR REPLACE SQL SECURITY INVOKER VIEW v_pending_updates AS
SELECT h.name AS host,
       u.pending_count,
       u.security_pending,
       u.failed_count,
       u.reboot_required,
       u.last_search,
       u.last_success,
       (SELECT GROUP_CONCAT(i.kb ORDER BY i.kb SEPARATOR ', ')
          FROM update_items i
         WHERE i.host_id = u.host_id AND i.state = 'pending') AS pending_kbs
FROM updates u
JOIN hosts h ON h.host_id = u.host_id
WHERE u.pending_count > 0 OR u.failed_count > 0 OR u.reboot_required <> 0;

-- Hosts whose OS is past end of extended support, or will be within 180 days.
CREATE OR REPLACE SQL SECURITY INVOKER VIEW v_hosts_past_eos AS
SELECT h.name AS host,
       h.os_name,
       l.product,
       l.mainstream_end,
       l.extended_end,
       DATEDIFF(l.extended_end, UTC_DATE()) AS days_left,
       CASE WHEN l.extended_end <= UTC_DATE() THEN 'past end of support'
            ELSE 'ends within 180 days' END AS eos_state
FROM hosts h
JOIN os_lifecycle l
  ON l.os_lifecycle_id = COALESCE(h.os_lifecycle_id,
       (SELECT m.os_lifecycle_id FROM os_lifecycle m
         WHERE h.os_name LIKE m.os_pattern
         ORDER BY CHAR_LENGTH(m.os_pattern) DESC, m.os_lifecycle_id
         LIMIT 1))
WHERE l.extended_end <= UTC_DATE() + INTERVAL 180 DAY;

-- Event counts per host over the last 7 days, ranked (1 = noisiest).
CREATE OR REPLACE SQL SECURITY INVOKER VIEW v_noisiest_hosts AS
SELECT RANK() OVER (ORDER BY n.events DESC) AS noise_rank,
       h.name AS host,
       n.events,
       n.critical_or_error
FROM (SELECT e.host_id,
             COUNT(*) AS events,
             SUM(e.level IN ('critical','error')) AS critical_or_error
      FROM events e
      WHERE e.event_time >= UTC_TIMESTAMP(6) - INTERVAL 7 DAY
      GROUP BY e.host_id) n
JOIN hosts h ON h.host_id = n.host_id;

-- Open alarms with their host.
CREATE OR REPLACE SQL SECURITY INVOKER VIEW v_open_alarms AS
SELECT a.alarm_id,
       h.name AS host,
       a.service,
       a.severity,
       a.rule_name,
       a.alarm_key,
       a.text,
       a.occurrences,
       a.first_seen,
       a.last_seen,
       a.acknowledged_at,
       a.acknowledged_by
FROM alarms a
JOIN hosts h ON h.host_id = a.host_id
WHERE a.state = 'open';

-- The dashboard's server list.
CREATE OR REPLACE SQL SECURITY INVOKER VIEW v_host_overview AS
SELECT h.name,
       h.os_name,
       h.os_version,
       h.machine_type,
       h.status,
       h.last_heartbeat,
       h.last_shutdown_at,
       h.last_shutdown_kind,
       h.last_os_update_success,
       u.pending_count AS available_updates,
       (SELECT GROUP_CONCAT(t.tag ORDER BY t.tag SEPARATOR ',')
          FROM host_tags t WHERE t.host_id = h.host_id) AS tags
FROM hosts h
LEFT JOIN updates u ON u.host_id = h.host_id;

-- ---------------------------------------------------------------------
-- Seed data
-- ---------------------------------------------------------------------

INSERT INTO os_lifecycle (os_pattern, product, mainstream_end, extended_end) VALUES
  ('%Windows Server 2008%',    'Windows Server 2008',    '2015-01-13', '2020-01-14'),
  ('%Windows Server 2008 R2%', 'Windows Server 2008 R2', '2015-01-13', '2020-01-14'),
  ('%Windows Server 2012%',    'Windows Server 2012',    '2018-10-09', '2023-10-10'),
  ('%Windows Server 2012 R2%', 'Windows Server 2012 R2', '2018-10-09', '2023-10-10'),
  ('%Windows Server 2016%',    'Windows Server 2016',    '2022-01-11', '2027-01-12'),
  ('%Windows Server 2019%',    'Windows Server 2019',    '2024-01-09', '2029-01-09'),
  ('%Windows Server 2022%',    'Windows Server 2022',    '2026-10-13', '2031-10-14'),
  ('%Windows Server 2025%',    'Windows Server 2025',    '2029-11-13', '2034-11-14');

INSERT INTO schema_version (version, applied_at, description)
VALUES (1, UTC_TIMESTAMP(6), 'initial schema'),
       (2, UTC_TIMESTAMP(6), 'alarms for the Hardware and System services'),
       (3, UTC_TIMESTAMP(6), 'outbox of alarm notifications to SNMP managers'),
       (4, UTC_TIMESTAMP(6), 'start and stop events for the heartbeat check'),
       (5, UTC_TIMESTAMP(6), 'events without the per-device index');
