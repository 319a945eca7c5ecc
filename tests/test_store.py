import json

import numpy as np
import pytest

from qa.errors import IndexDamagedError, IndexMismatchError, IndexMissingError
from qa.indexing.store import Store


def test_round_trip_keeps_documents_chunks_and_vectors(fake_qa):
    fake_qa.refresh()
    store = fake_qa.store
    loaded = Store.load(fake_qa.settings.index, fake_qa.settings.fingerprint())
    assert loaded.entries == store.entries
    vector = fake_qa.embedder.encode(["care leavers personal advisers"])[0]
    assert loaded.search(vector, 3) == store.search(vector, 3)
    assert np.allclose(loaded.vectors("latin1"), store.vectors("latin1"))


def test_missing_index_says_how_to_build_it(tmp_path):
    with pytest.raises(IndexMissingError, match="qa index"):
        Store.load(tmp_path / "nothing")


def test_index_built_with_another_model_is_refused(fake_qa):
    fake_qa.refresh()
    other = fake_qa.settings.with_changes(model="all-MiniLM-L6-v2")
    with pytest.raises(IndexMismatchError) as error:
        Store.load(other.index, other.fingerprint())
    message = str(error.value)
    assert "model: index has 'fake-embedder', settings say 'all-MiniLM-L6-v2'" in message
    assert "qa index --rebuild" in message


def test_index_built_with_other_chunking_is_refused(fake_qa):
    fake_qa.refresh()
    other = fake_qa.settings.with_changes(chunk_tokens=64)
    with pytest.raises(IndexMismatchError, match="chunk_tokens"):
        other_qa = type(fake_qa)(other, fake_qa.embedder)
        _ = other_qa.store


def test_saves_keep_only_the_current_and_previous_generation(fake_qa, corpus):
    fake_qa.refresh()
    for n in range(3):
        (corpus / f"extra{n}.txt").write_text(f"Extra report number {n} about adoption.")
        fake_qa.refresh()
    generations = sorted(p.name for p in fake_qa.settings.index.iterdir() if p.name.startswith("gen-"))
    assert generations == ["gen-000003", "gen-000004"]
    assert (fake_qa.settings.index / "CURRENT").read_text() == "gen-000004"


def test_leftover_partial_generation_is_ignored_and_cleaned(fake_qa, corpus):
    fake_qa.refresh()
    partial = fake_qa.settings.index / ".gen-000002.partial"
    partial.mkdir()
    (partial / "store.json").write_text("{truncated")
    assert len(Store.load(fake_qa.settings.index).entries) == 5
    (corpus / "extra.txt").write_text("Another report about adoption.")
    fake_qa.refresh()
    assert not partial.exists()


def test_inconsistent_index_is_refused(fake_qa):
    fake_qa.refresh()
    folder = fake_qa.settings.index / "gen-000001"
    meta = json.loads((folder / "store.json").read_text())
    meta["documents"].pop()
    (folder / "store.json").write_text(json.dumps(meta))
    with pytest.raises(IndexDamagedError, match="5 vectors for 4 chunks"):
        Store.load(fake_qa.settings.index)


def _two_generations(fake_qa, corpus):
    """An index saved twice (gen-000001, then gen-000002 with one more report); the second's folder."""
    fake_qa.refresh()
    (corpus / "late.txt").write_text("A late report about the adoption panel in Exampleshire.")
    fake_qa.refresh()
    return fake_qa.settings.index / "gen-000002"


def _truncate(path):
    path.write_bytes(path.read_bytes()[:100])


def _flip(path):
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF  # the same size, other bytes
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [
    lambda folder: _truncate(folder / "vectors.faiss"), lambda folder: _flip(folder / "vectors.faiss"),
    lambda folder: (folder / "vectors.faiss").unlink(), lambda folder: _truncate(folder / "store.json"),
])
def test_a_damaged_generation_falls_back_to_the_one_before_and_says_so(fake_qa, corpus, damage):
    damage(_two_generations(fake_qa, corpus))
    store = Store.load(fake_qa.settings.index, fake_qa.settings.fingerprint())
    assert store.generation == "gen-000001" and "gen-000002" in store.damaged
    assert "late" not in store.entries and len(store.entries) == 5
    assert store.chunk_count == store.index.ntotal


def test_a_changed_document_file_is_found_by_its_checksum(fake_qa, corpus):
    folder = _two_generations(fake_qa, corpus)
    listed = json.loads((folder / "store.json").read_text())["documents"]
    late = next(item for item in listed if item["doc_id"] == "late")
    path = fake_qa.settings.index / "documents" / f"{late['file']}.json"
    path.write_text(path.read_text().replace("adoption", "fostering"))
    store = Store.load(fake_qa.settings.index)
    assert store.generation == "gen-000001" and "checksum" in store.damaged


