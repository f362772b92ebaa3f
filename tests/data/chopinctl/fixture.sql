-- Fixture for tests/chopinctl: a small fleet, times relative to now (UTC) so that relative
-- ranges (--since 2d) and the reporting views (inactive, past end of support) hold whenever
-- the test runs. Hostile text (quotes, backslash, escape sequences, emoji) on purpose.
SET NAMES utf8mb4;
SET time_zone = '+00:00';
SET @now = UTC_TIMESTAMP(6);

INSERT INTO hosts (host_id, name, os_name, os_version, machine_type, status, last_heartbeat,
                   heartbeat_interval_s, boot_time, last_shutdown_at, last_shutdown_kind,
                   last_os_update_success, agent_version, hardware_model, first_seen) VALUES
  (1, 'VMAPP003', 'Microsoft Windows Server 2019 Standard', '10.0.17763', 'virtual', 'inactive',
      @now - INTERVAL 3 HOUR, 120, @now - INTERVAL 30 DAY, @now - INTERVAL 3 HOUR, 'unexpected',
      @now - INTERVAL 20 DAY, '1.2.0', 'VMware Virtual Platform', @now - INTERVAL 400 DAY),
  (2, 'RAIDSRV01', 'Microsoft Windows Server 2016 Datacenter', '10.0.14393', 'physical', 'active',
      @now - INTERVAL 1 MINUTE, 120, @now - INTERVAL 40 DAY, @now - INTERVAL 40 DAY, 'clean',
      @now - INTERVAL 15 DAY, '1.2.0', 'PowerEdge R740', @now - INTERVAL 400 DAY),
  (3, 'DBSRV02', 'Microsoft Windows Server 2012 R2 Standard', '6.3.9600', 'physical', 'active',
      @now - INTERVAL 2 MINUTE, 120, @now - INTERVAL 90 DAY, NULL, NULL,
      NULL, '1.1.9', 'ProLiant DL380 Gen9', @now - INTERVAL 300 DAY),
  (4, 'LEGACY01', 'Microsoft Windows Server 2008 R2 Enterprise', '6.1.7601', 'unknown', 'active',
      @now - INTERVAL 30 SECOND, 120, NULL, NULL, NULL,
      '2019-12-10 01:00:00', '1.0.0', NULL, @now - INTERVAL 200 DAY),
  (5, 'NEWSRV05', 'Microsoft Windows Server 2025 Datacenter', '10.0.26100', 'virtual', 'unknown',
      NULL, 120, NULL, NULL, NULL, NULL, '1.2.0', NULL, @now - INTERVAL 1 HOUR),
  (6, 'QA"\\SRV-💾', 'Windows Server 2022 "Core"', '10.0.20348', 'virtual', 'active',
      @now - INTERVAL 1 MINUTE, 120, NULL, NULL, NULL, NULL, '1.2.0', NULL, @now - INTERVAL 5 DAY);

INSERT INTO host_tags (host_id, tag) VALUES
  (1, 'geneva'), (1, 'app'), (2, 'raid'), (2, 'geneva'), (3, 'db'), (6, 'qa "lab" ü');

CREATE TEMPORARY TABLE fixture_numbers (n INT NOT NULL PRIMARY KEY);
INSERT INTO fixture_numbers (n) VALUES
  (1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13),(14),(15),(16),(17),(18),(19),(20),
  (21),(22),(23),(24),(25),(26),(27),(28),(29),(30),(31),(32),(33),(34),(35),(36),(37),(38),(39),(40),
  (41),(42),(43),(44),(45),(46),(47),(48),(49),(50),(51),(52),(53),(54),(55),(56),(57),(58),(59),(60);

-- RAIDSRV01, a day ago: the seed's "1x Error (87), 53x Unexpected sense (113),
-- 7x Command timeout on PD (267), 10x PD Reset (268)" on c0/e252/s0.
INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level,
                    record_id, device_address, message, rule_name)
SELECT 2, @now - INTERVAL 30 HOUR + INTERVAL n MINUTE, @now - INTERVAL 30 HOUR + INTERVAL n MINUTE,
       'System', 'MR_MONITOR', 113, 'information', 1000 + n, 'c0/e252/s0',
       CONCAT('Controller ID: 0 Unexpected sense: PD 00(e0xfc/s0) Path 5000c500a1b2c3d4 #', n), NULL
FROM fixture_numbers WHERE n <= 53;
INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level,
                    record_id, device_address, message, rule_name)
SELECT 2, @now - INTERVAL 29 HOUR + INTERVAL n MINUTE, @now - INTERVAL 29 HOUR + INTERVAL n MINUTE,
       'System', 'MR_MONITOR', 267, 'warning', 2000 + n, 'c0/e252/s0',
       'Controller ID: 0 Command timeout on PD 00(e0xfc/s0)', NULL
FROM fixture_numbers WHERE n <= 7;
INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level,
                    record_id, device_address, message, rule_name)
