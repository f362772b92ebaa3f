-- Fixture for tests/sql/test-views.sh: a small fleet; the test pins the clock to 2026-08-01 12:00:00 UTC.
SET NAMES utf8mb4;
SET time_zone = '+00:00';

INSERT INTO hosts (host_id, name, os_name, os_version, machine_type, status, last_heartbeat,
                   heartbeat_interval_s, boot_time, last_shutdown_at, last_shutdown_kind,
                   last_os_update_success, agent_version, hardware_model, os_lifecycle_id, first_seen) VALUES
  (1, 'VMAPP003',  'Microsoft Windows Server 2019 Standard',   '10.0.17763', 'virtual',  'inactive',
      '2026-08-01 09:00:00', 120, '2026-07-01 06:00:00', '2026-08-01 09:01:00', 'unexpected',
      '2026-07-10 03:00:00', '1.2.0', 'VMware Virtual Platform', NULL, '2025-01-01 00:00:00'),
  (2, 'RAIDSRV01', 'Microsoft Windows Server 2016 Datacenter', '10.0.14393', 'physical', 'active',
      '2026-08-01 11:59:00', 120, '2026-06-20 05:00:00', '2026-06-20 04:58:00', 'clean',
      '2026-07-15 02:30:00', '1.2.0', 'PowerEdge R740', NULL, '2025-01-01 00:00:00'),
  (3, 'DBSRV02',   'Microsoft Windows Server 2012 R2 Standard', '6.3.9600', 'physical', 'active',
      '2026-08-01 11:50:00', 120, '2026-05-02 07:00:00', NULL, NULL,
      NULL, '1.1.9', 'ProLiant DL380 Gen9', NULL, '2025-02-01 00:00:00'),
  (4, 'LEGACY01',  'Microsoft Windows Server 2008 R2 Enterprise', '6.1.7601', 'unknown', 'active',
      '2026-08-01 11:59:30', 120, NULL, NULL, NULL,
      '2019-12-10 01:00:00', '1.0.0', NULL, NULL, '2025-03-01 00:00:00'),
  (5, 'NEWSRV05',  'Microsoft Windows Server 2025 Datacenter', '10.0.26100', 'virtual', 'unknown',
      NULL, 120, NULL, NULL, NULL,
      NULL, '1.2.0', NULL, NULL, '2026-08-01 11:00:00');

INSERT INTO host_tags (host_id, tag) VALUES
  (1, 'geneva'), (1, 'app'), (2, 'raid'), (2, 'geneva'), (3, 'db');

-- Helper numbers 1..60 for repeated events.
CREATE TEMPORARY TABLE fixture_numbers (n INT NOT NULL PRIMARY KEY);
INSERT INTO fixture_numbers (n) VALUES
  (1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13),(14),(15),(16),(17),(18),(19),(20),
  (21),(22),(23),(24),(25),(26),(27),(28),(29),(30),(31),(32),(33),(34),(35),(36),(37),(38),(39),(40),
  (41),(42),(43),(44),(45),(46),(47),(48),(49),(50),(51),(52),(53),(54),(55),(56),(57),(58),(59),(60);

-- RAIDSRV01, 2026-07-30: the seed's "1x Error (87), 53x Unexpected sense (113),
-- 7x Command timeout on PD (267), 10x PD Reset (268)" on c0/e252/s0.
INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level,
                    record_id, device_address, message, rule_name)
SELECT 2, '2026-07-30 10:00:00' + INTERVAL n MINUTE, '2026-07-30 10:00:01' + INTERVAL n MINUTE,
       'System', 'MR_MONITOR', 113, 'information', 1000 + n, 'c0/e252/s0',
       CONCAT('Controller ID: 0 Unexpected sense: PD 00(e0xfc/s0) Path 5000c500a1b2c3d4, CDB: 28 00 Event ID:113 #', n),
       'keep-mr-monitor'
FROM fixture_numbers WHERE n <= 53;
INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level,
                    record_id, device_address, message, rule_name)
