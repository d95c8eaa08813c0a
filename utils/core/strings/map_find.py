"""Strings of the map page's kelurahan finder at province scale (utils/ui/map_find.py)."""
from __future__ import annotations

STRINGS = {
    "mapfind.search": ("Cari kelurahan (nama atau kecamatan)", "Find a kelurahan (name or kecamatan)"),
    "mapfind.search_placeholder": ("Ketik minimal 2 huruf…", "Type at least 2 letters…"),
    "mapfind.matches": ("Hasil ({n} dari {total})", "Matches ({n} of {total})"),
    "mapfind.pick": ("Pilih kelurahan…", "Pick a kelurahan…"),
    "mapfind.none": ("Tidak ada kelurahan yang cocok dengan “{text}”.", "No kelurahan matches “{text}”."),
}
