"""How often one client may act: a sliding window, per client, with bounded memory."""

from web.limits import RateLimit


def test_a_client_may_act_count_times_a_window_and_is_told_when_next():
    limit = RateLimit(3, 60.0)
    assert [limit.wait("a", now) for now in (0.0, 1.0, 2.0)] == [0, 0, 0]
    assert limit.wait("a", 10.0) == 50  # the first of the three leaves the window at 60
    assert limit.wait("b", 10.0) == 0  # another client is not held up
    assert limit.wait("a", 60.5) == 0


def test_clients_seen_least_recently_are_forgotten_past_the_bound():
    limit = RateLimit(1, 60.0, clients=2)
    for client in ("a", "b", "c"):
        assert limit.wait(client, 0.0) == 0
    assert limit.wait("a", 1.0) == 0  # forgotten, so counted afresh
    assert limit.wait("c", 1.0) == 59
