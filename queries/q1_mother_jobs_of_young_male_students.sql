-- title: Mothers' jobs of male students under 20
-- description: Each distinct mother's job (mjob) among male students younger than 20, alphabetically.
-- rollup: count by mjob where sex = 'm' and age < 20
-- index: sex, mjob, age
-- chart: table
-- Reads the rollup Sluice keeps at load (one row per job with a male student under 20, with
-- its count), so it costs the same at any size. The full scan it equals is in
-- queries/full/q1_mother_jobs_of_young_male_students.sql.
SELECT mjob
FROM sluice_rollup_q1_mother_jobs_of_young_male_students
WHERE mjob IS NOT NULL
ORDER BY mjob;
