"""我为群众办实事: the yearly project list, cadres' pledges, monthly supervision, the 三个一天
grassroots days, the volunteer team and the year-end summary."""
