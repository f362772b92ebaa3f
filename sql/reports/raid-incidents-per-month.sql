-- raid-incidents-per-month.sql: RAID alarms raised per UTC month, in total and per rule.
--
-- Answers   How many RAID incidents did the fleet have each month, how severe, from which
--           rules, on how many hosts; which of them are still open?
-- Run       mariadb chopin < raid-incidents-per-month.sql                (defaults)
--           mariadb chopin -e "SET @from = '2026-01-01', @to = '2027-01-01';
--                              SOURCE raid-incidents-per-month.sql"
-- Parameters (session variables; one the session has already set wins over the default;
--             a bad value stops the report with an error that names it)
--   @from   a date in the first month, UTC      default: the month 11 months before this one
--   @to     end of the period, UTC, exclusive   default: the start of next month
--           Whole months: every month that starts before @to, from the month of @from.
-- Columns
--   month       'YYYY-MM' (UTC)
--   rule_name   the rule that raised the alarms; '(all)' on the month's total row
--   incidents   alarms of service RAID raised in the month (alarms.first_seen)
--   critical    of which severity critical
--   warning     of which severity warning
--   hosts       distinct hosts they were raised on
--   still_open  of which still open now
--   Per month: one total row (also for a month without incidents: zeros), then one row per
--   rule that raised alarms, most incidents first, then by rule name.
--
-- An incident is one alarm: a rule raises at most one open alarm per key (host and RAID
-- device), so repeats of the same problem while the alarm is open are one incident
-- (alarms.occurrences counts them).

SET @from = COALESCE(@from, CAST(DATE_FORMAT(UTC_DATE(), '%Y-%m-01') AS DATE) - INTERVAL 11 MONTH),
    @to = COALESCE(@to, CAST(DATE_FORMAT(UTC_DATE(), '%Y-%m-01') AS DATE) + INTERVAL 1 MONTH);

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

WITH RECURSIVE
period AS (
  SELECT CAST(DATE_FORMAT(CAST(@from AS DATE), '%Y-%m-01') AS DATE) AS first_month,
         CAST(@to AS DATETIME(6)) AS p_to
),
month_start (m) AS (
  SELECT first_month FROM period WHERE first_month < p_to
  UNION ALL
  SELECT s.m + INTERVAL 1 MONTH
  FROM month_start s
  JOIN period p ON s.m + INTERVAL 1 MONTH < p.p_to
),
incident AS (
  SELECT s.m,
         a.rule_name,
         a.host_id,
         a.severity,
         a.state
  FROM month_start s
  JOIN alarms a ON a.first_seen >= s.m AND a.first_seen < s.m + INTERVAL 1 MONTH
  WHERE a.service = 'RAID'
),
report_row AS (
  SELECT s.m,
         0 AS row_kind,
         '(all)' AS rule_name,
         COUNT(i.host_id) AS incidents,
         COALESCE(SUM(i.severity = 'critical'), 0) AS critical,
         COALESCE(SUM(i.severity = 'warning'), 0) AS warning,
         COUNT(DISTINCT i.host_id) AS hosts,
         COALESCE(SUM(i.state = 'open'), 0) AS still_open
  FROM month_start s
  LEFT JOIN incident i ON i.m = s.m
  GROUP BY s.m
  UNION ALL
  SELECT m,
         1,
         rule_name,
         COUNT(*),
         SUM(severity = 'critical'),
         SUM(severity = 'warning'),
         COUNT(DISTINCT host_id),
         SUM(state = 'open')
  FROM incident
  GROUP BY m, rule_name
)
SELECT DATE_FORMAT(m, '%Y-%m') AS month,
       rule_name,
       incidents,
       critical,
       warning,
       hosts,
       still_open
FROM report_row
ORDER BY m, row_kind, incidents DESC, rule_name;
