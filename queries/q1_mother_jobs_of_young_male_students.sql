-- title: Mothers' jobs of male students under 20
-- description: Each distinct mother's job (mjob) among male students younger than 20, alphabetically.
-- index: sex, age, mjob
-- chart: table
SELECT DISTINCT mjob
FROM student_data
WHERE sex = 'm'
  AND age < 20
ORDER BY mjob;
