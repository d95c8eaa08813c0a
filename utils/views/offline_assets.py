"""Every script and stylesheet the map needs, served by the app itself: no CDN, no internet.

What the installed packages load by default (read from their source, folium 0.20 / branca 0.8 /
streamlit-folium 0.27.4):
- `folium.Map.default_js`: Leaflet 1.9.3, jQuery 3.7.1, Bootstrap 5.2.2 bundle, Leaflet.awesome-markers
  2.0.2 (from the jsDelivr, jQuery and cdnjs CDNs); `default_css`: Leaflet, Bootstrap 5.2.2, Bootstrap 3
  glyphicons, Font Awesome 6.2.0, awesome-markers, folium's awesome-rotate CSS.
- branca `ColorMap` (folium legends): d3 3.5.5 from cdnjs, and streamlit-folium adds d3 v4 from
  the d3 project site for every colormap it finds.
- streamlit-folium's component collects the `default_js`/`default_css` of every element of the map
  and loads them with `<script src>` in its iframe, one after the other; one failed script rejects
  the whole chain, which is why the map stays at height 0 offline.

Our maps use Leaflet only (circle markers instead of awesome-markers icons, our own legend and
labels built with DOM text nodes instead of Bootstrap/jQuery/d3), so the one third-party asset is
Leaflet, taken from the XStatic-Leaflet package on PyPI (installed by requirements.txt). At run
time `ensure_static()` copies it into `<project>/static/vendor/` (git-ignored), which Streamlit
serves at `/app/static/` (`server.enableStaticServing = true`). The component iframe lives at
`<base>/component/streamlit_folium.st_folium/index.html`, so the links are relative
(`../../app/static/...`) and work under any `server.baseUrlPath`.

The map geometry of a dataset version is served the same way (`publish_geometry`): one JSON file
under `static/maps/` (git-ignored), named by its content hash, written once; the map script only
carries its URL and the browser fetches it once and keeps it in its cache.
"""
from __future__ import annotations

import base64
import hashlib
import html
import os
import re
import shutil
import time
from pathlib import Path
from urllib.parse import quote

import folium
import xstatic.pkg.leaflet as xs_leaflet

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STATIC_DIR = PROJECT_ROOT / "static"
VENDOR = "vendor"
LEAFLET_VERSION = xs_leaflet.VERSION
LEAFLET_SRC = Path(xs_leaflet.BASE_DIR)
LEAFLET_DIR = f"leaflet-{LEAFLET_VERSION}"
# Relative to the streamlit-folium component page (<base>/component/<name>/index.html).
COMPONENT_PREFIX = "../../app/static"
GEO_DIR = "maps"  # generated geometry files: static/maps/geo-<content hash>.json (git-ignored)
GEO_KEEP = 40  # newest geometry files kept when a new one is written

# Our own browser code and stylesheet, kept as files in the checkout (static/js, static/css) so
# editors, `node --check` and readers treat them as code; served as they are, inlined by the export.
PREFETCH_FILE = "js/map-prefetch.js"  # loaded before Leaflet: fetches the geometry alongside it
# after Leaflet, in order (map-priority.js: the switch kategori / prioritas / jenis penanganan)
RUNTIME_FILES = ("js/map-core.js", "js/map-canvas.js", "js/map-layers.js", "js/map-priority.js")
CSS_FILE = "css/map.css"
OWN_FILES = (PREFETCH_FILE, *RUNTIME_FILES, CSS_FILE)


def own_text(rel: str) -> str:
    return (STATIC_DIR / rel).read_text(encoding="utf-8")


def own_url(rel: str, prefix: str = COMPONENT_PREFIX) -> str:
    """URL of one of our files with its content hash, so a browser never runs a stale cached copy."""
    digest = hashlib.sha256((STATIC_DIR / rel).read_bytes()).hexdigest()[:10]
    return f"{prefix}/{rel}?v={digest}"


class OfflineAssetError(RuntimeError):
    pass


def _leaflet_files() -> list[Path]:
    files = [LEAFLET_SRC / "leaflet.js", LEAFLET_SRC / "leaflet.css"]
    files += sorted((LEAFLET_SRC / "images").glob("*.png"))
    missing = [str(p) for p in files if not p.exists()]
    if missing:
        raise OfflineAssetError(f"XStatic-Leaflet is incomplete, missing {missing}; reinstall requirements.txt")
    return files


