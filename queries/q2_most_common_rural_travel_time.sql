-- title: Most common travel time, rural students
-- description: The home-to-school travel time (1 = under 15 min … 4 = over 1 h) shared by the most rural students; ties all shown.
-- rollup: count by traveltime where address = 'r'
-- index: address, traveltime
-- chart: bar x=traveltime y=count
-- Reads the rollup Sluice keeps at load: rural students counted by travel time. The full scan
-- it equals is in queries/full/q2_most_common_rural_travel_time.sql.
WITH counts AS (
    SELECT traveltime, count
    FROM sluice_rollup_q2_most_common_rural_travel_time
)
SELECT traveltime, count
FROM counts
WHERE count = (SELECT MAX(count) FROM counts)
ORDER BY traveltime;
