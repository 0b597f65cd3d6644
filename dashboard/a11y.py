"""What every page needs to be usable by everyone, beyond Streamlit's defaults: the page's
language, readable caption contrast, and a name for the map's frame."""

from __future__ import annotations

import json

import streamlit as st

# Streamlit's captions are text at 60 % opacity: #828180 on white, 3.9:1. This grey, fully
# opaque, is 7.5:1 on white and 6.7:1 on the sidebar's grey (WCAG AA needs 4.5:1).
CAPTION_COLOUR = "#555453"
MAP_TITLE = "Kaart van de buurten met het aanbod"

_STYLE = f"""<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {{
  color: {CAPTION_COLOUR} !important;
  opacity: 1 !important;
}}
/* The label of a switched-off control stays readable (Streamlit greys it to 2.9:1). */
label[data-testid="stWidgetLabel"][disabled] p {{
  color: {CAPTION_COLOUR} !important;
}}
</style>"""

# Streamlit's page says lang="en" and names the map's frame after the Python function; set
# both, and again whenever Streamlit redraws the map.
_SCRIPT = """<script>
(() => {{
  window.__sbkPage = {{lang: {lang}, title: {title}}};
  const apply = () => {{
    const page = window.__sbkPage;
    if (document.documentElement.lang !== page.lang) document.documentElement.lang = page.lang;
    document.querySelectorAll("iframe[title='streamlit_folium.st_folium']")
      .forEach(frame => frame.setAttribute("title", page.title));
  }};
  apply();
  if (!window.__sbkObserver) {{
    window.__sbkObserver = new MutationObserver(apply);
    window.__sbkObserver.observe(document.body, {{subtree: true, childList: true}});
  }}
}})();
</script>"""


def prepare_page(lang: str = "nl") -> None:
    """Once per run, before anything else is drawn."""
    st.html(_STYLE)
    st.html(
        _SCRIPT.format(lang=json.dumps(lang), title=json.dumps(MAP_TITLE)),
        unsafe_allow_javascript=True,
    )
