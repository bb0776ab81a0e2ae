"""The administrator's screens: users, teams and agencies, the timescale policy, the letterhead, the
dashboard's targets and the idle lock."""
