-- pd-mtbf.sql: mean time between physical drive failures, fleet-wide and per drive model.
--
-- Answers   How often does a drive fail somewhere in the fleet, and how many drive-hours of
--           service does each model give per failure?
-- Run       mariadb chopin < pd-mtbf.sql                                (defaults)
--           mariadb chopin -e "SET @from = '2026-01-01', @to = '2027-01-01';
--                              SOURCE pd-mtbf.sql"
-- Parameters (session variables; one the session has already set wins over the default;
--             a bad value stops the report with an error that names it)
--   @from              start of the period, UTC, inclusive   default: UTC midnight a year ago
--   @to                end of the period, UTC, exclusive     default: now
--                      A period reaching past the current time ends at the current time.
--   @pd_failure_rules  comma-separated names of the rules whose alarms are drive failures
--                      default: 'pd-failed' (the shipped rule: MR_MONITOR 114 "to FAILED")
-- Columns
--   scope            'fleet' (one row, model '(all models)') or 'model'
--   model            drive model ('(unknown)': see top-failing-drive-models.sql)
--   failures         drive failures raised in the period
--   first_failure    UTC time of the first of them (NULL: none)
--   last_failure     UTC time of the last of them
--   mean_interval_h  hours between consecutive failures, on average:
--                    (last_failure - first_failure) / (failures - 1); NULL below 2 failures
--   drive_hours      hours of drive service in the period (see below), 2 decimals
--   mtbf_h           drive_hours / failures: the MTBF in the vendors' sense (operating hours
--                    per failure); NULL without failures or without drive hours
--   The fleet row first, then models by failures (most first), then by name.  Models with
--   neither failures nor drive hours in the period are not listed.
--
-- Failures and their models are defined as in top-failing-drive-models.sql.  Drive hours:
-- for each physical drive slot in the inventory (devices, kind 'pd'), the time within the
-- period between its first_seen and now, or its last_seen if it was removed, counted for
-- the model now in that slot.  The inventory keeps one row per slot, so a slot whose drive
-- was replaced by another model counts all its hours for the newer model.

SET @from = COALESCE(@from, UTC_DATE() - INTERVAL 1 YEAR),
    @to = COALESCE(@to, UTC_TIMESTAMP(6)),
    @pd_failure_rules = COALESCE(@pd_failure_rules, 'pd-failed');

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
param AS (
  SELECT CAST(@from AS DATETIME(6)) AS p_from,
         LEAST(CAST(@to AS DATETIME(6)), UTC_TIMESTAMP(6)) AS p_to,
         REPLACE(CONVERT(@pd_failure_rules USING utf8mb4) COLLATE utf8mb4_unicode_ci, ' ', '')
           AS rules
),
failure AS (
  SELECT a.first_seen,
         COALESCE(
           NULLIF(NULLIF(CASE WHEN LOCATE('Model: ', a.ticket_text) > 0 THEN
                           TRIM(SUBSTRING_INDEX(SUBSTRING_INDEX(a.ticket_text, 'Model: ', -1),
                                                CHAR(10 USING utf8mb4) COLLATE utf8mb4_unicode_ci,
                                                1)) END,
                         ''), 'unknown'),
           (SELECT d.model
              FROM devices d
             WHERE d.host_id = a.host_id AND d.address = a.alarm_key AND d.kind = 'pd'
               AND NOT EXISTS (SELECT 1 FROM config_history c
                                WHERE c.host_id = a.host_id AND c.device_address = a.alarm_key
                                  AND c.change_kind IN ('replaced', 'added')
                                  AND c.changed_at >= a.first_seen)),
           '(unknown)') AS model
  FROM alarms a
  CROSS JOIN param p
  WHERE FIND_IN_SET(a.rule_name, p.rules) > 0
    AND a.first_seen >= p.p_from AND a.first_seen < p.p_to
),
drive_time AS (
  SELECT COALESCE(d.model, '(unknown)') AS model,
         SUM(GREATEST(0, TIMESTAMPDIFF(MICROSECOND,
                                       GREATEST(d.first_seen, p.p_from),
                                       LEAST(CASE WHEN d.removed = 1 THEN d.last_seen
                                                  ELSE p.p_to END,
                                             p.p_to)))) AS drive_us
  FROM devices d
  CROSS JOIN param p
  WHERE d.kind = 'pd'
  GROUP BY COALESCE(d.model, '(unknown)')
),
model_failure AS (
  SELECT model, COUNT(*) AS failures, MIN(first_seen) AS first_failure,
         MAX(first_seen) AS last_failure
  FROM failure
  GROUP BY model
),
model_list AS (
  SELECT model FROM model_failure
  UNION
  SELECT model FROM drive_time WHERE drive_us > 0
),
report_row AS (
  SELECT 0 AS row_kind,
         'fleet' AS scope,
         '(all models)' AS model,
         (SELECT COUNT(*) FROM failure) AS failures,
         (SELECT MIN(first_seen) FROM failure) AS first_failure,
         (SELECT MAX(first_seen) FROM failure) AS last_failure,
         (SELECT COALESCE(SUM(drive_us), 0) FROM drive_time) AS drive_us
  UNION ALL
  SELECT 1,
         'model',
         l.model,
         COALESCE(f.failures, 0),
         f.first_failure,
         f.last_failure,
         COALESCE(t.drive_us, 0)
  FROM model_list l
  LEFT JOIN model_failure f ON f.model = l.model
  LEFT JOIN drive_time t ON t.model = l.model
)
SELECT scope,
       model,
       failures,
       first_failure,
       last_failure,
       CAST(CASE WHEN failures > 1 THEN
              ROUND(TIMESTAMPDIFF(MICROSECOND, first_failure, last_failure)
                    / (3600000000 * (failures - 1)), 2) END AS DECIMAL(14,2)) AS mean_interval_h,
       CAST(ROUND(drive_us / 3600000000, 2) AS DECIMAL(14,2)) AS drive_hours,
       CAST(CASE WHEN failures > 0 AND drive_us > 0 THEN
              ROUND(drive_us / (3600000000 * failures), 2) END AS DECIMAL(14,2)) AS mtbf_h
FROM report_row
ORDER BY row_kind, failures DESC, model;
