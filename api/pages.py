"""HTML rendering: one Jinja2 environment with autoescaping on, so data is never markup, and a
``web_url`` test so that only http(s) URLs from the data become links."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from fastapi.templating import Jinja2Templates

__all__ = ["STATIC_DIR", "TEMPLATE_DIR", "is_web_url", "templates"]

TEMPLATE_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).with_name("static")


def is_web_url(value: object) -> bool:
    """Whether ``value`` is an http(s) URL, safe as a link target (not ``javascript:``)."""
    return isinstance(value, str) and urlsplit(value.strip()).scheme.lower() in ("http", "https")


_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
_env.tests["web_url"] = is_web_url
templates = Jinja2Templates(env=_env)
