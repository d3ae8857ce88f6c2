-- title: Top 3 fathers' jobs by parents' cohabitation
-- description: The three most frequent fathers' jobs (fjob) for parents living together (t) and apart (a); equal counts ordered by job name.
-- rollup: count by pstatus, fjob
-- index: pstatus, fjob
-- chart: bar x=fjob y=count group=pstatus
-- Reads the rollup Sluice keeps at load: students counted by (pstatus, fjob). The full scan
-- it equals is in queries/full/q3_top_father_jobs_by_cohabitation.sql.
WITH ranked AS (
    SELECT pstatus, fjob, count,
           ROW_NUMBER() OVER (PARTITION BY pstatus ORDER BY count DESC, fjob) AS position
    FROM sluice_rollup_q3_top_father_jobs_by_cohabitation
)
SELECT pstatus, fjob, count
FROM ranked
WHERE position <= 3
ORDER BY pstatus, position;
