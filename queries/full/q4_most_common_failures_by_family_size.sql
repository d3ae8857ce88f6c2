-- title: Most common number of past failures by family size
-- description: For families of at most three (le3) and more than three (gt3), the number of past class failures seen most often; ties all shown.
-- index: famsize, failures
-- chart: bar x=famsize y=count group=failures
WITH counts AS (
    SELECT famsize, failures, COUNT(*) AS count
    FROM student_data
    GROUP BY famsize, failures
),
ranked AS (
    SELECT famsize, failures, count,
           RANK() OVER (PARTITION BY famsize ORDER BY count DESC) AS position
    FROM counts
)
SELECT famsize, failures, count
FROM ranked
WHERE position = 1
ORDER BY famsize, failures;
