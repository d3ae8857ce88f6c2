-- title: Top 3 fathers' jobs by parents' cohabitation
-- description: The three most frequent fathers' jobs (fjob) for parents living together (t) and apart (a); equal counts ordered by job name.
-- index: pstatus, fjob
-- chart: bar x=fjob y=count group=pstatus
WITH counts AS (
    SELECT pstatus, fjob, COUNT(*) AS count
    FROM student_data
    GROUP BY pstatus, fjob
),
ranked AS (
    SELECT pstatus, fjob, count,
           ROW_NUMBER() OVER (PARTITION BY pstatus ORDER BY count DESC, fjob) AS position
    FROM counts
)
SELECT pstatus, fjob, count
FROM ranked
WHERE position <= 3
ORDER BY pstatus, position;
