-- host-availability.sql: availability of every host over a period, from its heartbeat outages.
--
-- Answers   What share of the period was each server reachable (sending heartbeats)?
--           Worst first.
-- Run       mariadb chopin < host-availability.sql                       (defaults)
--           mariadb chopin -e "SET @from = '2026-07-01', @to = '2026-08-01';
--                              SOURCE host-availability.sql"
-- Parameters (session variables; one the session has already set wins over the default;
--             a bad value stops the report with an error that names it)
--   @from   start of the period, UTC, inclusive   default: UTC midnight 30 days ago
--   @to     end of the period, UTC, exclusive     default: today's UTC midnight
--           A period reaching past the current time ends at the current time.
-- Columns
--   host              host name
--   monitored_from    UTC; the later of @from and the host's first record (hosts.first_seen)
--   monitored_to      UTC; the earlier of @to and now
--   monitored_h       hours between monitored_from and monitored_to (2 decimals)
--   inactive_h        hours of that window the host was inactive (2 decimals)
--   outages           number of inactive intervals overlapping the window
--   longest_outage_h  hours of the longest of them inside the window (NULL: none)
--   reboots           reboots in the window: the correlator's own events (source 'Chopin',
--                     id 1 after a clean shutdown, 2 after an unexpected one), written when
--                     a heartbeat's boot time moves forward; event_time is the new boot time
--   unexpected_reboots  of which after a shutdown nobody announced (id 2)
--   availability_pct  100 * (1 - inactive_h / monitored_h), percent (2 decimals)
--   One row per host first seen before monitored_to; ordered by availability_pct, host.
--
-- How inactivity is recorded.  The correlator's absence rule raises an alarm of service
-- 'Heartbeat' when a host has sent no heartbeat for its multiple of the announced interval
-- (hosts.status becomes 'inactive') and clears it at the next heartbeat ('active').  Such an
-- alarm's first_seen is the receive time of the last heartbeat before the silence; its
-- cleared_at is when the correlator processed the returning heartbeat.  An inactive
-- interval is [first_seen, cleared_at), or [first_seen, end of window) while the alarm is
-- open.  Intervals are clipped to the window, and overlapping ones (several absence rules)
-- are merged before they are summed.
-- Limits.  A silence shorter than the rule's multiple of the interval (a quick reboot) is
-- not an outage (it shows in reboots).  cleared_at is the correlator's wall clock: if it
-- catches up on a backlog, outages that ended during the backlog look longer by the
-- backlog's age.  A planned shutdown is downtime like any other silence.

SET @from = COALESCE(@from, UTC_DATE() - INTERVAL 30 DAY),
    @to = COALESCE(@to, UTC_DATE());

-- Refuse bad parameters with an error that names them.  Plain SQL has no SIGNAL outside
-- stored programs on MySQL; setting an unknown time zone is an error on both engines and its
-- message carries the text.  With good parameters time_zone keeps its value.
SET time_zone = CASE
  WHEN CAST(@from AS DATETIME(6)) IS NULL
    THEN CONCAT('bad report parameter: @from is not a date: ', @from)
  WHEN CAST(@to AS DATETIME(6)) IS NULL
    THEN CONCAT('bad report parameter: @to is not a date: ', @to)
  WHEN CAST(@from AS DATETIME(6)) >= CAST(@to AS DATETIME(6))
    THEN 'bad report parameters: @from is not before @to'
  ELSE @@session.time_zone END;

WITH
period AS (
  SELECT CAST(@from AS DATETIME(6)) AS p_from,
         LEAST(CAST(@to AS DATETIME(6)), UTC_TIMESTAMP(6)) AS p_to
),
host_window AS (
  SELECT h.host_id,
         h.name,
         GREATEST(p.p_from, h.first_seen) AS w_from,
         p.p_to AS w_to
  FROM hosts h
  CROSS JOIN period p
  WHERE h.first_seen < p.p_to AND p.p_from < p.p_to
),
inactive_span AS (
  SELECT w.host_id,
         GREATEST(a.first_seen, w.w_from) AS s_from,
         LEAST(CASE WHEN a.state = 'open' THEN w.w_to
                    ELSE COALESCE(a.cleared_at, a.last_seen) END,
               w.w_to) AS s_to
  FROM alarms a
  JOIN host_window w ON w.host_id = a.host_id
  WHERE a.service = 'Heartbeat'
),
-- covered_to: the furthest end of the spans that start earlier; a span starting after it
-- begins a new outage (gaps and islands).
ordered_span AS (
  SELECT host_id, s_from, s_to,
         MAX(s_to) OVER (PARTITION BY host_id ORDER BY s_from, s_to
                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS covered_to
  FROM inactive_span
  WHERE s_to > s_from
),
numbered_span AS (
  SELECT host_id, s_from, s_to,
         SUM(CASE WHEN covered_to IS NULL OR s_from > covered_to THEN 1 ELSE 0 END)
           OVER (PARTITION BY host_id ORDER BY s_from, s_to
                 ROWS UNBOUNDED PRECEDING) AS outage_no
  FROM ordered_span
),
outage AS (
  SELECT host_id, outage_no, MIN(s_from) AS o_from, MAX(s_to) AS o_to
  FROM numbered_span
  GROUP BY host_id, outage_no
),
outage_total AS (
  SELECT host_id,
         COUNT(*) AS outages,
         SUM(TIMESTAMPDIFF(MICROSECOND, o_from, o_to)) AS inactive_us,
         MAX(TIMESTAMPDIFF(MICROSECOND, o_from, o_to)) AS longest_us
  FROM outage
  GROUP BY host_id
),
reboot AS (
  SELECT w.host_id,
         COUNT(*) AS reboots,
         SUM(e.event_id = 2) AS unexpected_reboots
  FROM events e
  JOIN host_window w ON w.host_id = e.host_id
  WHERE e.source = 'Chopin' AND e.log_name = 'Chopin' AND e.event_id IN (1, 2)
    AND e.event_time >= w.w_from AND e.event_time < w.w_to
  GROUP BY w.host_id
),
host_total AS (
  SELECT w.name,
         w.w_from,
         w.w_to,
         TIMESTAMPDIFF(MICROSECOND, w.w_from, w.w_to) AS monitored_us,
         COALESCE(t.inactive_us, 0) AS inactive_us,
         COALESCE(t.outages, 0) AS outages,
         t.longest_us,
         COALESCE(r.reboots, 0) AS reboots,
         COALESCE(r.unexpected_reboots, 0) AS unexpected_reboots
  FROM host_window w
  LEFT JOIN outage_total t ON t.host_id = w.host_id
  LEFT JOIN reboot r ON r.host_id = w.host_id
)
SELECT name AS host,
       w_from AS monitored_from,
       w_to AS monitored_to,
       CAST(ROUND(monitored_us / 3600000000, 2) AS DECIMAL(12,2)) AS monitored_h,
       CAST(ROUND(inactive_us / 3600000000, 2) AS DECIMAL(12,2)) AS inactive_h,
       outages,
       CAST(ROUND(longest_us / 3600000000, 2) AS DECIMAL(12,2)) AS longest_outage_h,
       reboots,
       CAST(unexpected_reboots AS UNSIGNED) AS unexpected_reboots,
       CAST(ROUND(100.000000 * (monitored_us - inactive_us) / monitored_us, 2)
            AS DECIMAL(5,2)) AS availability_pct
FROM host_total
ORDER BY availability_pct, host;