SELECT 2, '2026-07-30 11:00:00' + INTERVAL n MINUTE, '2026-07-30 11:00:01' + INTERVAL n MINUTE,
       'System', 'MR_MONITOR', 267, 'warning', 2000 + n, 'c0/e252/s0',
       'Controller ID: 0 Command timeout on PD 00(e0xfc/s0) Event ID:267', 'keep-mr-monitor'
FROM fixture_numbers WHERE n <= 7;
INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level,
                    record_id, device_address, message, rule_name)
SELECT 2, '2026-07-30 12:00:00' + INTERVAL n MINUTE, '2026-07-30 12:00:01' + INTERVAL n MINUTE,
       'System', 'MR_MONITOR', 268, 'warning', 3000 + n, 'c0/e252/s0',
       'Controller ID: 0 PD Reset: PD 00(e0xfc/s0) Event ID:268', 'keep-mr-monitor'
FROM fixture_numbers WHERE n <= 10;
INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level,
                    record_id, device_address, message, rule_name) VALUES
  (2, '2026-07-30 13:00:00', '2026-07-30 13:00:02', 'System', 'MR_MONITOR', 87, 'warning', 4001,
   'c0/e252/s0', 'Controller ID: 0 Error on PD 00(e0xfc/s0) (Error f0) Event ID:87', 'keep-mr-monitor');

-- RAIDSRV01, 2026-07-31: the drive fails and the VD degrades.
INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level,
                    record_id, device_address, message, rule_name) VALUES
  (2, '2026-07-31 08:00:00', '2026-07-31 08:00:01', 'System', 'MR_MONITOR', 114, 'information', 5001,
   'c0/e252/s0', 'Controller ID: 0 State change on PD 00(e0xfc/s0) from ONLINE(18) to FAILED(11) Event ID:114', 'keep-mr-monitor'),
  (2, '2026-07-31 08:00:00.250000', '2026-07-31 08:00:01', 'System', 'MR_MONITOR', 81, 'information', 5002,
   'c0/v0', 'Controller ID: 0 State change on VD 00/0 from OPTIMAL(3) to DEGRADED(2) Event ID:81', 'vd-degraded'),
  (2, '2026-07-31 08:00:01', '2026-07-31 08:00:02', 'System', 'MR_MONITOR', 251, 'critical', 5003,
   'c0/v0', 'Controller ID: 0 VD is now DEGRADED VD 0 Event ID:251', 'vd-degraded');

-- DBSRV02: corrected hardware errors this week, older noise outside the 7-day window.
INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level,
                    record_id, device_address, message, rule_name)
SELECT 3, '2026-07-31 20:00:00' + INTERVAL n HOUR, '2026-07-31 20:00:03' + INTERVAL n HOUR,
       'System', 'Microsoft-Windows-WHEA-Logger', 19, 'warning', 700 + n, NULL,
       'A corrected hardware error has occurred. Component: Memory', 'whea-corrected'
FROM fixture_numbers WHERE n <= 3;
INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level,
                    record_id, device_address, message, rule_name)
SELECT 3, '2026-07-20 06:00:00' + INTERVAL n MINUTE, '2026-07-20 06:00:00' + INTERVAL n MINUTE,
       'System', 'Microsoft-Windows-WHEA-Logger', 19, 'warning', 600 + n, NULL,
       'A corrected hardware error has occurred. Component: Memory', 'whea-corrected'
FROM fixture_numbers WHERE n <= 5;

-- VMAPP003: one unexpected shutdown; exactly at the 7-day boundary, counted.
INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level,
                    record_id, device_address, message, rule_name) VALUES
  (1, '2026-07-25 12:00:00', '2026-08-01 09:05:00', 'System', 'EventLog', 6008, 'error', 88001, NULL,
   'The previous system shutdown at 08:59:58 on 01/08/2026 was unexpected.', 'shutdowns');

