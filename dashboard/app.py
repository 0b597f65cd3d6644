"""Streamlit entry point: ``streamlit run dashboard/app.py``."""

from dashboard.page import main

main()
