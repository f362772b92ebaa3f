-- Added to fixture.sql for tests/chopinctl/test-report.sh: markup, quotes, control characters
-- and long UTF-8 in every kind of text the report shows, stored verbatim as an agent or an
-- operator could store them. The page must show them as text, never as markup.
SET NAMES utf8mb4;
SET time_zone = '+00:00';
SET @now = UTC_TIMESTAMP(6);

INSERT INTO hosts (host_id, name, os_name, os_version, machine_type, status, last_heartbeat,
                   heartbeat_interval_s, boot_time, last_shutdown_at, last_shutdown_kind,
                   last_os_update_success, agent_version, hardware_model, first_seen) VALUES
  (7, '<script>alert("x")</script> & \'q\'', 'Windows Server 2019 <marquee>scroll</marquee>',
      '10.0', 'physical', 'active', @now - INTERVAL 1 MINUTE, 120, NULL, NULL, NULL, NULL,
      '1.2.0', NULL, @now - INTERVAL 10 DAY),
  (8, REPEAT('Ünïcödé💾漢字', 25), 'Windows Server 2022', '10.0', 'virtual', 'active',
      @now - INTERVAL 1 MINUTE, 120, NULL, NULL, NULL, NULL, '1.2.0', NULL, @now - INTERVAL 10 DAY);

INSERT INTO host_tags (host_id, tag) VALUES (7, '<svg/onload=alert(1)>'), (8, 'ok');

-- Markup in the device, source and message; a message of 5000 characters; control
-- characters, a bidirectional override and a CDATA end in another.
INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level,
                    record_id, device_address, message, rule_name) VALUES
  (7, @now - INTERVAL 5 HOUR, @now - INTERVAL 5 HOUR, 'System', '<b>bold</b>', 42, 'critical', 1,
   '"><img src=x onerror=alert(1)>', '<script>alert(document.cookie)</script>', NULL),
  (7, @now - INTERVAL 4 HOUR, @now - INTERVAL 4 HOUR, 'System', '<b>bold</b>', 43, 'warning', 2,
   '"><img src=x onerror=alert(1)>', REPEAT('Ω≈ç√∫ ', 1000), NULL),
  (7, @now - INTERVAL 3 DAY, @now - INTERVAL 3 DAY, 'System', 'ctl', 44, 'error', 3, NULL,
   CONCAT('esc', CHAR(27), '[2J del', CHAR(127), ' c1', _utf8mb4 x'c285',
          ' rlo', _utf8mb4 x'e280ae', 'txt ]]> <!-- --> &amp; &#x3C;'), NULL),
  (8, @now - INTERVAL 2 DAY, @now - INTERVAL 2 DAY, 'System', 'MR_MONITOR', 113, 'information',
   4, 'c0/e252/s1', 'Controller ID: 0 Unexpected sense', NULL);

INSERT INTO alarms (alarm_id, rule_name, host_id, alarm_key, service, severity, state, text,
                    ticket_text, occurrences, first_seen, last_seen, acknowledged_at,
                    acknowledged_by, ack_comment) VALUES
  (20, 'hostile', 7, '<k>', 'Hardware', 'warning', 'open',
   '<script>document.title=1</script> "quoted" \'single\'', NULL, 1,
   @now - INTERVAL 4 HOUR, @now - INTERVAL 4 HOUR, @now - INTERVAL 3 HOUR, '" onmouseover="x', NULL);

INSERT INTO config_history (host_id, changed_at, device_address, change_kind, attribute,
                            old_value, new_value, text) VALUES
  (7, @now - INTERVAL 1 DAY, '<dev>', 'changed', 'model', '<a>', '<b>',
   '<iframe src="//example.invalid/"></iframe> model changed');

INSERT INTO devices (host_id, kind, address, model, serial, firmware, size_mib, state, status,
                     first_seen, last_seen) VALUES
  (7, 'pd', '"><img src=x onerror=alert(1)>', '</td></tr></table><h1>pwned</h1>', '<serial>',
   NULL, NULL, '<Dgrd>', 'warning', @now - INTERVAL 5 DAY, @now - INTERVAL 1 HOUR);

INSERT INTO updates (host_id, last_search, pending_count, security_pending, failed_count,
                     reboot_required, pending_list, last_success, updated_at) VALUES
  (7, @now - INTERVAL 2 HOUR, 1, 1, 0, 0, 'KB<i>1</i>', NULL, @now - INTERVAL 2 HOUR);
INSERT INTO update_items (host_id, kb, title, kind, state, first_seen, last_seen) VALUES
  (7, 'KB<i>1</i>', '<title>', 'security', 'pending', @now - INTERVAL 1 DAY, @now);
