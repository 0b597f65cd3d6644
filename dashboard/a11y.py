"""What every page needs to be usable by everyone, beyond Streamlit's defaults: the page's
language, readable caption contrast, and a name for the map's frame."""

from __future__ import annotations

import json

import streamlit as st

from socialbasis.i18n import N_, _

# Streamlit's captions are text at 60 % opacity: #828180 on white, 3.9:1. This grey, fully
# opaque, is 7.5:1 on white and 6.7:1 on the sidebar's grey (WCAG AA needs 4.5:1).
CAPTION_COLOUR = "#555453"
MAP_TITLE = N_("Kaart van de buurten met het aanbod")
FILTERS_LABEL = N_("Filters openen")

_STYLE = f"""<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {{
  color: {CAPTION_COLOUR} !important;
  opacity: 1 !important;
}}
/* The skip link past the map shows when it has the keyboard focus. */
.sbk-skip {{ position: absolute; left: -10000px; }}
.sbk-skip:focus {{ position: static; }}
/* The button that opens the filters on a small screen says what it opens. */
[data-testid="stExpandSidebarButton"]::after {{
  content: "Filters";
  font-size: 1rem;
  margin-left: .25rem;
}}
/* On a phone the map comes on the first screen: a smaller title, compact notices and the
   key figures three to a row. */
@media (max-width: 640px) {{
  [data-testid="stMainBlockContainer"] {{ padding-top: 3.5rem !important; }}
  h1 {{ font-size: 1.5rem !important; padding: .25rem 0 !important; }}
  [data-testid="stCaptionContainer"] p {{ font-size: .8rem !important; }}
  [data-testid="stMetricLabel"] p {{ font-size: .8rem !important; }}
  [data-testid="stAlert"] p {{ font-size: .8rem !important; line-height: 1.3 !important; }}
  [data-testid="stAlertContainer"] {{ padding: .4rem .6rem !important; }}
  .st-key-kengetallen [data-testid="stHorizontalBlock"] {{
    flex-direction: row !important; flex-wrap: wrap !important; gap: .25rem !important;
  }}
  .st-key-kengetallen [data-testid="stColumn"] {{
    width: 30% !important; flex: 1 1 30% !important; min-width: 30% !important;
  }}
  [data-testid="stMetricValue"] {{ font-size: 1.2rem !important; }}
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
  window.__sbkPage = {{lang: {lang}, title: {title}, filters: {filters}, css: {css}}};
  const apply = () => {{
    const page = window.__sbkPage;
    // The page's own styles also live in the document's head, which Streamlit never
    // redraws, so a rerun cannot show the page for a moment without them.
    let style = document.getElementById("sbk-style");
    if (!style) {{
      style = document.createElement("style");
      style.id = "sbk-style";
      document.head.appendChild(style);
    }}
    if (style.textContent !== page.css) style.textContent = page.css;
    if (document.documentElement.lang !== page.lang) document.documentElement.lang = page.lang;
    document.querySelectorAll("iframe[title='streamlit_folium.st_folium']")
      .forEach(frame => frame.setAttribute("title", page.title));
    document.querySelectorAll("[data-testid=stExpandSidebarButton]")
      .forEach(button => button.setAttribute("aria-label", page.filters));
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
    # The visible word on the filters button, from the catalogue (a CSS string).
    style = _STYLE.replace('content: "Filters";', f"content: {json.dumps(_('Filters'))};")
    st.html(style)
    st.html(
        _SCRIPT.format(
            lang=json.dumps(lang),
            title=json.dumps(_(MAP_TITLE)),
            filters=json.dumps(_(FILTERS_LABEL)),
            css=json.dumps(style.removeprefix("<style>").removesuffix("</style>")),
        ),
        unsafe_allow_javascript=True,
    )
