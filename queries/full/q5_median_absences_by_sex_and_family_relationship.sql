-- title: Median absences by sex, for low and average family relationships
-- description: Median school absences for family-relationship quality 1, 2 and 3, by sex and famrel; an even group averages its two middle values.
-- index: famrel, sex, absences
-- chart: bar x=famrel y=median_absences group=sex
-- The median from a histogram: count each (sex, famrel, absences), then the running count
-- finds the values at the middle positions (size + 1) / 2 and (size + 2) / 2, which are the
-- same position when the group's size is odd. Counting reads the index alone, and the window
-- functions then sort a few hundred counts instead of every row.
WITH counts AS (
    SELECT famrel, sex, absences, COUNT(*) AS n
    FROM student_data
    WHERE famrel IN (1, 2, 3)
    GROUP BY famrel, sex, absences
),
running AS (
    SELECT sex, famrel, absences,
           SUM(n) OVER (PARTITION BY sex, famrel ORDER BY absences ROWS UNBOUNDED PRECEDING) AS up_to,
           SUM(n) OVER (PARTITION BY sex, famrel) AS size
    FROM counts
)
SELECT sex, famrel,
       (MIN(CASE WHEN up_to >= (size + 1) / 2 THEN absences END)
        + MIN(CASE WHEN up_to >= (size + 2) / 2 THEN absences END)) / 2.0 AS median_absences
FROM running
GROUP BY sex, famrel
ORDER BY sex, famrel;
