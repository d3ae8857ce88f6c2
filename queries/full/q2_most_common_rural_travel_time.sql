-- title: Most common travel time, rural students
-- description: The home-to-school travel time (1 = under 15 min … 4 = over 1 h) shared by the most rural students; ties all shown.
-- index: address, traveltime
-- chart: bar x=traveltime y=count
WITH counts AS (
    SELECT traveltime, COUNT(*) AS count
    FROM student_data
    WHERE address = 'r'
    GROUP BY traveltime
)
SELECT traveltime, count
FROM counts
WHERE count = (SELECT MAX(count) FROM counts)
ORDER BY traveltime;
