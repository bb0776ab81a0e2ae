"""Statutory lists and returns (Ofsted Annex A, the CIN census) and reporting periods; no Qt, no database.

The services gather the rows; these modules only know the formats.
"""