def ensure_static(static_dir: Path = STATIC_DIR) -> Path:
    """Copy Leaflet into `static/vendor/` once (idempotent, cheap when already there)."""
    dest = static_dir / VENDOR / LEAFLET_DIR
    for src in _leaflet_files():
        target = dest / src.relative_to(LEAFLET_SRC)
        if not target.exists() or target.stat().st_size != src.stat().st_size:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(target.suffix + ".tmp")
            shutil.copyfile(src, tmp)
            tmp.replace(target)
    if static_dir.resolve() != STATIC_DIR.resolve():  # another folder (bench): our files beside Leaflet
        for rel in OWN_FILES:
            (static_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(STATIC_DIR / rel, static_dir / rel)
    return static_dir / VENDOR


def geometry_path(geo_hash: str, static_dir: Path = STATIC_DIR) -> Path:
    return static_dir / GEO_DIR / f"geo-{geo_hash}.json"


def publish_geometry(geo_json: str, geo_hash: str, static_dir: Path = STATIC_DIR,
                     prefix: str = COMPONENT_PREFIX) -> str:
    """Write the geometry document once (atomic, content-hashed name) and return its URL.

    Cheap when the file is already there (one stat), so pages may call it on every run; a file
    removed meanwhile is simply written again. Old files beyond the newest `GEO_KEEP` are pruned
    when a new one is written."""
    path = geometry_path(geo_hash, static_dir)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(geo_json, encoding="utf-8")
        tmp.replace(path)
        _prune(path.parent, keep=path)
    return f"{prefix}/{GEO_DIR}/{path.name}"


def _prune(folder: Path, keep: Path) -> None:
    files = sorted(folder.glob("geo-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    cutoff = time.time() - 3600  # never a file written in the last hour (another session may use it)
    for old in files[GEO_KEEP:]:
        try:
            if old != keep and old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass


def local_js(prefix: str = COMPONENT_PREFIX, geo_url: str | None = None) -> list[tuple[str, str]]:
    """Leaflet, then our map runtime; with `geo_url` first our prefetch script, so the geometry
    loads alongside Leaflet."""
    links = [("leaflet", f"{prefix}/{VENDOR}/{LEAFLET_DIR}/leaflet.js")]
    links += [(f"kotaku_{Path(rel).stem.replace('-', '_')}", own_url(rel, prefix)) for rel in RUNTIME_FILES]
    if geo_url:
        links.insert(0, ("kotaku_prefetch", f"{own_url(PREFETCH_FILE, prefix)}&geo={quote(geo_url, safe='')}"))
    return links


def local_css(prefix: str = COMPONENT_PREFIX) -> list[tuple[str, str]]:
    return [("leaflet_css", f"{prefix}/{VENDOR}/{LEAFLET_DIR}/leaflet.css"),
            ("kotaku_css", own_url(CSS_FILE, prefix))]


def use_local_assets(m: folium.Map, prefix: str = COMPONENT_PREFIX, geo_url: str | None = None) -> folium.Map:
    """Point the map at the local copies (instance attributes; folium's class defaults stay)."""
    m.default_js = local_js(prefix, geo_url)
    m.default_css = local_css(prefix)
    return m


def external_links(m: folium.Map) -> list[str]:
    """Every http(s) script/stylesheet any element of `m` would load (what streamlit-folium collects)."""
    import branca

    out: list[str] = []

    def walk(el):
        if isinstance(el, branca.colormap.ColorMap):
            out.append("d3 (branca ColorMap legend)")
        for _, url in [*getattr(el, "default_js", []), *getattr(el, "default_css", [])]:
            if re.match(r"^(https?:)?//", url):
                out.append(url)
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(m)
    return out


def assert_offline(m: folium.Map) -> None:
    links = external_links(m)
    if links:
        raise OfflineAssetError(f"the map would load from the internet: {links}")


# ---- one self-contained HTML file ---------------------------------------------------------

def _inline_css(text: str, base: Path) -> str:
    def repl(match: re.Match) -> str:
        ref = match.group(1).strip("'\"")
        path = base / ref
        if ref.startswith(("data:", "#")) or not path.is_file():
            return match.group(0)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\(([^)]+)\)", repl, text)


def _script(text: str) -> str:
    return "<script>" + text.replace("</script", "<\\/script") + "</script>"


def standalone_head() -> str:
    """Leaflet JS and CSS (with its images as data URIs), our CSS and map runtime, as inline tags."""
    leaflet_css = _inline_css((LEAFLET_SRC / "leaflet.css").read_text(encoding="utf-8"), LEAFLET_SRC)
    leaflet_js = (LEAFLET_SRC / "leaflet.js").read_text(encoding="utf-8")
    runtime = "\n".join(_script(own_text(rel)) for rel in RUNTIME_FILES)
    return (f"<style>{leaflet_css}</style>\n<style>{own_text(CSS_FILE)}</style>\n"
            f"{_script(leaflet_js)}\n{runtime}\n")


_EXTERNAL_TAG = re.compile(
    r"<script[^>]*\bsrc=[\"'][^\"']*[\"'][^>]*>\s*</script>|<link[^>]*\brel=[\"']stylesheet[\"'][^>]*/?>",
    re.IGNORECASE,
)


def map_to_standalone_html(m: folium.Map, title: str = "KOTAKU") -> str:
    """One HTML file with every script and style inlined: opens from a USB stick with no internet.

    All `<script src>`/`<link rel=stylesheet>` tags folium would emit are removed and Leaflet plus our
    CSS are inlined instead; the map's own elements must not need anything else (checked).
    Optional basemap tiles stay optional: they load only when a connection exists and the user picks them.
    """
    assert_offline_or_local(m)
    _inline_geometry(m)
    page = m.get_root().render()
    page = _EXTERNAL_TAG.sub("", page)
    head = f"<title>{html.escape(title)}</title>\n" + standalone_head()
    if "<head>" in page:
        page = page.replace("<head>", "<head>\n" + head, 1)
    else:  # pragma: no cover - branca always writes a head
        page = head + page
    return page


def _inline_geometry(el) -> None:
    """Elements that would fetch their data from the app's static files carry it inline instead."""
    if hasattr(el, "inline_for_export"):
        el.inline_for_export()
    for child in getattr(el, "_children", {}).values():
        _inline_geometry(child)


def assert_offline_or_local(m: folium.Map) -> None:
    """Local (relative) links are fine for the app; the standalone export replaces them anyway."""
    assert_offline(m)
