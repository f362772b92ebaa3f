-- os-end-of-support.sql: hosts whose OS is past end of support, or will be within N days.
--
-- Answers   Which servers run a Windows release Microsoft no longer supports, or will stop
--           supporting soon; which servers' OS the lifecycle table does not know?
-- Run       mariadb chopin < os-end-of-support.sql                      (defaults)
--           mariadb chopin -e "SET @days = 365, @include_unknown = 0;
--                              SOURCE os-end-of-support.sql"
-- Parameters (session variables; one the session has already set wins over the default;
--             a bad value stops the report with an error that names it)
--   @days             also list hosts whose support ends within this many days of @as_of
--                     default: 180
--   @as_of            the reference date, UTC                    default: today (UTC)
--   @include_unknown  1: also list hosts no os_lifecycle row matches; 0: do not
--                     default: 1
-- Columns
--   host            host name
--   os_name         as the agent reports it (NULL: never reported)
--   product         the matched os_lifecycle product (NULL: unknown)
--   mainstream_end  end of mainstream support (DATE)
--   extended_end    end of extended support (DATE): the date that counts
--   days_left       extended_end - @as_of in days; 0 or negative: support has ended
--   eos_state       'past end of support' (extended_end <= @as_of),
--                   'ends within N days', or 'no lifecycle data'
--   host_status     hosts.status (active / inactive / unknown): is the server still there?
--   Ordered past, then soon, then unknown; then by extended_end, host.
--
-- The lifecycle row is hosts.os_lifecycle_id when set, else the os_lifecycle row with the
-- longest os_pattern that hosts.os_name matches (LIKE), as in the view v_hosts_past_eos.
-- Paid Extended Security Updates do not count as support (see os_lifecycle in schema.sql).

SET @days = COALESCE(@days, 180),
    @as_of = COALESCE(@as_of, UTC_DATE()),
    @include_unknown = COALESCE(@include_unknown, 1);

-- Refuse bad parameters with an error that names them.  Plain SQL has no SIGNAL outside
-- stored programs on MySQL; setting an unknown time zone is an error on both engines and its
-- message carries the text.  With good parameters time_zone keeps its value.
SET time_zone = CASE
  WHEN CAST(@days AS CHAR) NOT REGEXP '^[0-9]+$'
    THEN CONCAT('bad report parameter: @days is not a whole number: ', @days)
  WHEN CAST(@as_of AS DATE) IS NULL
    THEN CONCAT('bad report parameter: @as_of is not a date: ', @as_of)
  WHEN CAST(@include_unknown AS CHAR) NOT IN ('0', '1')
    THEN CONCAT('bad report parameter: @include_unknown is not 0 or 1: ', @include_unknown)
  ELSE @@session.time_zone END;

WITH
param AS (
  SELECT CAST(@as_of AS DATE) AS as_of,
         CAST(@days AS SIGNED) AS days,
         CAST(@include_unknown AS SIGNED) AS include_unknown
),
host_lifecycle AS (
  SELECT h.name,
         h.os_name,
         h.status,
         COALESCE(h.os_lifecycle_id,
                  (SELECT m.os_lifecycle_id
                     FROM os_lifecycle m
                    WHERE h.os_name LIKE m.os_pattern
                    ORDER BY CHAR_LENGTH(m.os_pattern) DESC, m.os_lifecycle_id
                    LIMIT 1)) AS os_lifecycle_id
  FROM hosts h
),
exposure AS (
  SELECT hl.name,
         hl.os_name,
         l.product,
         l.mainstream_end,
         l.extended_end,
         DATEDIFF(l.extended_end, p.as_of) AS days_left,
         CASE WHEN l.os_lifecycle_id IS NULL THEN 2
              WHEN l.extended_end <= p.as_of THEN 0
              ELSE 1 END AS state_rank,
         CASE WHEN l.os_lifecycle_id IS NULL THEN 'no lifecycle data'
              WHEN l.extended_end <= p.as_of THEN 'past end of support'
              ELSE CONCAT('ends within ', p.days, ' days') END AS eos_state,
         hl.status
  FROM host_lifecycle hl
  CROSS JOIN param p
  LEFT JOIN os_lifecycle l ON l.os_lifecycle_id = hl.os_lifecycle_id
  WHERE (l.os_lifecycle_id IS NOT NULL AND l.extended_end <= p.as_of + INTERVAL p.days DAY)
     OR (l.os_lifecycle_id IS NULL AND p.include_unknown <> 0)
)
SELECT name AS host,
       os_name,
       product,
       mainstream_end,
       extended_end,
       days_left,
       eos_state,
       status AS host_status
FROM exposure
ORDER BY state_rank, extended_end, host;
