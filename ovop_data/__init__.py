"""Data layer of the OVOP Kabupaten Blitar dashboard: load, validate, match, measure.

Plain Python over pandas DataFrames; nothing here imports Streamlit.
"""
