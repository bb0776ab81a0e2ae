"""What is not a user's action: the load and fault test (and, in time, demo data, bench and screenshots).

May import anything below the GUI; the GUI imports nothing from here.
"""
