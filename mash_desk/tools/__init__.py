"""What is not a user's action: demo data (``demo``), the benchmark (``bench``), the load and fault
test (``loadtest``) and the screenshots (``screenshots``).

May import anything of the app, the window included (the screenshots drive it); nothing but the
command line imports it.
"""
