"""Agreement of the XML importer with the text pipeline, over documents that come as both.

The dev corpus holds each resolution as the UN's AKN4UN XML and as a plain
text rendering of it.  Both go through ``extract_file``; where the pipelines
are right they agree, so every disagreement is a bug on one side (or a place
where the markup knows more than the text).  Printed per field:

* cited targets: mean Jaccard of the two sets per document and the micro F1
  over all (document, target) pairs, with the XML's precision and recall
  against the text's (what only the XML finds is mostly its links);
* paragraph counts: share of documents with the same preambular and operative counts;
* each document field of the schema: share of documents with the same value.

``--out DIR`` also writes the XML extractions as ``DIR/<stem>.json`` for
``score_extraction.py``; ``--show N`` lists N disagreements per field.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.errors import IngestError  # noqa: E402
from ingest.models import SCHEMA_DOCUMENT_FIELDS  # noqa: E402
from ingest.pipeline import extract_file  # noqa: E402

DEV = ROOT.parent / "shared" / "corpora" / "unxml-dev"
REPORTED_FIELDS = ("symbol", "adoption_date", "session", "agenda_item", "meeting")


def _targets(data: dict[str, Any]) -> set[str]:
    return {c["target"].replace(" ", "").upper() for c in data["citations"]}


def _extract(path: Path) -> dict[str, Any] | str:
    try:
        return extract_file(path).to_schema()
    except IngestError as exc:
        return exc.reason


def compare(xml_dir: Path, text_dir: Path, out: Path | None = None) -> dict[str, Any]:
    """Run both extractions on every stem present in both folders; return the agreement figures."""
    stems = sorted(p.stem for p in xml_dir.glob("*.xml") if (text_dir / f"{p.stem}.txt").exists())
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    jaccards: list[float] = []
    both = only_xml = only_text = 0
    same: dict[str, int] = defaultdict(int)
    diffs: dict[str, list[str]] = defaultdict(list)
    failures: list[str] = []
    for stem in stems:
        x, t = _extract(xml_dir / f"{stem}.xml"), _extract(text_dir / f"{stem}.txt")
        if isinstance(x, str) or isinstance(t, str):
            failures.append(f"{stem}: xml {x if isinstance(x, str) else 'ok'}; "
                            f"text {t if isinstance(t, str) else 'ok'}")
            continue
        if out is not None:
            (out / f"{stem}.json").write_text(json.dumps(x, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        xt, tt = _targets(x), _targets(t)
        both, only_xml, only_text = both + len(xt & tt), only_xml + len(xt - tt), only_text + len(tt - xt)
        jaccards.append(len(xt & tt) / len(xt | tt) if xt | tt else 1.0)
        if xt != tt:
            diffs["cited_targets"].append(f"{stem}: only xml {sorted(xt - tt)} only text {sorted(tt - xt)}")
        for kind in ("preambular", "operative"):
            if x["paragraphs"][kind] == t["paragraphs"][kind]:
                same[f"paragraphs.{kind}"] += 1
            else:
                diffs[f"paragraphs.{kind}"].append(f"{stem}: xml {x['paragraphs'][kind]} text {t['paragraphs'][kind]}")
        for name in SCHEMA_DOCUMENT_FIELDS:
            if x["document"][name] == t["document"][name]:
                same[name] += 1
            else:
                diffs[name].append(f"{stem}: xml {x['document'][name]!r} text {t['document'][name]!r}")
    compared = len(stems) - len(failures)
    precision = both / (both + only_xml) if both + only_xml else 1.0
    recall = both / (both + only_text) if both + only_text else 1.0
    return {
        "documents": compared,
        "failures": failures,
        "cited_targets": {
            "mean_jaccard": sum(jaccards) / len(jaccards) if jaccards else 1.0,
            "micro_f1": 2 * both / (2 * both + only_xml + only_text) if both + only_xml + only_text else 1.0,
            "xml_precision_vs_text": precision,
            "xml_recall_vs_text": recall,
            "documents_identical": sum(1 for j in jaccards if j == 1.0) / compared if compared else 1.0,
        },
        "agreement": {k: same[k] / compared if compared else 1.0
                      for k in ("paragraphs.preambular", "paragraphs.operative", *SCHEMA_DOCUMENT_FIELDS)},
        "disagreements": dict(diffs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--xml", type=Path, default=DEV / "xml")
    parser.add_argument("--texts", type=Path, default=DEV / "texts")
    parser.add_argument("--out", type=Path, help="write the XML extractions as DIR/<stem>.json")
    parser.add_argument("--show", type=int, default=0, help="list N disagreements per field")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = compare(args.xml, args.texts, args.out)
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k != "disagreements" or args.show}, indent=1))
        return
    print(f"documents compared: {result['documents']}  failures: {len(result['failures'])}")
    for failure in result["failures"]:
        print(f"  FAILED {failure}")
    cited = result["cited_targets"]
    print(f"cited targets: micro F1 {cited['micro_f1']:.3f}  mean Jaccard {cited['mean_jaccard']:.3f}  "
          f"xml P/R vs text {cited['xml_precision_vs_text']:.3f}/{cited['xml_recall_vs_text']:.3f}  "
          f"identical sets {cited['documents_identical']:.3f}")
    for name, share in result["agreement"].items():
        marker = "*" if name in REPORTED_FIELDS or name.startswith("paragraphs") else " "
        print(f"{marker} {name:24} {share:.3f}")
    if args.show:
        for name, items in result["disagreements"].items():
            print(f"\n## {name} ({len(items)})")
            for item in items[: args.show]:
                print(f"  {item}")


if __name__ == "__main__":
    main()
