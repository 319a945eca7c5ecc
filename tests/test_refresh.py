import shutil

from qa.indexing.store import Store


def test_first_refresh_adds_every_readable_report_and_skips_the_empty_one(fake_qa):
    summary = fake_qa.refresh()
    assert sorted(summary.added) == sorted([
        "article.html", "children's services – O'Neill report.txt", "latin1.txt",
        "nested/deeper/notes.md", "numbered report.txt"])
    assert summary.skipped == [("empty.txt", "empty report: no text")]
    assert len(fake_qa.store.entries) == 5


def test_unchanged_reports_are_not_embedded_again(fake_qa, corpus):
    fake_qa.refresh()
    before = len(fake_qa.embedder.encoded)
    summary = fake_qa.refresh()
    assert summary.unchanged and not summary.modified
    assert len(fake_qa.embedder.encoded) == before


def test_changed_report_is_re_embedded_alone(fake_qa, corpus):
    fake_qa.refresh()
    old_id = fake_qa.store.entries["latin1"].chunk_ids
    (corpus / "latin1.txt").write_text("Brand new text about adoption panels in Exampleshire.")
    fake_qa.embedder.encoded.clear()
    summary = fake_qa.refresh()
    assert summary.changed == ["latin1.txt"] and not summary.added
    assert fake_qa.embedder.encoded == ["Brand new text about adoption panels in Exampleshire."]
    entry = fake_qa.store.entries["latin1"]
    assert set(entry.chunk_ids).isdisjoint(old_id)
    assert fake_qa.store.chunk_count == sum(len(e.chunk_ids) for e in fake_qa.store.entries.values())


def test_removed_report_is_dropped_from_vectors_and_documents(fake_qa, corpus):
    fake_qa.refresh()
    chunks_before = fake_qa.store.chunk_count
    removed = len(fake_qa.store.entries["article"].chunk_ids)
    (corpus / "article.html").unlink()
    summary = fake_qa.refresh()
    assert summary.removed == ["article.html"]
    assert "article" not in fake_qa.store.entries
    assert fake_qa.store.chunk_count == chunks_before - removed
    reloaded = Store.load(fake_qa.settings.index, fake_qa.settings.fingerprint())
    assert "article" not in reloaded.entries


def test_moved_report_keeps_its_vectors(fake_qa, corpus):
    fake_qa.refresh()
    (corpus / "moved").mkdir()
    shutil.move(corpus / "latin1.txt", corpus / "moved" / "latin1.txt")
    fake_qa.embedder.encoded.clear()
    summary = fake_qa.refresh()
    assert summary.added == ["moved/latin1.txt"] and summary.removed == ["latin1.txt"]
    assert fake_qa.embedder.encoded == []
    assert fake_qa.store.entries["moved-latin1"].document.source == "moved/latin1.txt"


def test_a_broken_report_does_not_stop_the_others(fake_qa, corpus):
    (corpus / "junk.txt").write_bytes(b"\x00\x01\x02binary" * 100)
    summary = fake_qa.refresh()
    assert ("junk.txt", "binary data, not text (contains NUL bytes)") in summary.skipped
    assert len(summary.added) == 5


def test_a_report_that_breaks_later_keeps_its_last_good_version(fake_qa, corpus):
    fake_qa.refresh()
    (corpus / "latin1.txt").write_bytes(b"\x00" * 50)
    summary = fake_qa.refresh()
    assert [source for source, _ in summary.skipped] == ["empty.txt", "latin1.txt"]
    assert "café" in fake_qa.store.entries["latin1"].document.text


def test_explicit_paths_refresh_only_those(fake_qa, corpus, tmp_path):
    fake_qa.refresh([corpus / "latin1.txt"])
    assert list(fake_qa.store.entries) == ["latin1"]
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "new.txt").write_text("A report kept outside the corpus about kinship care.")
    summary = fake_qa.refresh([outside])
    assert summary.added == [str((outside / "new.txt").resolve())]
    assert set(fake_qa.store.entries) == {"latin1", "elsewhere-new"}
    (outside / "new.txt").unlink()
    assert fake_qa.refresh([outside]).removed == [str((outside / "new.txt").resolve())]
    assert list(fake_qa.store.entries) == ["latin1"]


def test_a_deleted_file_named_explicitly_is_removed(fake_qa, corpus):
    fake_qa.refresh()
    (corpus / "latin1.txt").unlink()
    assert fake_qa.refresh([corpus / "latin1.txt"]).removed == ["latin1.txt"]


def test_name_with_spaces_and_apostrophes_gets_a_safe_stable_id(fake_qa):
    fake_qa.refresh()
    assert "children-s-services-o-neill-report" in fake_qa.store.entries
    document = fake_qa.store.document("children-s-services-o-neill-report")
    assert document.source == "children's services – O'Neill report.txt"


def test_sidecar_metadata_sets_title_date_and_kind(fake_qa, corpus):
    (corpus / "latin1.meta.json").write_text('{"title": "Café report", "date": "2019-05-01", "kind": "news"}')
    fake_qa.refresh()
    document = fake_qa.store.document("latin1")
    assert (document.title, document.date, document.kind) == ("Café report", "2019-05-01", "news")


def test_bad_sidecar_skips_that_report_with_a_reason(fake_qa, corpus):
    (corpus / "latin1.meta.json").write_text('{"date": "May 2019"}')
    summary = fake_qa.refresh()
    assert summary.skipped[-1] == ("latin1.txt", "metadata file latin1.meta.json: date 'May 2019' is not YYYY-MM-DD")


