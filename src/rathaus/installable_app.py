"""What makes a group of office pages an installable web app that works offline
(docs/decisions/0039): its web app manifest, its service worker served from the group's
own folder (so that the worker's scope is the group without widening it), and its
icons, drawn with Pillow when first asked for and kept in memory.

The field app (/verwaltung/kontrolle/) and the working time pages
(/verwaltung/arbeitszeit/) each describe their app with an `InstallableApp`.
"""

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.http import HttpResponse

ICON_SIZES = (192, 512)

# Draws the app's sign on the icon: (draw, unit), a unit being a sixteenth of its side.
Drawing = Callable[[object, float], None]


@dataclass(frozen=True)
class InstallableApp:
    name: str  # "Rathaus Kontrolle"
    short_name: str
    colour: tuple[int, int, int]  # the icon's background and the theme colour
    draw: Drawing
    worker_script: str  # a static path, e.g. "rathaus/field-sw.js"
    config_name: str  # the worker's global that holds `config` ("FIELD_CONFIG")

    @property
    def theme_colour(self) -> str:
        return "#{:02x}{:02x}{:02x}".format(*self.colour)

    def manifest_response(self, *, start_url: str, icon_urls: dict[int, str]) -> HttpResponse:
        data = {
            "name": self.name,
            "short_name": self.short_name,
            "lang": "de",
            "start_url": start_url,
            "scope": start_url,
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": self.theme_colour,
            "icons": [{"src": url, "sizes": f"{size}x{size}", "type": "image/png"}
                      for size, url in sorted(icon_urls.items())],
        }
        response = HttpResponse(json.dumps(data, ensure_ascii=False),
                                content_type="application/manifest+json")
        response["Cache-Control"] = "no-cache"
        return response

    def worker_response(self, *, scope: str, config: dict) -> HttpResponse:
        """The worker, after a line that hands it `config` (static files by their real,
        hashed names in production; the app's URLs). Give it `never_cache`."""
        body = (f"self.{self.config_name} = {json.dumps(config)};\n"
                f"{_static_source(self.worker_script)}")
        response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
        response["Service-Worker-Allowed"] = scope
        return response

    def icon_response(self, size: int) -> HttpResponse:
        response = HttpResponse(_icon(self, size), content_type="image/png")
        response["Cache-Control"] = "max-age=86400"
        return response


@lru_cache(maxsize=8)
def _static_source(path: str) -> str:
    found = finders.find(path)
    with open(found, encoding="utf-8") as source:
        return source.read()


@lru_cache(maxsize=8)
def _icon(app: InstallableApp, size: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (size, size), app.colour)
    app.draw(ImageDraw.Draw(image), size / 16)
    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()
