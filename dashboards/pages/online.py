"""/truc-tuyen: see dashboards.views.topic."""
from dashboards.pages.topic_page import register_page

register_page(__name__, "truc-tuyen")
