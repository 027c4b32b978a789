"""The GraphQL documents the connector sends: one named operation per file in graphql/.

Field selections shared by several documents are fragments in graphql/fragments/, one per file;
a document gets the fragments it spreads (and theirs) appended when it is loaded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DOCUMENTS_DIR = Path(__file__).resolve().parent / "graphql"
FRAGMENTS_DIR = DOCUMENTS_DIR / "fragments"
_SPREAD = re.compile(r"\.\.\.\s*(?!on\b)([A-Za-z_]\w*)")


@dataclass(frozen=True)
class Document:
    name: str
    text: str


@lru_cache(maxsize=None)
def document(name: str) -> Document:
    text = (DOCUMENTS_DIR / f"{name}.graphql").read_text(encoding="utf-8")
    return Document(name, text + "".join(f"\n{_fragment(n)}" for n in _spreads(text)))


@lru_cache(maxsize=None)
def _fragment(name: str) -> str:
    return (FRAGMENTS_DIR / f"{name}.graphql").read_text(encoding="utf-8")


def _spreads(text: str) -> list[str]:
    """The fragments `text` needs, its own spreads and theirs, each once."""
    needed: list[str] = []
    pending = _SPREAD.findall(text)
    while pending:
        name = pending.pop(0)
        if name not in needed:
            needed.append(name)
            pending += _SPREAD.findall(_fragment(name))
    return needed


def all_documents() -> list[Document]:
    return [document(path.stem) for path in sorted(DOCUMENTS_DIR.glob("*.graphql"))]
