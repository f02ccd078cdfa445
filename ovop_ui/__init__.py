"""The Streamlit side of the dashboard: cached loading, the shared sidebar, small display helpers.

Pages import from here; ovop_data never imports Streamlit.
"""
