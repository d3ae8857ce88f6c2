-- title: Median absences by sex, for low and average family relationships
-- description: Median school absences for family-relationship quality 1, 2 and 3, by sex and famrel; an even group averages its two middle values.
-- chart: bar x=famrel y=median_absences group=sex
WITH ordered AS (
    SELECT sex, famrel, absences,
           ROW_NUMBER() OVER (PARTITION BY sex, famrel ORDER BY absences) AS position,
           COUNT(*) OVER (PARTITION BY sex, famrel) AS size
    FROM student_data
    WHERE famrel IN (1, 2, 3)
)
SELECT sex, famrel, AVG(absences) AS median_absences
FROM ordered
WHERE position IN ((size + 1) / 2, (size + 2) / 2)
GROUP BY sex, famrel
ORDER BY sex, famrel;
