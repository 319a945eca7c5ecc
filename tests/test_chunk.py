from qa.reports.chunk import Chunker
from qa.reports.layout import structure
from qa.reports.tokens import load_encoding
from qa.types import Document


def _document(text: str) -> Document:
    text, paragraphs = structure(text)
    return Document("d", "t", None, "s", "h", text, paragraphs)


def _chunker(budget=40, fits=lambda text: True) -> Chunker:
    return Chunker(load_encoding("cl100k_base"), budget, fits)


def test_chunks_stay_within_budget_and_cover_every_paragraph():
    paragraphs = [f"Paragraph {n} says that children were seen and helped on time." for n in range(30)]
    document = _document("\n\n".join(paragraphs))
    chunker = _chunker()
    chunks = chunker.chunk(document)
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunker.count(document.text[chunk.start:chunk.end]) <= 40
        assert chunk.tokens == chunker.count(document.text[chunk.start:chunk.end])
    joined = " ".join(document.text[c.start:c.end] for c in chunks)
    assert all(paragraph in joined for paragraph in paragraphs)


def test_long_paragraph_splits_between_sentences():
    sentences = [f"Sentence number {n} is about care leavers and their homes." for n in range(20)]
    document = _document(" ".join(sentences))
    chunks = _chunker().chunk(document)
    for chunk in chunks:
        text = document.text[chunk.start:chunk.end]
        assert text.startswith("Sentence") and text.endswith(".")


def test_sentence_longer_than_budget_splits_between_words():
    document = _document("word " * 300)
    chunks = _chunker(budget=50).chunk(document)
    assert len(chunks) >= 6
    assert all(document.text[c.start:c.end].split() == ["word"] * len(document.text[c.start:c.end].split())
               for c in chunks)


def test_chunks_the_model_would_truncate_are_split_again():
    document = _document(" ".join(f"w{n}" for n in range(30)))
    chunks = _chunker(budget=500, fits=lambda text: len(text.split()) <= 8).chunk(document)
    assert len(chunks) >= 4
    assert all(len(document.text[c.start:c.end].split()) <= 8 for c in chunks)
    assert " ".join(document.text[c.start:c.end] for c in chunks) == document.text
