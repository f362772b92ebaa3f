-- Fixture for tests/sql/test-reports.sh: a fleet whose report results are worked out by hand
-- below; the test pins the clock to 2026-08-01 12:00:00 UTC.  Expected outputs:
-- tests/data/sql/expected/reports/*.tsv.
SET NAMES utf8mb4;
SET time_zone = '+00:00';

-- Hosts.  All first seen 2026-01-01 except FOXTROT (mid-period) and GOLF (after it).
INSERT INTO hosts (host_id, name, os_name, status, os_lifecycle_id, first_seen) VALUES
  (1, 'ALPHA',   'Microsoft Windows Server 2019 Standard',      'active',   NULL, '2026-01-01 00:00:00'),
  (2, 'BRAVO',   'Microsoft Windows Server 2016 Datacenter',    'active',   NULL, '2026-01-01 00:00:00'),
  (3, 'CHARLIE', 'Microsoft Windows Server 2012 R2 Standard',   'inactive', NULL, '2026-01-01 00:00:00'),
  (4, 'DELTA',   'Microsoft Windows Server 2022 Standard',      'active',   NULL, '2026-01-01 00:00:00'),
  (5, 'ECHO',    'Microsoft Windows Server 2008 R2 Enterprise', 'inactive', NULL, '2026-01-01 00:00:00'),
  (6, 'FOXTROT', 'Microsoft Windows Server 2025 Datacenter',    'active',   NULL, '2026-07-01 12:00:00'),
  (7, 'GOLF',    'Windows 10 Enterprise',                       'active',   NULL, '2026-07-05 00:00:00'),
  (8, 'HOTEL',   'Microsoft Windows Server 2016 Standard',      'active',   NULL, '2026-01-01 00:00:00'),
  (9, 'JULIET',  'Custom WinPE image',                          'unknown',  NULL, '2026-01-01 00:00:00');
-- JULIET's OS matches no pattern: an explicit link to Windows Server 2016.
UPDATE hosts SET os_lifecycle_id =
  (SELECT os_lifecycle_id FROM os_lifecycle WHERE product = 'Windows Server 2016')
WHERE host_id = 9;

-- =====================================================================================
-- host-availability.sql
-- =====================================================================================
-- Inactive intervals = alarms of service Heartbeat, [first_seen, cleared_at) or open.
--
-- Run 1: @from = 2026-07-01 00:00, @to = 2026-07-02 00:00 (24 h)
--   ALPHA    06:00-12:00                                   6 h  -> 18/24 = 75.00 %
--            (its Updates alarm that day is not an outage); clean reboot 12:00:30 -> 1, 0
--            (User32 1074 is not a reboot event)
--   BRAVO    06-30 20:00 -> 07-01 02:00, straddles the start: 2 h  -> 22/24 = 91.67 %
--            reboots 01:00 (clean) and 01:30 (unexpected) -> 2, 1
--   CHARLIE  open since 18:00, ends at the period end:     6 h  -> 18/24 = 75.00 %
--            (EventLog 6008 is not counted: the reboot event is)
--   DELTA    01-05 and 03-07 overlap (two absence rules), 07-08 touches them: one outage
--            01:00-08:00 = 7 h; 20:00-21:00 with 20:15-20:45 inside it: 1 h;
--            8 h in 2 outages, longest 7 h                     -> 16/24 = 66.67 %
--            unexpected reboot at 00:00:00 exactly (inclusive) -> 1, 1
--   ECHO     one alarm before the period, one after it:   0 h -> 100.00 %
--   FOXTROT  first seen 12:00: monitored 12 h; 18:00-21:00 = 3 h -> 9/12 = 75.00 %
--            clean reboot 12:00:00 -> 1, 0
--   GOLF     first seen 07-05: not listed
--   HOTEL    06-30 00:00 -> 07-03 00:00 covers it all:    24 h -> 0.00 %
--            unexpected reboot 07-02 00:00:00 is the exclusive end -> 0, 0
--   JULIET   no alarm                                          -> 100.00 %
-- Run 2: @from = 2026-07-31 12:00, @to = 2026-08-02 (past now): ends at now, 24 h
--   CHARLIE (open since 07-01) and ECHO (open since 07-02 01:00): 24 h -> 0.00 %;
--   the others 100.00 %, GOLF included.
-- Run 3: defaults, @from = 2026-07-02 00:00, @to = 2026-08-01 00:00 (720 h)
--   CHARLIE  720 h -> 0.00 %;  ECHO 07-02 01:00 -> : 719 h -> 1/720 = 0.14 %
--   HOTEL    07-02 00:00 -> 07-03 00:00: 24 h -> 696/720 = 96.67 %, reboots 1, 1
--   GOLF     monitored 07-05 -> 08-01 = 648 h, 100.00 %; the others 100.00 %
INSERT INTO alarms (rule_name, host_id, alarm_key, service, severity, state, text,
                    first_seen, last_seen, cleared_at, cleared_by) VALUES
  ('inactive-server', 1, '', 'Heartbeat', 'critical', 'cleared', 'Inactive servers: ALPHA',
   '2026-07-01 06:00:00', '2026-07-01 06:00:00', '2026-07-01 12:00:00', 'inactive-server'),
  ('inactive-server', 2, '', 'Heartbeat', 'critical', 'cleared', 'Inactive servers: BRAVO',
   '2026-06-30 20:00:00', '2026-06-30 20:00:00', '2026-07-01 02:00:00', 'inactive-server'),
  ('inactive-server', 3, '', 'Heartbeat', 'critical', 'open', 'Inactive servers: CHARLIE',
   '2026-07-01 18:00:00', '2026-07-01 18:00:00', NULL, NULL),
  ('inactive-server', 4, '', 'Heartbeat', 'critical', 'cleared', 'Inactive servers: DELTA',
   '2026-07-01 01:00:00', '2026-07-01 01:00:00', '2026-07-01 05:00:00', 'inactive-server'),
  ('inactive-server-strict', 4, '', 'Heartbeat', 'warning', 'cleared', 'Inactive servers: DELTA',
   '2026-07-01 03:00:00', '2026-07-01 03:00:00', '2026-07-01 07:00:00', 'inactive-server-strict'),
  ('inactive-server', 4, '', 'Heartbeat', 'critical', 'cleared', 'Inactive servers: DELTA',
   '2026-07-01 07:00:00', '2026-07-01 07:00:00', '2026-07-01 08:00:00', 'inactive-server'),
  ('inactive-server', 4, '', 'Heartbeat', 'critical', 'cleared', 'Inactive servers: DELTA',
   '2026-07-01 20:00:00', '2026-07-01 20:00:00', '2026-07-01 21:00:00', 'inactive-server'),
  ('inactive-server-strict', 4, '', 'Heartbeat', 'warning', 'cleared', 'Inactive servers: DELTA',
   '2026-07-01 20:15:00', '2026-07-01 20:15:00', '2026-07-01 20:45:00', 'inactive-server-strict'),
  ('inactive-server', 5, '', 'Heartbeat', 'critical', 'cleared', 'Inactive servers: ECHO',
   '2026-06-29 10:00:00', '2026-06-29 10:00:00', '2026-06-30 10:00:00', 'inactive-server'),
  ('inactive-server', 5, '', 'Heartbeat', 'critical', 'open', 'Inactive servers: ECHO',
   '2026-07-02 01:00:00', '2026-07-02 01:00:00', NULL, NULL),
  ('inactive-server', 6, '', 'Heartbeat', 'critical', 'cleared', 'Inactive servers: FOXTROT',
   '2026-07-01 18:00:00', '2026-07-01 18:00:00', '2026-07-01 21:00:00', 'inactive-server'),
  ('inactive-server', 8, '', 'Heartbeat', 'critical', 'cleared', 'Inactive servers: HOTEL',
   '2026-06-30 00:00:00', '2026-06-30 00:00:00', '2026-07-03 00:00:00', 'inactive-server'),
  ('update-install-failed', 1, '', 'Updates', 'warning', 'cleared', 'not an outage',
   '2026-07-01 00:00:00', '2026-07-01 00:00:00', '2026-07-01 23:00:00', 'update-install-failed');

-- Reboots: the correlator's events (log and source Chopin, id 1 clean, 2 unexpected; the
-- event time is the new boot time).
INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level, message) VALUES
  (1, '2026-07-01 12:00:30', '2026-07-01 12:01:00', 'Chopin', 'Chopin', 1, 'information', 'Rebooted: up since ...'),
  (1, '2026-07-01 11:58:00', '2026-07-01 12:01:00', 'System', 'User32', 1074, 'information', 'The process ... has initiated the restart'),
  (2, '2026-07-01 01:00:00', '2026-07-01 02:00:00', 'Chopin', 'Chopin', 1, 'information', 'Rebooted: up since ...'),
  (2, '2026-07-01 01:30:00', '2026-07-01 02:00:00', 'Chopin', 'Chopin', 2, 'error', 'Rebooted after an unexpected shutdown ...'),
  (3, '2026-07-01 10:00:00', '2026-07-01 10:00:05', 'System', 'EventLog', 6008, 'error', 'The previous system shutdown ... was unexpected.'),
  (4, '2026-07-01 00:00:00', '2026-07-01 08:00:00', 'Chopin', 'Chopin', 2, 'error', 'Rebooted after an unexpected shutdown ...'),
  (6, '2026-07-01 12:00:00', '2026-07-01 12:00:05', 'Chopin', 'Chopin', 1, 'information', 'Rebooted: up since ...'),
  (8, '2026-07-02 00:00:00', '2026-07-03 00:00:00', 'Chopin', 'Chopin', 2, 'error', 'Rebooted after an unexpected shutdown ...');

-- =====================================================================================
-- Drives: top-failing-drive-models.sql and pd-mtbf.sql
-- =====================================================================================
-- Current inventory (kind pd unless said).  first_seen 2025-06-01 unless said.
--   ALPHA   s0 ST600MM0009 (failed F9, still in), s1 ST600MM0009; c0 controller (not a pd)
--   BRAVO   s1 ST4000NM0035 (third drive in the slot), s3, s4 ST4000NM0035,
--           s5 ST4000NM0035 removed, last seen 2026-03-01
--   CHARLIE s4 HUS726T4TALA6L4 (failed F3, still in), s5 HUS726T4TALA6L4
--   DELTA   s0 HUS726T4TALA6L4 (new after F5), s1 HUS726T4TALA6L4 (failed F6)
--   ECHO    s5, s7 MZ7LH960HAJR (failed F7, F12, still in)
--   HOTEL   s2 ST4000NM0035 (new after F4); s3 ST8000NM000A first seen 2026-06-01;
--           s4 ST8000NM000A first seen 2026-07-10
--   JULIET  s6 MZ7LH960HAJR first seen 2026-04-01 (new after F8)
INSERT INTO devices (host_id, kind, address, model, serial, state, status, first_seen, last_seen, removed) VALUES
  (1, 'controller', 'c0',         'PERC H740P',      'CTRL1',  'Optl', 'ok',       '2025-06-01', '2026-08-01', 0),
  (1, 'pd',         'c0/e252/s0', 'ST600MM0009',     'S6001',  'Failed', 'critical', '2025-06-01', '2026-08-01', 0),
  (1, 'pd',         'c0/e252/s1', 'ST600MM0009',     'S6002',  'Onln', 'ok',       '2025-06-01', '2026-08-01', 0),
  (2, 'pd',         'c0/e252/s1', 'ST4000NM0035',    'ZC2002', 'Onln', 'ok',       '2025-06-01', '2026-08-01', 0),
  (2, 'pd',         'c0/e252/s3', 'ST4000NM0035',    'ZC4001', 'Onln', 'ok',       '2025-06-01', '2026-08-01', 0),
  (2, 'pd',         'c0/e252/s4', 'ST4000NM0035',    'ZC4002', 'Onln', 'ok',       '2025-06-01', '2026-08-01', 0),
  (2, 'pd',         'c0/e252/s5', 'ST4000NM0035',    'ZC4003', 'Onln', 'ok',       '2025-06-01', '2026-03-01', 1),
  (3, 'pd',         'c0/e32/s4',  'HUS726T4TALA6L4', 'K1001',  'Onln', 'ok',       '2025-06-01', '2026-08-01', 0),
  (3, 'pd',         'c0/e32/s5',  'HUS726T4TALA6L4', 'K1002',  'Onln', 'ok',       '2025-06-01', '2026-08-01', 0),
  (4, 'pd',         'c0/e8/s0',   'HUS726T4TALA6L4', 'K2003',  'Onln', 'ok',       '2025-06-01', '2026-08-01', 0),
  (4, 'pd',         'c0/e8/s1',   'HUS726T4TALA6L4', 'K2002',  'Failed', 'critical', '2025-06-01', '2026-08-01', 0),
  (5, 'pd',         'c0/e252/s5', 'MZ7LH960HAJR',    'M1001',  'Failed', 'critical', '2025-06-01', '2026-08-01', 0),
  (5, 'pd',         'c0/e252/s7', 'MZ7LH960HAJR',    'M1002',  'Failed', 'critical', '2025-06-01', '2026-08-01', 0),
  (8, 'pd',         'c0/e252/s2', 'ST4000NM0035',    'ZC3002', 'Onln', 'ok',       '2025-06-01', '2026-08-01', 0),
  (8, 'pd',         'c0/e252/s3', 'ST8000NM000A',    'ZA0001', 'Onln', 'ok',       '2026-06-01', '2026-08-01', 0),
  (8, 'pd',         'c0/e252/s4', 'ST8000NM000A',    'ZA0002', 'Onln', 'ok',       '2026-07-10', '2026-08-01', 0),
  (9, 'pd',         'c0/e252/s6', 'MZ7LH960HAJR',    'M2001',  'Onln', 'ok',       '2026-04-01', '2026-08-01', 0);

-- Drives inserted in a slot after a failure.  DELTA s0 went through an empty snapshot:
-- 'removed' then 'added'.  The 'changed' row is not an insertion.
INSERT INTO config_history (host_id, changed_at, device_address, change_kind, attribute, old_value, new_value, text) VALUES
  (2, '2026-01-11 00:00:00', 'c0/e252/s1', 'replaced', 'serial', 'ZC1001', 'ZC2001',
   'PD 252:1 replaced: serial ZC1001 -> ZC2001, model ST4000NM0035'),
  (2, '2026-03-03 00:00:00', 'c0/e252/s1', 'replaced', 'serial', 'ZC2001', 'ZC2002',
   'PD 252:1 replaced: serial ZC2001 -> ZC2002, model ST4000NM0035'),
  (8, '2026-05-16 00:00:00', 'c0/e252/s2', 'replaced', 'serial', 'ZC3001', 'ZC3002',
   'PD 252:2 replaced: serial ZC3001 -> ZC3002, model ST4000NM0035'),
  (4, '2026-02-02 00:00:00', 'c0/e8/s0', 'removed', NULL, 'K2001', NULL, 'c0/e8/s0 removed (serial K2001)'),
  (4, '2026-02-03 00:00:00', 'c0/e8/s0', 'added', NULL, NULL, 'K2003',
   'PD 8:0 added: serial K2003, model HUS726T4TALA6L4'),
  (9, '2026-04-21 00:00:00', 'c0/e252/s6', 'replaced', 'serial', 'M0009', 'M2001',
   'PD 252:6 replaced: serial M0009 -> M2001, model MZ7LH960HAJR'),
  (3, '2026-03-11 00:00:00', 'c0/e32/s4', 'changed', 'state', 'Failed', 'Onln',
   'PD 32:4 state Failed -> Onln');

-- Drive failures: alarms of rule pd-failed (service RAID, key = the drive's address).
--   id   when              host     slot         model from                      replaced
--   F11  2025-12-31 23:59:59 CHARLIE c0/e32/s5  ticket HUS  (before the period)
--   F1   2026-01-10        BRAVO    c0/e252/s1   ticket ST4000NM0035             01-11 yes
--   F5   2026-02-01        DELTA    c0/e8/s0     ticket HUS726T4TALA6L4          02-03 added
--   F2   2026-03-02        BRAVO    c0/e252/s1   ticket ST4000NM0035             03-03 yes
--   F3   2026-03-10        CHARLIE  c0/e32/s4    ticket HUS726T4TALA6L4          no (back online)
--   F7   2026-04-15        ECHO     c0/e252/s5   no ticket: device in the slot   no
--   F8   2026-04-20        JULIET   c0/e252/s6   no ticket, slot replaced since: (unknown)  yes
--   F12  2026-04-25        ECHO     c0/e252/s7   ticket "Model: unknown": device  no
--   F4   2026-05-15        HOTEL    c0/e252/s2   ticket ST4000NM0035             05-16 yes
--   F6   2026-06-20        DELTA    c0/e8/s1     ticket HUS726T4TALA6L4          no
--   F9   2026-06-30        ALPHA    c0/e252/s0   ticket ST600MM0009              no
--   F10  2026-07-01 00:00  BRAVO    c0/e252/s3   ticket ST4000NM0035 (the period's exclusive end)
-- F1's slot was also replaced on 03-03, after F2: that replacement belongs to F2 only.
--
-- top-failing-drive-models, @from = 2026-01-01, @to = 2026-07-01:
--   rank model            failures hosts replaced installed
--   1    HUS726T4TALA6L4  3 (F3 F5 F6)  2  1 (F5)  4 (CHARLIE s4 s5, DELTA s0 s1)
--   1    ST4000NM0035     3 (F1 F2 F4)  2  3       4 (BRAVO s1 s3 s4, HOTEL s2; s5 removed)
--   3    MZ7LH960HAJR     2 (F7 F12)    1  0       3 (ECHO s5 s7, JULIET s6)
--   4    (unknown)        1 (F8)        1  1       0
--   4    ST600MM0009      1 (F9)        1  0       2
--   @top = 3 keeps ranks 1, 1, 3; @top = 1 keeps both models of rank 1.
--   @pd_failure_rules = 'pd-failed, pd-predictive-failure' adds ECHO's predictive failure
--   of 04-10 on s7 (ticket MZ7LH960HAJR): MZ7LH960HAJR 3 failures, rank 1 with the others.
--
-- pd-mtbf, same period (2026-01-01 -> 2026-07-01 = 181 days = 4344 h):
--   fleet: 10 failures, 01-10 .. 06-30 = 171 days = 4104 h -> mean interval 4104/9 = 456.00 h
--   ST4000NM0035: 01-10 .. 05-15 = 125 d = 3000 h / 2 = 1500.00 h
--   HUS726T4TALA6L4: 02-01 .. 06-20 = 139 d = 3336 h / 2 = 1668.00 h
--   MZ7LH960HAJR: 04-15 .. 04-25 = 240 h / 1 = 240.00 h
--   drive hours in the period:
--     ST4000NM0035    BRAVO s1 s3 s4 + HOTEL s2 = 4 x 4344, BRAVO s5 01-01 .. 03-01 = 1416
--                     = 18792 h -> MTBF 18792 / 3 = 6264.00 h
--     HUS726T4TALA6L4 4 x 4344 = 17376 h -> 17376 / 3 = 5792.00 h
--     MZ7LH960HAJR    2 x 4344 + JULIET s6 04-01 .. 07-01 (91 d) 2184 = 10872 -> / 2 = 5436.00
--     ST600MM0009     2 x 4344 = 8688 h -> 8688.00 h
--     ST8000NM000A    HOTEL s3 06-01 .. 07-01 = 720 h, s4 after the period 0 h; no failure
--     (unknown)       1 failure, no drive hours -> MTBF NULL
--     controller c0 is no drive.
--     fleet 18792 + 17376 + 10872 + 8688 + 720 = 56448 h -> 56448 / 10 = 5644.80 h
-- Both with the defaults (2025-08-01 00:00 -> now 2026-08-01 12:00 = 8772 h): F10 and F11 join.
--   top models: HUS726T4TALA6L4 4 (F11 on CHARLIE s5, never replaced), ST4000NM0035 4 (F10),
--   the rest unchanged.
--   MTBF fleet: 12 failures, 2025-12-31 23:59:59 .. 2026-07-01 = 4344 h + 1 s -> / 11 = 394.91
--     HUS 2025-12-31 23:59:59 .. 06-20 = 4080 h + 1 s -> / 3 = 1360.00
--     ST4000 01-10 .. 07-01 = 172 d = 4128 h -> / 3 = 1376.00
--     drive hours: HUS 4 x 8772 = 35088 (MTBF 8772.00); ST4000 4 x 8772 + s5 2025-08-01 ..
--     2026-03-01 (212 d) 5088 = 40176 (10044.00); MZ7 2 x 8772 + s6 04-01 .. 08-01 12:00
--     (122.5 d) 2940 = 20484 (10242.00); ST600 17544; ST8000 06-01 .. 08-01 12:00 1476 +
--     07-10 .. 08-01 12:00 540 = 2016; fleet 115308 h -> / 12 = 9609.00
INSERT INTO alarms (rule_name, host_id, alarm_key, service, severity, state, text, ticket_text,
                    first_seen, last_seen, cleared_at, cleared_by) VALUES
  ('pd-failed', 3, 'c0/e32/s5', 'RAID', 'critical', 'cleared', 'F11',
   'Please replace the failed disk.\nMachine: CHARLIE\nController: 0\nEnclosure:slot: 32:5\nSerial number: K1000\nModel: HUS726T4TALA6L4\nFirmware: W9R0\nSize: 3726.023 GiB (3815447 MiB)',
   '2025-12-31 23:59:59', '2025-12-31 23:59:59', '2026-01-01 10:00:00', 'pd-failed'),
  ('pd-failed', 2, 'c0/e252/s1', 'RAID', 'critical', 'cleared', 'F1',
   'Please replace the failed disk.\nMachine: BRAVO\nController: 0\nEnclosure:slot: 252:1\nSerial number: ZC1001\nModel: ST4000NM0035\nFirmware: TN04\nSize: 3726.023 GiB (3815447 MiB)',
   '2026-01-10 00:00:00', '2026-01-10 00:00:00', '2026-01-11 00:00:00', 'pd-failed'),
  ('pd-failed', 4, 'c0/e8/s0', 'RAID', 'critical', 'cleared', 'F5',
   'Please replace the failed disk.\nMachine: DELTA\nController: 0\nEnclosure:slot: 8:0\nSerial number: K2001\nModel: HUS726T4TALA6L4\nFirmware: W9R0\nSize: 3726.023 GiB (3815447 MiB)',
   '2026-02-01 00:00:00', '2026-02-01 00:00:00', '2026-02-03 00:00:00', 'pd-failed'),
  ('pd-failed', 2, 'c0/e252/s1', 'RAID', 'critical', 'cleared', 'F2',
   'Please replace the failed disk.\nMachine: BRAVO\nController: 0\nEnclosure:slot: 252:1\nSerial number: ZC2001\nModel: ST4000NM0035\nFirmware: TN04\nSize: 3726.023 GiB (3815447 MiB)',
   '2026-03-02 00:00:00', '2026-03-02 00:00:00', '2026-03-03 00:00:00', 'pd-failed'),
  ('pd-failed', 3, 'c0/e32/s4', 'RAID', 'critical', 'cleared', 'F3',
   'Please replace the failed disk.\nMachine: CHARLIE\nController: 0\nEnclosure:slot: 32:4\nSerial number: K1001\nModel: HUS726T4TALA6L4\nFirmware: W9R0\nSize: 3726.023 GiB (3815447 MiB)',
   '2026-03-10 00:00:00', '2026-03-10 00:00:00', '2026-03-11 00:00:00', 'pd-failed'),
  ('pd-failed', 5, 'c0/e252/s5', 'RAID', 'critical', 'open', 'F7', NULL,
   '2026-04-15 00:00:00', '2026-04-15 00:00:00', NULL, NULL),
  ('pd-failed', 9, 'c0/e252/s6', 'RAID', 'critical', 'cleared', 'F8', NULL,
   '2026-04-20 00:00:00', '2026-04-20 00:00:00', '2026-04-21 00:00:00', 'pd-failed'),
  ('pd-failed', 5, 'c0/e252/s7', 'RAID', 'critical', 'open', 'F12',
   'Please replace the failed disk.\nMachine: ECHO\nController: 0\nEnclosure:slot: 252:7\nSerial number: unknown\nModel: unknown\nFirmware: unknown\nSize: 0.000 GiB (0 MiB)',
   '2026-04-25 00:00:00', '2026-04-25 00:00:00', NULL, NULL),
  ('pd-failed', 8, 'c0/e252/s2', 'RAID', 'critical', 'cleared', 'F4',
   'Please replace the failed disk.\nMachine: HOTEL\nController: 0\nEnclosure:slot: 252:2\nSerial number: ZC3001\nModel: ST4000NM0035\nFirmware: TN04\nSize: 3726.023 GiB (3815447 MiB)',
   '2026-05-15 00:00:00', '2026-05-15 00:00:00', '2026-05-16 00:00:00', 'pd-failed'),
  ('pd-failed', 4, 'c0/e8/s1', 'RAID', 'critical', 'open', 'F6',
   'Please replace the failed disk.\nMachine: DELTA\nController: 0\nEnclosure:slot: 8:1\nSerial number: K2002\nModel: HUS726T4TALA6L4\nFirmware: W9R0\nSize: 3726.023 GiB (3815447 MiB)',
   '2026-06-20 00:00:00', '2026-06-20 00:00:00', NULL, NULL),
  ('pd-failed', 1, 'c0/e252/s0', 'RAID', 'critical', 'open', 'F9',
   'Please replace the failed disk.\nMachine: ALPHA\nController: 0\nEnclosure:slot: 252:0\nSerial number: S6001\nModel: ST600MM0009\nFirmware: B003\nSize: 558.406 GiB (571808 MiB)',
   '2026-06-30 00:00:00', '2026-06-30 00:00:00', NULL, NULL),
  ('pd-failed', 2, 'c0/e252/s3', 'RAID', 'critical', 'open', 'F10',
   'Please replace the failed disk.\nMachine: BRAVO\nController: 0\nEnclosure:slot: 252:3\nSerial number: ZC4001\nModel: ST4000NM0035\nFirmware: TN04\nSize: 3726.023 GiB (3815447 MiB)',
   '2026-07-01 00:00:00', '2026-07-01 00:00:00', NULL, NULL);

-- =====================================================================================
-- raid-incidents-per-month.sql
-- =====================================================================================
-- The RAID alarms above plus these.  Run with @from = 2025-11-15 (whole month: November),
-- @to = 2026-08-01:
--   month    (all): incidents critical warning hosts open  | per rule
--   2025-11  0 0 0 0 0                                       | -
--   2025-12  1 1 0 1 0   F11                                 | pd-failed 1 1 0 1 0
--   2026-01  1 1 0 1 0   F1                                  | pd-failed 1 1 0 1 0
--   2026-02  1 1 0 1 0   F5                                  | pd-failed 1 1 0 1 0
--   2026-03  3 2 1 2 0   F2 F3, battery BRAVO                | pd-failed 2 2 0 2 0, battery-failure 1 0 1 1 0
--   2026-04  4 3 1 2 2   F7 F8 F12, predictive ECHO          | pd-failed 3 3 0 2 2, pd-predictive-failure 1 0 1 1 0
--   2026-05  5 2 3 3 1   F4, 3 bursts DELTA (1 open), vd ALPHA 05-31 23:59:59.999999
--                        | pd-error-burst 3 0 3 1 1, pd-failed 1 1 0 1 0, vd-degraded 1 1 0 1 0
--   2026-06  3 3 0 2 3   vd ALPHA 06-01 00:00 (open), F6, F9 | pd-failed 2 2 0 2 2, vd-degraded 1 1 0 1 1
--   2026-07  1 1 0 1 1   F10                                 | pd-failed 1 1 0 1 1
--   The Updates alarm of 2026-03 and the Heartbeat alarms are not RAID.
-- Defaults (clock 2026-08-01): 2025-09 .. 2026-08, twelve months.
INSERT INTO alarms (rule_name, host_id, alarm_key, service, severity, state, text, ticket_text,
                    first_seen, last_seen, cleared_at, cleared_by) VALUES
  ('battery-failure', 2, 'c0', 'RAID', 'warning', 'cleared', 'Controller 0 battery: replace',
   NULL, '2026-03-20 00:00:00', '2026-03-21 00:00:00', '2026-03-27 00:00:00', 'battery-failure'),
  ('pd-predictive-failure', 5, 'c0/e252/s7', 'RAID', 'warning', 'cleared', 'predicts failure',
   'Please replace the failed disk.\nMachine: ECHO\nController: 0\nEnclosure:slot: 252:7\nSerial number: M1002\nModel: MZ7LH960HAJR\nFirmware: HXT7\nSize: 894.252 GiB (915715 MiB)',
   '2026-04-10 00:00:00', '2026-04-10 00:00:00', '2026-04-25 00:00:00', 'pd-predictive-failure'),
  ('pd-error-burst', 4, 'c0/p3', 'RAID', 'warning', 'cleared', '50 errors in 1h on PD 3',
   NULL, '2026-05-05 00:00:00', '2026-05-05 01:00:00', '2026-05-05 02:00:00', 'pd-error-burst'),
  ('pd-error-burst', 4, 'c0/p3', 'RAID', 'warning', 'cleared', '50 errors in 1h on PD 3',
   NULL, '2026-05-06 00:00:00', '2026-05-06 01:00:00', '2026-05-06 02:00:00', 'pd-error-burst'),
  ('pd-error-burst', 4, 'c0/p3', 'RAID', 'warning', 'open', '50 errors in 1h on PD 3',
   NULL, '2026-05-07 00:00:00', '2026-05-07 01:00:00', NULL, NULL),
  ('vd-degraded', 1, 'c0/v0', 'RAID', 'critical', 'cleared', 'VD 0 degraded',
   NULL, '2026-05-31 23:59:59.999999', '2026-05-31 23:59:59.999999', '2026-06-01 00:00:00', 'vd-degraded'),
  ('vd-degraded', 1, 'c0/v0', 'RAID', 'critical', 'open', 'VD 0 degraded',
   NULL, '2026-06-01 00:00:00', '2026-06-01 00:00:00', NULL, NULL),
  ('update-install-failed', 2, '', 'Updates', 'warning', 'cleared', 'not RAID',
   NULL, '2026-03-05 00:00:00', '2026-03-05 00:00:00', '2026-03-06 00:00:00', 'update-install-failed');

-- =====================================================================================
-- updates-pending-too-long.sql (now 2026-08-01 12:00; @days = 30 -> before 2026-07-02 12:00)
-- =====================================================================================
--   ALPHA    pending items since 06-01 (the recent last_success does not matter): 61 days
--   BRAVO    no items, last success 06-15: 47 days
--   CHARLIE  last success 07-10: 22 days, not listed
--   DELTA    nothing pending (one failed): not listed
--   ECHO     no success ever: since first seen 2026-01-01, 212 days
--   FOXTROT  no success ever, first seen 07-01 12:00: 31 days
--   HOTEL    last success exactly 30 days ago (07-02 12:00): not longer, not listed
--   JULIET   pending_count 0 but one pending item since 05-01: 92 days
--   Order: ECHO, JULIET, ALPHA, BRAVO, FOXTROT.  @days = 60: ECHO, JULIET, ALPHA.
INSERT INTO updates (host_id, last_search, pending_count, security_pending, failed_count, reboot_required,
                     pending_list, last_success, updated_at) VALUES
  (1, '2026-08-01 10:00:00', 2, 1, 0, 0, 'KB5040002, KB5040001', '2026-07-25 03:00:00', '2026-08-01 10:00:05'),
  (2, '2026-08-01 09:00:00', 2, 2, 0, 1, 'KB5040434, KB5040437', '2026-06-15 00:00:00', '2026-08-01 09:00:05'),
  (3, '2026-08-01 09:00:00', 1, 0, 0, 0, 'KB5040456', '2026-07-10 00:00:00', '2026-08-01 09:00:05'),
  (4, '2026-08-01 09:00:00', 0, 0, 1, 0, NULL, '2026-01-01 00:00:00', '2026-08-01 09:00:05'),
  (5, '2026-07-20 09:00:00', 4, 3, 2, 0, 'KB1, KB2, KB3, KB4', NULL, '2026-07-20 09:00:05'),
  (6, '2026-08-01 09:00:00', 2, 0, 0, 0, NULL, NULL, '2026-08-01 09:00:05'),
  (8, '2026-08-01 09:00:00', 1, 1, 0, 0, 'KB5040500', '2026-07-02 12:00:00', '2026-08-01 09:00:05'),
  (9, '2026-08-01 09:00:00', 0, 0, 0, 0, NULL, '2026-07-30 00:00:00', '2026-08-01 09:00:05');
INSERT INTO update_items (host_id, kb, title, kind, state, first_seen, last_seen) VALUES
  (1, 'KB5040001', 'Cumulative Update (security)', 'security', 'pending', '2026-06-01 00:00:00', '2026-08-01 10:00:00'),
  (1, 'KB5040002', '.NET Framework update', 'other', 'pending', '2026-07-20 00:00:00', '2026-08-01 10:00:00'),
  (1, 'KB5030000', 'older update', 'security', 'installed', '2026-04-01 00:00:00', '2026-07-25 03:00:00'),
  (9, 'KB5040999', 'Servicing stack update', 'other', 'pending', '2026-05-01 00:00:00', '2026-08-01 09:00:00');

-- =====================================================================================
-- os-end-of-support.sql (as of 2026-08-01; @days = 180 -> extended_end <= 2027-01-28)
-- =====================================================================================
--   ECHO     2008 R2, ended 2020-01-14: days_left -2391, past
--   CHARLIE  2012 R2, ended 2023-10-10: -1026, past
--   BRAVO, HOTEL (2016 by pattern), JULIET (2016 by explicit link): 2027-01-12, 164 days
--   GOLF     Windows 10: no lifecycle data (listed unless @include_unknown = 0)
--   ALPHA 2019, DELTA 2022, FOXTROT 2025: not listed
-- @as_of = 2027-01-12, @days = 0, @include_unknown = 0: 2016 ends that day -> past, 0 days;
--   ECHO -2555 (2020-01-14 .. 2027-01-14 is 7 years with two 29 Februaries = 2557 days),
--   CHARLIE -1190 (2023-10-10 .. 2026-10-10 = 1096 days, .. 2027-01-12 = 94 more).
