"""The GraphQL documents the connector sends: one named operation per file in graphql/."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DOCUMENTS_DIR = Path(__file__).resolve().parent / "graphql"


@dataclass(frozen=True)
class Document:
    name: str
    text: str


@lru_cache(maxsize=None)
def document(name: str) -> Document:
    path = DOCUMENTS_DIR / f"{name}.graphql"
    return Document(name, path.read_text(encoding="utf-8"))


def all_documents() -> list[Document]:
    return [document(path.stem) for path in sorted(DOCUMENTS_DIR.glob("*.graphql"))]