SELECT 2, @now - INTERVAL 28 HOUR + INTERVAL n MINUTE, @now - INTERVAL 28 HOUR + INTERVAL n MINUTE,
       'System', 'MR_MONITOR', 268, 'warning', 3000 + n, 'c0/e252/s0',
       'Controller ID: 0 PD Reset: PD 00(e0xfc/s0)', NULL
FROM fixture_numbers WHERE n <= 10;
INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level,
                    record_id, device_address, message, rule_name) VALUES
  (2, @now - INTERVAL 27 HOUR, @now - INTERVAL 27 HOUR, 'System', 'MR_MONITOR', 87, 'warning', 4001,
   'c0/e252/s0', 'Controller ID: 0 Error on PD 00(e0xfc/s0) (Error f0)', NULL),
  (2, @now - INTERVAL 26 HOUR, @now - INTERVAL 26 HOUR, 'System', 'MR_MONITOR', 81, 'information', 5002,
   'c0/v0', 'Controller ID: 0 State change on VD 00/0 from OPTIMAL(3) to DEGRADED(2)', 'vd-degraded'),
  (2, @now - INTERVAL 26 HOUR + INTERVAL 1 SECOND, @now - INTERVAL 26 HOUR, 'System', 'MR_MONITOR', 251,
   'critical', 5003, 'c0/v0', 'Controller ID: 0 VD is now DEGRADED VD 0', 'vd-degraded');

-- DBSRV02: three corrected memory errors in the last day, five twelve days ago.
INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level,
                    record_id, device_address, message, rule_name)
SELECT 3, @now - INTERVAL 20 HOUR + INTERVAL n HOUR, @now - INTERVAL 20 HOUR + INTERVAL n HOUR,
       'System', 'Microsoft-Windows-WHEA-Logger', 19, 'warning', 700 + n, NULL,
       'A corrected hardware error has occurred. Component: Memory', NULL
FROM fixture_numbers WHERE n <= 3;
INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level,
                    record_id, device_address, message, rule_name)
SELECT 3, @now - INTERVAL 12 DAY + INTERVAL n MINUTE, @now - INTERVAL 12 DAY + INTERVAL n MINUTE,
       'System', 'Microsoft-Windows-WHEA-Logger', 19, 'warning', 600 + n, NULL,
       'A corrected hardware error has occurred. Component: Memory', NULL
FROM fixture_numbers WHERE n <= 5;

-- VMAPP003: one unexpected shutdown. QA"\SRV: a message full of terminal escapes and quotes.
INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level,
                    record_id, device_address, message, rule_name) VALUES
  (1, @now - INTERVAL 3 HOUR, @now - INTERVAL 3 HOUR, 'System', 'EventLog', 6008, 'error', 88001, NULL,
   'The previous system shutdown was unexpected.', 'unexpected-shutdown'),
  (6, @now - INTERVAL 2 HOUR, @now - INTERVAL 2 HOUR, 'Application', 'QA "tool"', 1, 'error', 1, NULL,
   CONCAT('esc', CHAR(27), '[31mred', CHAR(27), '[0m tab', CHAR(9), 'nl', CHAR(10), 'bell', CHAR(7),
          ' quote" backslash\\ 💾 Ünï'), NULL);

-- Alarms: an open RAID alarm with a ticket and a cleared predecessor on the same key, an open
-- Updates warning, an acknowledged Heartbeat alarm.
INSERT INTO alarms (alarm_id, rule_name, host_id, alarm_key, service, severity, state, text, ticket_text,
                    occurrences, first_seen, last_seen, cleared_at, cleared_by, clear_comment,
                    acknowledged_at, acknowledged_by, ack_comment) VALUES
  (10, 'vd-degraded', 2, 'c0/v0', 'RAID', 'critical', 'cleared', 'VD 0 degraded, drive offline', NULL,
   1, @now - INTERVAL 60 DAY, @now - INTERVAL 60 DAY, @now - INTERVAL 59 DAY, 'vd-degraded', NULL,
   NULL, NULL, NULL),
  (11, 'vd-degraded', 2, 'c0/v0', 'RAID', 'critical', 'open', 'Virtual drive 0 on controller 0 is degraded',
   'Please replace the failed disk.\nMachine: RAIDSRV01\nController: 0\nEnclosure:slot: 252:0\nSerial number: S4B1NX0M123456\nModel: ST600MM0009\nFirmware: CS06\nSize: 558.406 GiB (571808 MiB)',
   2, @now - INTERVAL 26 HOUR, @now - INTERVAL 26 HOUR, NULL, NULL, NULL, NULL, NULL, NULL),
  (12, 'update-install-failed', 3, '', 'Updates', 'warning', 'open', '1 update failed, reboot required', NULL,
   3, @now - INTERVAL 3 DAY, @now - INTERVAL 1 DAY, NULL, NULL, NULL, NULL, NULL, NULL),
  (13, 'inactive-server', 1, '', 'Heartbeat', 'critical', 'open', 'Inactive servers: VMAPP003 (no heartbeat for 3 intervals)', NULL,
   1, @now - INTERVAL 170 MINUTE, @now - INTERVAL 170 MINUTE, NULL, NULL, NULL,
   @now - INTERVAL 150 MINUTE, 'jdoe', 'VM being migrated');

