"""Run the DfE's CIN census validation rules (``csc-validator-be-cin``) on one census XML file.

Runs in the validator's own virtual environment (``.venv-cin``, made by ``make setup``: the package
pins pandas 1.5 and needs numpy below 2, which the app's environment does not have), and prints one
JSON object: every issue (rule code, error or query, message, child, table and field), the rules
that failed on the return as a whole, and any rule that crashed instead of giving an answer.

    .venv-cin/bin/python tools/cin_validator/run.py FILE.xml --year 2026
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import warnings
import xml.etree.ElementTree as ET

from cin_validator import cin_validator  # type: ignore[import-not-found]
from cin_validator.rules.ruleset_utils import get_year_ruleset  # type: ignore[import-not-found]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--year", required=True, help="the census year, as in 2026 for 2025-26")
    args = parser.parse_args()
    warnings.simplefilter("ignore", FutureWarning)  # pandas 1.5 on the validator's own groupby calls
    registry = get_year_ruleset(args.year)
    root = ET.parse(args.file).getroot()  # noqa: S314 - the file is our own export
    tables = cin_validator.process_data(cin_validator.convert_data(root))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):  # the validator prints "Error with rule ..." when a rule crashes
        validator = cin_validator.CinValidator(tables, registry)
    issues = []
    for row in validator.full_issue_df.to_dict("records"):
        code = str(row["rule_code"])
        issues.append(
            {
                "code": code,
                "kind": "query" if code.endswith("Q") else "error",
                "message": str(row["rule_description"]),
                "child": None if row.get("child_id") is None else str(row.get("child_id")),
                "table": None if row.get("tables_affected") is None else str(row["tables_affected"]),
                "field": str(row.get("columns_affected")),
            }
        )
    return_level = [
        {
            "code": str(row["rule_code"]),
            "kind": "query" if str(row["rule_code"]).endswith("Q") else "error",
            "message": str(row["rule_description"]),
        }
        for row in validator.multichild_issues.to_dict("records")
    ]
    crashed = [line for line in printed.getvalue().splitlines() if line.startswith("Error with rule")]
    json.dump(
        {
            "ruleset": f"{int(args.year) - 1}-{args.year[2:]}",
            "rules": len(registry),
            "issues": issues,
            "return_level": return_level,
            "crashed": crashed,
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