-- Alarms: one open RAID alarm with a cleared predecessor on the same key,
-- an open Updates warning, an acknowledged Heartbeat alarm.
INSERT INTO alarms (alarm_id, rule_name, host_id, alarm_key, service, severity, state, text, ticket_text,
                    occurrences, first_seen, last_seen, cleared_at, cleared_by, clear_comment,
                    acknowledged_at, acknowledged_by, ack_comment) VALUES
  (10, 'vd-degraded', 2, 'c0/v0', 'RAID', 'critical', 'cleared', 'VD 0 degraded, drive offline', NULL,
   1, '2026-05-01 10:00:00', '2026-05-01 10:00:00', '2026-05-01 13:00:00', 'vd-degraded', 'VD 0 optimal (249)',
   NULL, NULL, NULL),
  (11, 'vd-degraded', 2, 'c0/v0', 'RAID', 'critical', 'open', 'VD 0 degraded, drive offline',
   'Machine RAIDSRV01: replace disk in slot 252:0, serial S4B1NX0M123456, model ST600MM0009, 558 GiB',
   2, '2026-07-31 08:00:01', '2026-07-31 08:00:01', NULL, NULL, NULL, NULL, NULL, NULL),
  (12, 'updates-failed', 3, '', 'Updates', 'warning', 'open', '1 update failed, reboot required', NULL,
   3, '2026-07-29 01:00:00', '2026-08-01 01:00:00', NULL, NULL, NULL, NULL, NULL, NULL),
  (13, 'heartbeat', 1, '', 'Heartbeat', 'critical', 'open', 'No heartbeat for 3 intervals (360 s)', NULL,
   1, '2026-08-01 09:06:00', '2026-08-01 09:06:00', NULL, NULL, NULL,
   '2026-08-01 09:30:00', 'jdoe', 'VM being migrated');

INSERT INTO alarm_events (alarm_id, event_row_id)
SELECT 11, id FROM events WHERE host_id = 2 AND event_id IN (81, 251);

-- Configuration history: two recent changes, one older than 30 days.
INSERT INTO config_history (host_id, changed_at, device_address, change_kind, attribute, old_value, new_value, text) VALUES
  (2, '2026-07-31 09:00:00', 'c0/e252/s7', 'replaced', NULL, 'S4B1NX0M000001', 'S4B1NX0M999999',
   'PD 252:7 replaced: serial S4B1NX0M000001 -> S4B1NX0M999999, model ST600MM0009'),
  (2, '2026-06-01 09:00:00', 'c0', 'changed', 'firmware', '25.5.6.0009', '25.5.9.0001',
   'Controller 0 firmware changed: 25.5.6.0009 -> 25.5.9.0001'),
  (4, '2026-07-05 10:00:00', 'c0/e252/s3', 'added', NULL, NULL, 'S4B1NX0M333333',
   'PD 252:3 added: serial S4B1NX0M333333, model ST600MM0009');

-- Updates.
INSERT INTO updates (host_id, last_search, pending_count, security_pending, failed_count, reboot_required,
                     pending_list, last_success, updated_at) VALUES
  (2, '2026-08-01 10:00:00', 2, 1, 0, 0, 'KB5040434, KB5040437', '2026-07-15 02:30:00', '2026-08-01 10:00:05'),
  (3, '2026-08-01 10:00:00', 0, 0, 1, 1, NULL, NULL, '2026-08-01 10:00:05'),
  (4, '2026-08-01 10:00:00', 0, 0, 0, 0, NULL, '2019-12-10 01:00:00', '2026-08-01 10:00:05');

INSERT INTO update_items (host_id, kb, title, kind, state, first_seen, last_seen) VALUES
  (2, 'KB5040437', '2026-07 Cumulative Update for .NET Framework', 'other', 'pending',
   '2026-07-20 00:00:00', '2026-08-01 10:00:00'),
  (2, 'KB5040434', '2026-07 Cumulative Update for Windows Server 2016', 'security', 'pending',
   '2026-07-20 00:00:00', '2026-08-01 10:00:00'),
  (2, 'KB5039214', '2026-06 Cumulative Update for Windows Server 2016', 'security', 'installed',
   '2026-06-20 00:00:00', '2026-07-15 02:30:00'),
  (3, 'KB5040456', '2026-07 Security Monthly Quality Rollup', 'security', 'failed',
   '2026-07-20 00:00:00', '2026-08-01 10:00:00');

DROP TEMPORARY TABLE fixture_numbers;
