"""`qa fetch` against a local replica of Ofsted's reports site (tests/ofsted_replica.py): new
reports downloaded with what the site says of them and indexed once; nothing held fetched twice;
a second page of the list, a 503 with Retry-After, a slow server, a lost file, half a PDF, a
duplicate and a changed layout each handled; a killed run resumes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import jsonschema
import pytest

from qa import cli
from qa.indexing.fetch import FETCHED, USER_AGENT, Client, Schedule, SiteError, _retry_after, every, fetch
from qa.ofsted.site import LayoutError, Provider, providers, publications
from qa.pipeline import QA
from tests.conftest import SAMPLES
from tests.fakes import FakeEmbedder
from tests.ofsted_replica import Authority, Replica, Report
from web import create_app
from web.openapi import document

INSPECTION = (SAMPLES / "worcestershire-inspection-2023.pdf").read_bytes()
VISIT = (SAMPLES / "worcestershire-focused-visit-2025.pdf").read_bytes()


def _site() -> Replica:
    return Replica([
        Authority("80587", "Worcestershire", [Report("Focused visit", "8 May 2025", VISIT),
                                               Report("Children's services inspection", "14 July 2023", INSPECTION)]),
        Authority("80464", "Dudley", [Report("Children's services inspection", "2 March 2024", INSPECTION)]),
        Authority("80549", "Sandwell", [Report("Focused visit", "5 June 2024", VISIT[:-1] + b" "),
                                        Report("Monitoring visit", "1 February 2024", VISIT + b"\n")]),
        Authority("80552", "Shropshire", [Report("Joint targeted area inspection", "3 April 2024", VISIT + b"\n\n"),
                                          Report("Children's services inspection", "9 June 2016", INSPECTION + b"\n")]),
    ], page_size=2)


@pytest.fixture
def site():
    with _site() as replica:
        yield replica


@pytest.fixture
def qa(settings, site) -> QA:
    return QA(settings.with_changes(ofsted_url=site.url, fetch_delay=0.0, fetch_timeout=5.0), FakeEmbedder())


def test_new_reports_are_downloaded_with_what_the_site_says_and_indexed_once(qa, site):
    site.misbehave[f"/v1/file/{site.authorities[0].reports[0].file_id}"] = ["503"]
    site.misbehave[f"/v1/file/{site.authorities[2].reports[0].file_id}"] = ["truncated"]
    site.misbehave[f"/v1/file/{site.authorities[2].reports[1].file_id}"] = ["404"]
    refreshes = []
    real_refresh = qa.refresh
    qa.refresh = lambda *args, **kwargs: refreshes.append(args) or real_refresh(*args, **kwargs)

    result = fetch(qa, since=dt.date(2023, 1, 1))

    # Both pages of the list were read: Sandwell and Shropshire are on the second.
    assert {p.provider.name for p in result.listed} == {"Worcestershire", "Dudley", "Sandwell"}
    assert [f.publication.provider.name for f in result.fetched] == ["Worcestershire", "Worcestershire"]
    reasons = dict(result.skipped)
    files = {r.label + " " + a.name: site.file_url(r) for a in site.authorities for r in a.reports}
    assert "the same file as" in reasons[files["Children's services inspection Dudley"]]
    assert "not indexed" in reasons[files["Focused visit Sandwell"]]
    assert "404" in reasons[files["Monitoring visit Sandwell"]]
    # The 503 was waited out (Retry-After: 1) and the file fetched on the next try.
    assert site.files_asked().count(f"/v1/file/{site.authorities[0].reports[0].file_id}") == 2
    assert len(refreshes) == 1 and sorted(result.refresh.added) == sorted(
        f.path.relative_to(qa.settings.corpus).as_posix() for f in result.fetched)
    # Polite: the project's User-Agent on every request, one request at a time.
    assert {agent for _, agent in site.requests} == {USER_AGENT}
    assert site.most_in_flight == 1

    visit = next(f for f in result.fetched if f.publication.label == "Focused visit")
    assert visit.path.parent.parent == qa.settings.corpus / FETCHED
    assert json.loads(visit.path.with_suffix(".meta.json").read_text()) == {
        "date": "2025-05-08", "kind": "focused visit", "authority": "Worcestershire",
        "url": files["Focused visit Worcestershire"], "urn": "80587"}
    document = next(e.document for e in qa.store.entries.values() if e.document.meta.get("urn") == "80587"
                    and e.document.kind == "focused visit")
    assert document.date == "2025-05-08" and document.meta["url"] == files["Focused visit Worcestershire"]
    assert qa.ask("Worcestershire focused visit 2025 what did inspectors find?").answers


def test_a_second_run_downloads_nothing_it_holds(qa, site):
    first = fetch(qa, since=dt.date(2023, 1, 1))
    asked = len(site.files_asked())
    second = fetch(qa, since=dt.date(2023, 1, 1))
    assert first.fetched and not second.fetched
    assert second.held == len(first.fetched)
    # Only the files skipped the first time are asked again; nothing held is.
    assert len(site.files_asked()) - asked == len(first.skipped)


def test_without_since_it_fetches_what_was_published_since_the_newest_report_indexed(qa, site):
    qa.refresh()
    newest = max(e.document.date for e in qa.store.entries.values() if e.document.date)
    result = fetch(qa, dry_run=True)
    assert result.since == dt.date.fromisoformat(newest)
    assert all(p.published >= result.since for p in result.listed)


def test_a_dry_run_lists_and_writes_nothing(qa, site):
    result = fetch(qa, since=dt.date(2016, 1, 1), dry_run=True)
    assert len(result.listed) == 6  # the joint targeted area inspection is not a kind fetched
    assert not site.files_asked() and not (qa.settings.corpus / FETCHED).exists()


def test_one_authority_and_some_kinds(qa, site):
    result = fetch(qa, since=dt.date(2016, 1, 1), kinds=["inspection"], authority="Shropshire", dry_run=True)
    assert [(p.provider.name, p.kind) for p in result.listed] == [("Shropshire", "inspection")]
    with pytest.raises(SiteError, match="no authority called 'Atlantis'"):
        fetch(qa, authority="Atlantis", dry_run=True)


def test_a_changed_layout_is_a_clear_error_and_nothing_is_downloaded_or_indexed(qa, site):
    site.layout_changed = True
    with pytest.raises(LayoutError, match="publication-link"):
        fetch(qa, since=dt.date(2016, 1, 1))
    assert not site.files_asked() and not (qa.settings.corpus / FETCHED).exists()
    assert not qa.index_exists()


def test_a_site_that_does_not_answer_is_an_error_and_the_index_is_untouched(settings, capsys, monkeypatch):
    qa = QA(settings, FakeEmbedder())
    qa.refresh()
    before = sorted(p.name for p in settings.index.iterdir())
    with _site() as replica:
        gone = replica.url
    monkeypatch.setenv("QA_OFSTED_URL", gone)
    monkeypatch.setenv("QA_FETCH_DELAY", "0")
    monkeypatch.setenv("QA_MODEL", "fake-embedder")
    monkeypatch.setattr("qa.indexing.fetch.MAX_WAIT_S", 0.1)  # no long waits between the tries
    code = cli.main(["fetch", "--corpus", str(settings.corpus), "--index", str(settings.index)])
    assert code == 1
    error = capsys.readouterr().err
    assert "error:" in error and "no answer" in error and gone in error
    assert sorted(p.name for p in settings.index.iterdir()) == before


def test_a_slow_answer_times_out_and_is_tried_again(qa, site):
    site.slow_s = 1.5
    first = site.authorities[0].reports[0]
    site.misbehave[f"/v1/file/{first.file_id}"] = ["slow"]
    client = Client(delay=0.0, timeout=0.5, retries=2)
    assert client.get(site.file_url(first)) == first.data
    assert client.requests == 2


def test_a_killed_run_resumes_where_it_stopped(qa, site, monkeypatch):
    gets = []

    class Killed(Client):
        def get(self, url):
            if "/v1/file/" in url:
                gets.append(url)
                if len(gets) == 2:
                    raise KeyboardInterrupt  # killed while downloading the second report
            return super().get(url)

    with pytest.raises(KeyboardInterrupt):
        fetch(qa, since=dt.date(2023, 1, 1), client=Killed(delay=0.0, timeout=5.0))
    kept = sorted((qa.settings.corpus / FETCHED).rglob("*.pdf"))
    assert len(kept) == 1 and not qa.index_exists()
    result = fetch(qa, since=dt.date(2023, 1, 1))
    assert result.held == 1 and kept[0] not in [f.path for f in result.fetched]
    assert gets[0] not in [f.publication.url for f in result.fetched]
    # The report the killed run downloaded is indexed too.
    corpus = qa.settings.corpus
    assert sorted(result.refresh.added) == sorted(p.relative_to(corpus).as_posix()
                                                  for p in [kept[0], *(f.path for f in result.fetched)])


def test_the_cli_prints_the_new_reports_with_their_grades(qa, site, capsys, monkeypatch):
    monkeypatch.setenv("QA_OFSTED_URL", site.url)
    monkeypatch.setenv("QA_FETCH_DELAY", "0")
    monkeypatch.setenv("QA_MODEL", "fake-embedder")
    monkeypatch.setattr("qa.cli.QA", lambda settings: QA(settings, FakeEmbedder()))
    code = cli.main(["fetch", "--since", "2023-07-01", "--kinds", "inspection", "--authority", "worcestershire",
                     "--corpus", str(qa.settings.corpus), "--index", str(qa.settings.index)])
    out = capsys.readouterr().out
    assert code == 0
    assert "new: Worcestershire, Children's services inspection published 14 July 2023" in out
    assert "overall effectiveness good" in out.lower()
    assert cli.main(["fetch", "--since", "July 2023"]) == 1
    assert "--since must be a day as YYYY-MM-DD" in capsys.readouterr().err


def test_the_site_module_reads_lists_and_report_links():
    page = ('<a href="/provider/44/80587">Worcestershire</a><a href="/provider/44/80587">again</a>'
            '<a href="/about">About</a><a href="/provider/44/80464"> Dudley </a>')
    assert providers(page, "https://example.org/search") == [
        Provider("80587", "Worcestershire", "https://example.org/provider/44/80587"),
        Provider("80464", "Dudley", "https://example.org/provider/44/80464")]
    provider = Provider("80587", "Worcestershire", "https://example.org/provider/44/80587")
    links = ('<a class="publication-link" href="https://files.example.org/v1/file/1"><span class="nonvisual">'
             "Children&#39;s services inspection, PDF - 19 December 2018</span></a>"
             '<a class="publication-link" href="/v1/file/2"><span class="nonvisual">Area SEND inspection, PDF - '
             "3 March 2024</span></a>"
             '<a class="publication-link" href="/web"><span class="nonvisual">Summary, web page</span></a>')
    found = publications(links, provider)
    assert [(p.label, p.kind, p.published, p.url) for p in found] == [
        ("Children's services inspection", "inspection", dt.date(2018, 12, 19), "https://files.example.org/v1/file/1"),
        ("Area SEND inspection", "send inspection", dt.date(2024, 3, 3), "https://example.org/v1/file/2")]
    with pytest.raises(LayoutError):
        publications("<a href='/x'>x</a>", provider)


def test_retry_after_is_read_as_seconds_or_as_a_date():
    assert _retry_after("7") == 7.0
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert _retry_after("soon") is None and _retry_after(None) is None


def test_what_arrived_since_a_day_is_listed_and_an_authority_says_when_its_latest_arrived(qa, site):
    qa.refresh()
    store = qa.store
    for doc_id, entry in list(store.entries.items()):
        store.entries[doc_id] = dataclasses.replace(entry, indexed_at="2020-01-01T09:00:00+00:00")
    fetched = fetch(qa, since=dt.date(2023, 1, 1)).fetched
    client = create_app(qa=qa).test_client()
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    body = client.get(f"/api/reports?since={today}").get_json()
    assert body["total"] == len(fetched)
    assert {r["authority"] for r in body["reports"]} == {f.publication.provider.name for f in fetched}
    assert client.get("/api/reports?since=2019-12-31").get_json()["total"] == len(qa.store.entries)
    refused = client.get("/api/reports?since=last week")
    assert refused.status_code == 400 and "YYYY-MM-DD" in refused.get_json()["error"]["message"]
    page = client.get(f"/reports?since={today}&sort=arrived").get_data(as_text=True)
    assert f"new since {today}" in page and "Worcestershire" in page and f'value="{today}"' in page
    history = client.get("/api/authorities/worcestershire").get_json()
    assert history["latest_arrival"][:10] == today
    jsonschema.validate(history, {"$ref": "#/components/schemas/AuthorityHistory",
                                  "components": document()["components"]})
    assert f"the latest arrived in the index on <time datetime=\"{history['latest_arrival']}\">{today}" in client.get(
        "/authorities/worcestershire").get_data(as_text=True)


def test_a_scheduled_fetch_runs_and_health_says_how_the_last_run_went(qa, site):
    qa.refresh()
    app = create_app(qa=qa)
    client = app.test_client()
    assert client.get("/api/health").get_json()["fetch"] is None
    schedule = Schedule(qa, 3600.0, client=Client(delay=0.0, timeout=5.0))
    app.extensions["fetch"] = schedule
    last = schedule.run_once()
    assert last["ok"] and last["error"] is None and any("Worcestershire" in line for line in last["fetched"])
    health = client.get("/api/health").get_json()
    jsonschema.validate(health, {"$ref": "#/components/schemas/Health", "components": document()["components"]})
    assert health["fetch"]["every_s"] == 3600.0 and health["fetch"]["last"] == last
    assert health["fetch"]["next_at"] > last["at"] and health["fetch"]["running"] is False
    site.layout_changed = True
    failed = schedule.run_once()
    assert not failed["ok"] and "layout" in failed["error"]


def test_an_interval_is_a_number_and_a_unit_of_at_least_ten_minutes():
    assert every("24h") == 86400.0 and every("7d") == 7 * 86400.0 and every("30m") == 1800.0
    for wrong in ("5m", "soon", "24", ""):
        with pytest.raises(ValueError):
            every(wrong)


def test_the_cli_dry_run_lists_what_is_new_and_json_says_what_was_done(qa, site, capsys, monkeypatch):
    monkeypatch.setenv("QA_OFSTED_URL", site.url)
    monkeypatch.setenv("QA_FETCH_DELAY", "0")
    monkeypatch.setattr("qa.cli.QA", lambda settings: QA(settings, FakeEmbedder()))
    where = ["--corpus", str(qa.settings.corpus), "--index", str(qa.settings.index)]
    assert cli.main(["fetch", "--since", "2024-01-01", "--kinds", "focused-visit", "--dry-run", *where]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Worcestershire, Focused visit published 2025-05-08: {site.file_url(site.authorities[0].reports[0])}",
        f"Sandwell, Focused visit published 2024-06-05: {site.file_url(site.authorities[2].reports[0])}"]
    assert not site.files_asked()
    assert cli.main(["fetch", "--since", "2025-01-01", "--json", *where]) == 0
    done = json.loads(capsys.readouterr().out)
    assert [item["authority"] for item in done["fetched"]] == ["Worcestershire"]
    assert done["refresh"]["added"] == [f"{FETCHED}/80587_worcestershire/focused visit - 08 may 2025.pdf"]


def test_a_file_that_fails_is_skipped_but_a_site_that_stops_answering_ends_the_run(qa, site):
    reports = [r for a in site.authorities for r in a.reports]
    site.misbehave[f"/v1/file/{reports[0].file_id}"] = ["503"] * 3
    result = fetch(qa, since=dt.date(2023, 1, 1), client=Client(delay=0.0, timeout=5.0, retries=0))
    assert "503" in dict(result.skipped)[site.file_url(reports[0])] and result.fetched
    for report in reports:
        site.misbehave[f"/v1/file/{report.file_id}"] = ["503"] * 3
    with pytest.raises(SiteError, match="stopped answering"):
        fetch(qa, since=dt.date(2016, 1, 1), client=Client(delay=0.0, timeout=5.0, retries=0))
