-- updates-pending-too-long.sql: hosts whose Windows updates have waited longer than N days.
--
-- Answers   Which servers have updates pending, and have had them waiting (with nothing
--           installed meanwhile) for more than @days days?  Longest wait first.
-- Run       mariadb chopin < updates-pending-too-long.sql               (defaults)
--           mariadb chopin -e "SET @days = 14; SOURCE updates-pending-too-long.sql"
-- Parameters (session variables; one the session has already set wins over the default;
--             a bad value stops the report with an error that names it)
--   @days   list hosts waiting for longer than this many days   default: 30
-- Columns
--   host              host name
--   pending_count     updates pending (updates.pending_count, the agent's latest report)
--   security_pending  of which security updates
--   failed_count      installations that failed
--   reboot_required   1 if the host waits for a reboot to finish installing
--   waiting_since     UTC; since when the host is known to have been waiting (see basis)
--   days_waiting      whole days from waiting_since to now
--   basis             what waiting_since is:
--                       'oldest pending update'  first_seen of its oldest pending update_items
--                                                row (the per-update list, when it is known)
--                       'last successful installation'  updates.last_success: updates are
--                                                pending and nothing was installed since
--                       'first seen, no installation recorded'  hosts.first_seen: updates
--                                                pending, no installation ever reported
--   last_search       UTC (agent clock); when the agent last searched for updates: an old
--                     value means the pending counts are old too
--   pending_kbs       the pending KBs: from update_items, else the agent's pending list
--   Ordered by waiting_since (longest wait first), host.
--
-- A host is listed when its latest report has updates pending (pending_count > 0, or a
-- pending update_items row) and waiting_since is more than @days days before now.  The
-- 'last successful installation' basis measures "updates pending and nothing installed for
-- N days": an update published yesterday on a host that installed nothing for 40 days
-- counts as waiting 40 days.  That is the patch-compliance question; the per-update age
-- needs the update_items rows.

SET @days = COALESCE(@days, 30);

-- Refuse bad parameters with an error that names them.  Plain SQL has no SIGNAL outside
-- stored programs on MySQL; setting an unknown time zone is an error on both engines and its
-- message carries the text.  With good parameters time_zone keeps its value.
SET time_zone = CASE
  WHEN CAST(@days AS CHAR) NOT REGEXP '^[0-9]+$'
    THEN CONCAT('bad report parameter: @days is not a whole number: ', @days)
  ELSE @@session.time_zone END;

WITH
param AS (
  SELECT UTC_TIMESTAMP(6) AS now_utc,
         UTC_TIMESTAMP(6) - INTERVAL CAST(@days AS SIGNED) DAY AS threshold
),
pending_item AS (
  SELECT i.host_id,
         MIN(i.first_seen) AS oldest,
         GROUP_CONCAT(i.kb ORDER BY i.kb SEPARATOR ', ') AS kbs
  FROM update_items i
  WHERE i.state = 'pending'
  GROUP BY i.host_id
),
waiting AS (
  SELECT h.name AS host,
         COALESCE(u.pending_count, 0) AS pending_count,
         COALESCE(u.security_pending, 0) AS security_pending,
         COALESCE(u.failed_count, 0) AS failed_count,
         COALESCE(u.reboot_required, 0) AS reboot_required,
         CASE WHEN pi.oldest IS NOT NULL THEN pi.oldest
              WHEN u.last_success IS NOT NULL THEN u.last_success
              ELSE h.first_seen END AS waiting_since,
         CASE WHEN pi.oldest IS NOT NULL THEN 'oldest pending update'
              WHEN u.last_success IS NOT NULL THEN 'last successful installation'
              ELSE 'first seen, no installation recorded' END AS basis,
         u.last_search,
         COALESCE(pi.kbs, u.pending_list) AS pending_kbs
  FROM hosts h
  LEFT JOIN updates u ON u.host_id = h.host_id
  LEFT JOIN pending_item pi ON pi.host_id = h.host_id
  WHERE u.pending_count > 0 OR pi.host_id IS NOT NULL
)
SELECT w.host,
       w.pending_count,
       w.security_pending,
       w.failed_count,
       w.reboot_required,
       w.waiting_since,
       TIMESTAMPDIFF(DAY, w.waiting_since, p.now_utc) AS days_waiting,
       w.basis,
       w.last_search,
       w.pending_kbs
FROM waiting w
CROSS JOIN param p
WHERE w.waiting_since < p.threshold
ORDER BY w.waiting_since, w.host;
