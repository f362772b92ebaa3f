-- top-failing-drive-models.sql: physical drive models ranked by failures in a period.
--
-- Answers   Which drive models fail most often in the fleet, on how many hosts, how many of
--           the failed drives have been replaced, and how many of each model are installed?
-- Run       mariadb chopin < top-failing-drive-models.sql               (defaults)
--           mariadb chopin -e "SET @from = '2026-01-01', @to = '2027-01-01', @top = 5;
--                              SOURCE top-failing-drive-models.sql"
-- Parameters (session variables; one the session has already set wins over the default;
--             a bad value stops the report with an error that names it)
--   @from              start of the period, UTC, inclusive   default: UTC midnight a year ago
--   @to                end of the period, UTC, exclusive     default: now
--   @top               keep the models ranked 1..@top (ties at the last rank all stay)
--                      default: 10
--   @pd_failure_rules  comma-separated names of the rules whose alarms are drive failures
--                      default: 'pd-failed' (the shipped rule: MR_MONITOR 114 "to FAILED")
-- Columns
--   failure_rank  1 = most failures; models with as many failures share a rank (RANK())
--   model         drive model; '(unknown)' when it cannot be told (see below)
--   failures      drive failures raised in the period
--   hosts         distinct hosts they happened on
--   replaced      of those failed drives, how many have been replaced since (a drive inserted
--                 in the slot before the slot's next failure)
--   installed     drives of that model in the current inventory (devices, kind 'pd', not
--                 removed)
--   Ordered by failure_rank, model.  Models without failures in the period are not listed.
--
-- A drive failure is one alarm of a rule in @pd_failure_rules (alarms.first_seen in the
-- period).  Its alarm_key is the drive's address (c0/e252/s7).  The failed drive's model is
-- the one in the alarm's ticket text, written from the inventory when the alarm was raised;
-- without a ticket, the model of the drive now in that slot if no drive has been inserted
-- there since the failure; otherwise '(unknown)'.  A drive inserted in the slot is a
-- configuration-history row for that address of kind 'replaced' (serial changed between
-- two snapshots) or 'added' (a snapshot saw the slot empty in between).

SET @from = COALESCE(@from, UTC_DATE() - INTERVAL 1 YEAR),
    @to = COALESCE(@to, UTC_TIMESTAMP(6)),
    @top = COALESCE(@top, 10),
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
  WHEN CAST(@top AS CHAR) NOT REGEXP '^[0-9]+$'
    THEN CONCAT('bad report parameter: @top is not a whole number: ', @top)
  ELSE @@session.time_zone END;

WITH
param AS (
  SELECT CAST(@from AS DATETIME(6)) AS p_from,
         LEAST(CAST(@to AS DATETIME(6)), UTC_TIMESTAMP(6)) AS p_to,
         CAST(@top AS UNSIGNED) AS max_rank,
         REPLACE(CONVERT(@pd_failure_rules USING utf8mb4) COLLATE utf8mb4_unicode_ci, ' ', '')
           AS rules
),
-- every failure alarm ever: the next failure in the same slot bounds "replaced since"
pd_failure AS (
  SELECT a.host_id,
         a.alarm_key,
         a.first_seen,
         a.ticket_text,
         LEAD(a.first_seen) OVER (PARTITION BY a.host_id, a.alarm_key
                                  ORDER BY a.first_seen, a.alarm_id) AS next_failure
  FROM alarms a
  CROSS JOIN param p
  WHERE FIND_IN_SET(a.rule_name, p.rules) > 0
),
failure AS (
  SELECT f.host_id,
         COALESCE(
           -- the ticket's line "Model: X" (correlator/alarms.c writes it)
           NULLIF(NULLIF(CASE WHEN LOCATE('Model: ', f.ticket_text) > 0 THEN
                           TRIM(SUBSTRING_INDEX(SUBSTRING_INDEX(f.ticket_text, 'Model: ', -1),
                                                CHAR(10 USING utf8mb4) COLLATE utf8mb4_unicode_ci,
                                                1)) END,
                         ''), 'unknown'),
           (SELECT d.model
              FROM devices d
             WHERE d.host_id = f.host_id AND d.address = f.alarm_key AND d.kind = 'pd'
               AND NOT EXISTS (SELECT 1 FROM config_history c
                                WHERE c.host_id = f.host_id AND c.device_address = f.alarm_key
                                  AND c.change_kind IN ('replaced', 'added')
                                  AND c.changed_at >= f.first_seen)),
           '(unknown)') AS model,
         EXISTS (SELECT 1 FROM config_history c
                  WHERE c.host_id = f.host_id AND c.device_address = f.alarm_key
                    AND c.change_kind IN ('replaced', 'added')
                    AND c.changed_at >= f.first_seen
                    AND (f.next_failure IS NULL OR c.changed_at < f.next_failure)) AS replaced
  FROM pd_failure f
  CROSS JOIN param p
  WHERE f.first_seen >= p.p_from AND f.first_seen < p.p_to
),
model_failure AS (
  SELECT model,
         COUNT(*) AS failures,
         COUNT(DISTINCT host_id) AS hosts,
         SUM(replaced) AS replaced
  FROM failure
  GROUP BY model
),
installed AS (
  SELECT model, COUNT(*) AS installed
  FROM devices
  WHERE kind = 'pd' AND removed = 0 AND model IS NOT NULL
  GROUP BY model
),
ranked AS (
  SELECT RANK() OVER (ORDER BY m.failures DESC) AS failure_rank,
         m.model,
         m.failures,
         m.hosts,
         m.replaced,
         COALESCE(i.installed, 0) AS installed
  FROM model_failure m
  LEFT JOIN installed i ON i.model = m.model
)
SELECT r.failure_rank,
       r.model,
       r.failures,
       r.hosts,
       CAST(r.replaced AS UNSIGNED) AS replaced,
       r.installed
FROM ranked r
CROSS JOIN param p
WHERE r.failure_rank <= p.max_rank
ORDER BY r.failure_rank, r.model;