INSERT INTO alarm_events (alarm_id, event_row_id)
SELECT 11, id FROM events WHERE host_id = 2 AND event_id IN (81, 251);

-- Configuration history: a drive replaced two days ago, a firmware change 40 days ago.
INSERT INTO config_history (host_id, changed_at, device_address, change_kind, attribute, old_value, new_value, text) VALUES
  (2, @now - INTERVAL 2 DAY, 'c0/e252/s7', 'replaced', NULL, 'S4B1NX0M000001', 'S4B1NX0M999999',
   'PD 252:7 replaced: serial S4B1NX0M000001 -> S4B1NX0M999999, model ST600MM0009'),
  (2, @now - INTERVAL 40 DAY, 'c0', 'changed', 'firmware', '25.5.6.0009', '25.5.9.0001',
   'Controller 0 firmware changed: 25.5.6.0009 -> 25.5.9.0001');

-- RAIDSRV01's RAID inventory: the VD degraded, its drive in 252:0 bad.
INSERT INTO devices (host_id, kind, address, model, serial, firmware, size_mib, state, status,
                     first_seen, last_seen) VALUES
  (2, 'controller', 'c0', 'PERC H740P Mini', '8BK03ZT', '25.5.9.0001', NULL, 'Optimal', 'ok',
   @now - INTERVAL 300 DAY, @now - INTERVAL 1 HOUR),
  (2, 'vd', 'c0/v0', NULL, NULL, NULL, 571808, 'Dgrd', 'critical', @now - INTERVAL 300 DAY, @now - INTERVAL 1 HOUR),
  (2, 'pd', 'c0/e252/s10', 'ST600MM0009', 'S4B1NX0M101010', 'CS06', 571808, 'Onln', 'ok',
   @now - INTERVAL 300 DAY, @now - INTERVAL 1 HOUR),
  (2, 'pd', 'c0/e252/s0', 'ST600MM0009', 'S4B1NX0M123456', 'CS06', 571808, 'UBad', 'critical',
   @now - INTERVAL 300 DAY, @now - INTERVAL 1 HOUR),
  (2, 'battery', 'c0/bbu', 'BBU', NULL, NULL, NULL, 'Optimal', 'ok', @now - INTERVAL 300 DAY, @now - INTERVAL 1 HOUR);

-- Updates.
INSERT INTO updates (host_id, last_search, pending_count, security_pending, failed_count, reboot_required,
                     pending_list, last_success, updated_at) VALUES
  (2, @now - INTERVAL 2 HOUR, 2, 1, 0, 0, 'KB5040434, KB5040437', @now - INTERVAL 15 DAY, @now - INTERVAL 2 HOUR),
  (3, @now - INTERVAL 2 HOUR, 0, 0, 1, 1, NULL, NULL, @now - INTERVAL 2 HOUR);
INSERT INTO update_items (host_id, kb, title, kind, state, first_seen, last_seen) VALUES
  (2, 'KB5040437', 'Cumulative Update for .NET Framework', 'other', 'pending', @now - INTERVAL 10 DAY, @now),
  (2, 'KB5040434', 'Cumulative Update for Windows Server 2016', 'security', 'pending', @now - INTERVAL 10 DAY, @now),
  (3, 'KB5040456', 'Security Monthly Quality Rollup', 'security', 'failed', @now - INTERVAL 10 DAY, @now);

-- The rules in force, the correlator's checkpoint and pipeline counters.
INSERT INTO rules (rule_name, rule_type, definition, enabled, loaded_at) VALUES
  ('vd-degraded', 'sequence', 'name = "vd-degraded";\ntype = "sequence";\nwithin = "10m";', 1, @now - INTERVAL 1 DAY),
  ('update-install-failed', 'threshold', 'name = "update-install-failed";\ntype = "threshold";', 1, @now - INTERVAL 1 DAY);
INSERT INTO correlator_checkpoints (correlator_name, spool_segment, spool_offset, record_count, updated_at)
VALUES ('main', '1', 100, 5000, @now - INTERVAL 5 SECOND);
INSERT INTO agent_instances (host_id, instance_id, first_seen, last_seen, last_sequence, lost_count, duplicate_count)
VALUES (2, 'a1', @now - INTERVAL 1 DAY, @now, 900, 4, 7), (3, 'b1', @now - INTERVAL 1 DAY, @now, 100, 1, 0);
INSERT INTO trap_quarantine (received_at, source_address, snmp_version, reason, notification_oid, varbinds)
VALUES (@now - INTERVAL 1 HOUR, '127.0.0.1', 'v2c', 'unknown notification', '.1.3.6.1.4.1.8072.9999.9999.72.0.99', NULL);

DROP TEMPORARY TABLE fixture_numbers;
