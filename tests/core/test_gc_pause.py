import gc

import pytest

from workbench.core.gc_pause import collector_paused


def test_pauses_nest_and_restore_the_collector():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_a_closed_or_failed_generator_restores_the_collector():
    def gen():
        with collector_paused():
            yield 1
            yield 2

    g = gen()
    next(g)
    assert not gc.isenabled()
    g.close()
    assert gc.isenabled()

    def failing():
        with collector_paused():
            raise ValueError("bad line")
            yield  # pragma: no cover

    with pytest.raises(ValueError):
        list(failing())
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
