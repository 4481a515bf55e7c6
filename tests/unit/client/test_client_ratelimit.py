"""The work queue's rate limiters: per-key exponential back-off, the overall token
bucket, and their combination."""

from __future__ import annotations

import pytest

from corral.client import ItemBackoff, MaxOf, TokenBucket


def test_item_backoff_doubles_per_key_up_to_the_cap() -> None:
    limiter = ItemBackoff()  # 5 ms doubling to 1000 s
    waits = [limiter.when("a") for _ in range(20)]
    assert waits[:4] == pytest.approx([0.005, 0.01, 0.02, 0.04])
    assert waits[-1] == 1000.0 and max(waits) == 1000.0
    assert limiter.when("b") == pytest.approx(0.005)  # keys back off independently
    assert limiter.num_requeues("a") == 20
    limiter.forget("a")
    assert (limiter.num_requeues("a"), limiter.when("a")) == (0, pytest.approx(0.005))
    assert ItemBackoff(0.1, 0.3).when("x") == 0.1
    for _ in range(100):
        huge = limiter.when("many")
    assert huge == 1000.0


def test_token_bucket_allows_a_burst_then_spaces_retries() -> None:
    now = [0.0]
    bucket = TokenBucket(qps=2, burst=2, clock=lambda: now[0])
    assert [bucket.when(k) for k in "abcd"] == [0.0, 0.0, 0.5, 1.0]
    now[0] = 3.0  # refills, but never beyond the burst
    assert [bucket.when(k) for k in "abc"] == [0.0, 0.0, 0.5]
    bucket.forget("a")
    assert bucket.num_requeues("a") == 0


def test_max_of_takes_the_longest_wait_and_forgets_everywhere() -> None:
    now = [0.0]
    limiter = MaxOf(ItemBackoff(0.005, 1000), TokenBucket(qps=1, burst=1, clock=lambda: now[0]))
    assert limiter.when("k") == 0.005
    assert limiter.when("k") == 1.0  # the bucket is empty: its wait is the longer
    assert limiter.num_requeues("k") == 2
    limiter.forget("k")
    assert limiter.num_requeues("k") == 0


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        ItemBackoff(0, 1)
    with pytest.raises(ValueError):
        TokenBucket(qps=0)
    with pytest.raises(ValueError):
        MaxOf()
