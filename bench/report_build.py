"""Print how long the briefing export takes on the sample (the issue asks for <= 10 s offline)."""
from __future__ import annotations

import time

from utils import store
from utils.views import report


def main() -> None:
    t0 = time.perf_counter()
    ds = store.load(store.SAMPLE_NAME)
    _ = ds.scored
    print(f"load + score sample: {time.perf_counter() - t0:.2f} s")
    for year, lang in ((2019, "id"), (2025, "en")):
        t0 = time.perf_counter()
        pdf = report.briefing_pdf(ds, year, lang)
        t1 = time.perf_counter()
        doc = report.briefing_html(ds, year, lang)
        t2 = time.perf_counter()
        print(f"{year} {lang}: PDF {t1 - t0:.2f} s ({len(pdf) / 1024:.0f} KiB), "
              f"HTML {t2 - t1:.2f} s ({len(doc.encode()) / 1e6:.1f} MB)")
    t0 = time.perf_counter()
    pdf = report.briefing_pdf(ds, 2019, "id", use_kaleido=True)
    print(f"2019 id PDF with the kaleido chart (deadline {report.KALEIDO_DEADLINE_S:g} s): "
          f"{time.perf_counter() - t0:.2f} s ({len(pdf) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