def test_dates_and_titles_come_from_the_text(fake_qa):
    fake_qa.refresh()
    document = fake_qa.store.document("numbered-report")
    assert document.title == "Inspection of Exampleshire local authority children's services"
    assert document.date == "2024-03-03"


def test_a_large_served_store_swaps_at_once_and_builds_bm25_behind(fake_qa, corpus, monkeypatch):
    import threading

    from qa.answer.retrieve import retrieve
    from qa.indexing import store as stores

    fake_qa.refresh()
    served = fake_qa.store
    latin1 = set(served.entries["latin1"].chunk_ids)
    served_bm25 = served.lexical
    release = threading.Event()

    class SlowIndex(stores.LexicalIndex):
        def __init__(self, *args):
            release.wait(10)
            super().__init__(*args)

    monkeypatch.setattr(stores, "LexicalIndex", SlowIndex)
    monkeypatch.setattr(stores, "BACKGROUND_LEXICAL", 0)
    (corpus / "latin1.txt").unlink()
    (corpus / "zanzibar.txt").write_text("Zanzibarian kinship carers are visited every week by their social workers.")
    summary = fake_qa.refresh()
    assert summary.added == ["zanzibar.txt"] and summary.removed == ["latin1.txt"]
    fresh = fake_qa.store
    # Swapped in at once; until its own BM25 is built, the previous one answers, minus removed chunks.
    assert fresh is not served and fresh.lexical is served_bm25
    assert {cid for cid, _ in served_bm25.search("Worcester workshop", 3)} & latin1
    for question in ("Zanzibarian kinship carers", "Worcester workshop"):
        vector = fake_qa.embedder.encode([question])[0]
        passages = retrieve(fresh, vector, question, 10)
        assert passages and all(p.chunk_id in fresh and p.chunk_id not in latin1 for p in passages)
    assert fake_qa.ask("Who visits Zanzibarian kinship carers?").answers[0].citation.doc_id == "zanzibar"
    release.set()
    built = fresh._build_lexical()
    assert built is not served_bm25 and fresh.lexical is built
    hits = [cid for cid, _ in built.search("Zanzibarian kinship", 3)]
    assert hits and fresh.passage(hits[0], 0.0).doc_id == "zanzibar"


def test_a_refresh_that_changes_nothing_keeps_serving_the_same_store(fake_qa):
    fake_qa.refresh()
    served = fake_qa.store
    assert not fake_qa.refresh().modified
    assert fake_qa.store is served


def test_a_copy_of_an_indexed_report_is_not_indexed_twice(fake_qa, corpus):
    fake_qa.refresh()
    shutil.copy(corpus / "latin1.txt", corpus / "latin1 copy.txt")
    summary = fake_qa.refresh()
    assert summary.skipped[-1] == ("latin1 copy.txt", "the same content is already indexed as latin1.txt")
    assert len(fake_qa.store.entries) == 5
    # Once the first is gone, the copy takes its place (its vectors too).
    (corpus / "latin1.txt").unlink()
    fake_qa.embedder.encoded.clear()
    summary = fake_qa.refresh()
    assert summary.added == ["latin1 copy.txt"] and summary.removed == ["latin1.txt"]
    assert fake_qa.embedder.encoded == []


def _moved(fake_qa, tmp_path):
    """The corpus and its index copied to another folder, as a backup restore would."""
    from qa.pipeline import QA
    from tests.fakes import FakeEmbedder

    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(fake_qa.settings.corpus, elsewhere / "corpus")
    shutil.copytree(fake_qa.settings.index, elsewhere / "index")
    settings = fake_qa.settings.with_changes(corpus=elsewhere / "corpus", index=elsewhere / "index")
    return QA(settings, FakeEmbedder())


def test_a_moved_index_is_used_as_it_is(fake_qa, tmp_path):
    fake_qa.refresh()
    moved = _moved(fake_qa, tmp_path)
    summary = moved.refresh()
    assert not summary.modified and len(summary.unchanged) == 5 and moved.embedder.encoded == []
    assert sorted(moved.store.entries) == sorted(fake_qa.store.entries)
    assert all(not entry.path.startswith("/") for entry in moved.store.entries.values())
    # Deleting through the moved copy deletes its own file, not the original's.
    from qa.indexing.uploads import delete_report

    delete_report(moved, "latin1")
    assert not (moved.settings.corpus / "latin1.txt").exists() and (fake_qa.settings.corpus / "latin1.txt").exists()


def test_an_index_that_kept_absolute_paths_moves_too(fake_qa, tmp_path):
    from tests.legacy import as_format_2, write_format_2

    fake_qa.refresh()
    data = as_format_2(fake_qa.settings.index)
    corpus = fake_qa.settings.corpus.resolve()
    for item in data["documents"]:  # as indexes were written before paths were relative
        item["path"] = str(corpus / item["document"]["source"])
    write_format_2(fake_qa.settings.index, data)
    moved = _moved(fake_qa, tmp_path)
    summary = moved.refresh()
    assert not summary.modified and len(moved.store.entries) == 5 and moved.embedder.encoded == []


def test_a_generation_saved_by_another_process_is_followed(fake_qa, corpus):
    from qa.pipeline import QA
    from tests.fakes import FakeEmbedder

    fake_qa.refresh()
    other = QA(fake_qa.settings, FakeEmbedder())
    assert len(other.store.entries) == 5 and not other.follow()
    (corpus / "new.txt").write_text("A new report about adoption panels in Exampleshire.")
    fake_qa.refresh()
    assert other.follow() and "new" in other.store.entries
    assert other.store.generation == fake_qa.store.generation and not other.follow()
