-- title: Mothers' jobs of male students under 20
-- description: Each distinct mother's job (mjob) among male students younger than 20, alphabetically.
-- index: sex, mjob, age
-- chart: table
-- The distinct jobs by a loose index scan: each step jumps through the index (sex, mjob, age)
-- to the next job that has a male student under 20, so a large table costs one index seek per
-- job instead of a read of every row. (Without the index each step reads the table: build it
-- with `sluice index`.) Same rows as SELECT DISTINCT mjob … ORDER BY mjob.
WITH RECURSIVE jobs(mjob) AS (
    SELECT MIN(mjob) FROM student_data WHERE sex = 'm' AND age < 20
    UNION ALL
    SELECT (SELECT MIN(mjob) FROM student_data WHERE sex = 'm' AND age < 20 AND mjob > jobs.mjob)
    FROM jobs
    WHERE jobs.mjob IS NOT NULL
)
SELECT mjob
FROM jobs
WHERE mjob IS NOT NULL
ORDER BY mjob;