def test_an_index_none_of_whose_generations_loads_is_refused_with_how_to_rebuild(fake_qa, corpus):
    folder = _two_generations(fake_qa, corpus)
    for generation in (folder, folder.with_name("gen-000001")):
        _truncate(generation / "vectors.faiss")
    with pytest.raises(IndexDamagedError, match="qa index --rebuild"):
        Store.load(fake_qa.settings.index)


def test_above_the_exact_limit_the_index_turns_approximate_and_back(fake_qa, corpus, monkeypatch):
    import faiss

    from qa.indexing import store as stores

    fake_qa.refresh()
    exact = fake_qa.store
    question = exact.entries["latin1"].document.text[:60]
    vector = fake_qa.embedder.encode([question])[0]
    expected = [p.chunk_id for p in exact.search(vector, 3)]
    monkeypatch.setattr(stores, "EXACT_LIMIT", 4)
    (corpus / "more.txt").write_text("Another report about the fostering service and its panel.")
    fake_qa.refresh()
    store = Store.load(fake_qa.settings.index, fake_qa.settings.fingerprint())
    assert isinstance(store.index, faiss.IndexIVFFlat) and store.index.nprobe == stores.NPROBE
    store.index.nprobe = store.index.nlist  # every list: the same results as exact search
    assert [p.chunk_id for p in store.search(vector, 3)] == expected
    allowed = store.chunk_ids(["latin1"])
    assert {p.chunk_id for p in store.search(vector, 3, allowed)} <= set(allowed.tolist())
    assert np.allclose(store.vectors("latin1"), exact.vectors("latin1"))
    (corpus / "more.txt").unlink()
    (corpus / "latin1.txt").unlink()
    monkeypatch.setattr(stores, "EXACT_LIMIT", 1000)
    fake_qa.refresh()
    store = Store.load(fake_qa.settings.index, fake_qa.settings.fingerprint())
    assert isinstance(store.index, faiss.IndexIDMap2) and "latin1" not in store.entries
    assert store.chunk_count == sum(len(entry.chunk_ids) for entry in store.entries.values())


def test_a_save_writes_only_the_documents_that_are_new(fake_qa, corpus):
    fake_qa.refresh()
    documents = fake_qa.settings.index / "documents"
    before = {path.name: path.stat().st_mtime_ns for path in documents.iterdir()}
    assert len(before) == len(fake_qa.store.entries)
    (corpus / "extra.txt").write_text("Another report about adoption and the agency's panel.")
    fake_qa.refresh()
    after = {path.name: path.stat().st_mtime_ns for path in documents.iterdir()}
    assert len(after) == len(before) + 1 and all(after[name] == stamp for name, stamp in before.items())
    # A removed report's file goes once no kept generation lists it; a killed write's leftover goes too.
    (documents / ".0123.partial").write_bytes(b"{trunc")
    latin1 = f"{fake_qa.store._files['latin1']}.json"
    (corpus / "latin1.txt").unlink()
    fake_qa.refresh()
    assert latin1 in after and (documents / latin1).exists()  # the previous generation lists it
    (corpus / "extra.txt").unlink()
    fake_qa.refresh()
    assert {path.name for path in documents.iterdir()} == set(after) - {latin1}  # extra.txt: listed before
    assert Store.load(fake_qa.settings.index).entries == fake_qa.store.entries


def test_an_index_of_format_2_is_read_and_saved_as_format_3(fake_qa, corpus):
    from tests.legacy import as_format_2, write_format_2

    fake_qa.refresh()
    entries = fake_qa.store.entries
    write_format_2(fake_qa.settings.index, as_format_2(fake_qa.settings.index))
    assert Store.load(fake_qa.settings.index).entries == entries
    (corpus / "extra.txt").write_text("Another report about adoption.")
    fake_qa.refresh()
    meta = json.loads((fake_qa.settings.index / fake_qa.store.generation / "store.json").read_text())
    assert meta["format"] == 3 and len(list((fake_qa.settings.index / "documents").iterdir())) == len(entries) + 1
    assert Store.load(fake_qa.settings.index).entries == fake_qa.store.entries


def test_a_full_disk_fails_the_save_cleanly_and_keeps_the_last_index(fake_qa, corpus, monkeypatch):
    import errno

    import faiss

    from qa.errors import StorageError

    fake_qa.refresh()
    before = Store.load(fake_qa.settings.index)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(faiss, "write_index", full)
    (corpus / "late.txt").write_text("A late report about the adoption panel in Exampleshire.")
    with pytest.raises(StorageError, match="No space left on device"):
        fake_qa.refresh()
    index = fake_qa.settings.index
    assert not list(index.glob(".*partial")) and not list((index / "documents").glob(".*partial"))
    assert Store.load(index).generation == before.generation and "late" not in fake_qa.store.entries
    monkeypatch.undo()  # space is back
    fake_qa.refresh()
    assert "late" in fake_qa.store.entries and "late" in Store.load(index).entries
