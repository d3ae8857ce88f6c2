-- title: Most common number of past failures by family size
-- description: For families of at most three (le3) and more than three (gt3), the number of past class failures seen most often; ties all shown.
-- rollup: count by famsize, failures
-- index: famsize, failures
-- chart: bar x=famsize y=count group=failures
-- Reads the rollup Sluice keeps at load: students counted by (famsize, failures). The full
-- scan it equals is in queries/full/q4_most_common_failures_by_family_size.sql.
WITH ranked AS (
    SELECT famsize, failures, count,
           RANK() OVER (PARTITION BY famsize ORDER BY count DESC) AS position
    FROM sluice_rollup_q4_most_common_failures_by_family_size
)
SELECT famsize, failures, count
FROM ranked
WHERE position = 1
ORDER BY famsize, failures;
