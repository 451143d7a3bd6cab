"""Regenerate the stand-in document page for the flagship example, deterministically.

The example cannot ship the OHCHR's own PDF, so this two-page PDF stands in for it:
a cover page saying plainly that it is a stand-in, and a page of text that carries,
word for word, the sentence of the assessment the video quotes (as the
Polygraph.info piece quotes it), with a "STAND-IN DOCUMENT" mark on every page.
It has a real text layer, so the document scene finds the quoted passage on it.
Nothing on it is added beyond what the fact-check quotes; the filler lines are
marked as such.

Needs fpdf2 (``pip install fpdf2``, in claimreel's test extra); the PDF it writes
is committed, so rendering needs nothing of this. Run from anywhere::

    python assets/documents/make_standin.py            # ohchr-assessment-standin.pdf next to this file
"""

from __future__ import annotations

import argparse
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = "STAND-IN DOCUMENT - not the OHCHR's PDF"
TITLE = "OHCHR Assessment of human rights concerns in the Xinjiang Uyghur Autonomous Region"

PARAGRAPHS = (
    "[Stand-in text. Each paragraph below is made only of the fact-check's own words about the "
    "assessment and the words it quotes from it; bracketed lines are filler.]",
    "[As the fact-check reports it:] China is bound by human rights norms that constitute customary "
    "international law, specifically regarding the right to life, the prohibition of discrimination "
    "based on race, religion or sex, and the right to freedom of religion.",
    "[Filler paragraph standing in for the assessment's discussion of its sources and methods.]",
    "[As the fact-check reports it:] China's crackdown on ethnic minorities in Xinjiang may constitute "
    "international crimes, in particular crimes against humanity.",
    "[Filler paragraph standing in for the assessment's recommendations.]",
)


def build(out: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_creator("claimreel assets/documents/make_standin.py")
    pdf.set_title("Stand-in for the OHCHR assessment (claimreel example)")
    pdf.set_creation_date(__import__("datetime").datetime(2022, 8, 31, tzinfo=__import__("datetime").timezone.utc))
    pdf.set_auto_page_break(False)

    def mark() -> None:
        pdf.set_fill_color(0, 0, 0)
        pdf.set_text_color(255, 255, 255)
        pdf.set_font("helvetica", "B", 10)
        pdf.set_xy(60, 8)
        pdf.cell(90, 7, MARK, align="C", fill=True)
        pdf.set_text_color(20, 20, 20)

    pdf.add_page()
    mark()
    pdf.set_xy(25, 80)
    pdf.set_font("helvetica", "B", 20)
    pdf.multi_cell(160, 10, TITLE, align="L")
    pdf.set_x(25)
    pdf.set_font("helvetica", "", 13)
    pdf.multi_cell(160, 7, "Office of the United Nations High Commissioner for Human Rights\n31 August 2022")
    pdf.set_xy(25, 150)
    pdf.set_font("helvetica", "I", 11)
    pdf.multi_cell(160, 6, "This is a stand-in made for claimreel's example video. It is not the OHCHR's "
                   "document; the words the fact-check quotes from the assessment are reproduced as "
                   "quoted, within the fact-check's own wording, and everything else is marked as filler.")

    pdf.add_page()
    mark()
    pdf.set_xy(25, 25)
    pdf.set_font("helvetica", "B", 12)
    pdf.cell(160, 8, "VIII. Conclusions")
    y = 40
    for n, text in enumerate(PARAGRAPHS, start=1):
        pdf.set_xy(25, y)
        pdf.set_font("helvetica", "I" if text.startswith("[") else "", 11.5)
        pdf.multi_cell(160, 6.2, text)
        y = pdf.get_y() + 6
    pdf.set_xy(25, 280)
    pdf.set_font("helvetica", "", 9)
    pdf.cell(160, 5, "2", align="C")
    pdf.output(str(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "ohchr-assessment-standin.pdf")
    args = parser.parse_args(argv)
    build(args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
