-- chopin-schema-version 3: the outbox of alarm notifications to SNMP managers.  The correlator
-- writes one row per manager in the transaction that raises or clears the alarm, sends it once
-- that transaction committed, and records the outcome; a crash between the commit and the
-- acknowledgement loses nothing (the row is still pending and is sent again).
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

INSERT INTO schema_version (version, applied_at, description)
VALUES (3, UTC_TIMESTAMP(6), 'outbox of alarm notifications to SNMP managers');
