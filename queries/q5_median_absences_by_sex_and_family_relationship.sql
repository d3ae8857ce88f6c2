-- title: Median absences by sex, for low and average family relationships
-- description: Median school absences for family-relationship quality 1, 2 and 3, by sex and famrel; an even group averages its two middle values.
-- rollup: count by famrel, sex, absences where famrel in (1, 2, 3)
-- index: famrel, sex, absences
-- chart: bar x=famrel y=median_absences group=sex
-- The median from the histogram Sluice keeps at load (a count per (famrel, sex, absences)):
-- the running count finds the values at the middle positions (size + 1) / 2 and (size + 2) / 2,
-- which are the same position when the group's size is odd; the window functions sort a few
-- hundred counts instead of every row. The full scan it equals is in
-- queries/full/q5_median_absences_by_sex_and_family_relationship.sql.
WITH running AS (
    SELECT sex, famrel, absences,
           SUM(count) OVER (PARTITION BY sex, famrel ORDER BY absences ROWS UNBOUNDED PRECEDING) AS up_to,
           SUM(count) OVER (PARTITION BY sex, famrel) AS size
    FROM sluice_rollup_q5_median_absences_by_sex_and_family_relationship
)
SELECT sex, famrel,
       (MIN(CASE WHEN up_to >= (size + 1) / 2 THEN absences END)
        + MIN(CASE WHEN up_to >= (size + 2) / 2 THEN absences END)) / 2.0 AS median_absences
FROM running
GROUP BY sex, famrel
ORDER BY sex, famrel;
