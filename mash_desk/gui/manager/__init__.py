"""A team manager's screens: the decision queue, hand-offs nobody has accepted, team work, the
front-door dashboard, outcome letters (preview, print, the day's batch) and the statutory lists."""
