"""Files written atomically get the permissions any other file the user saves would get."""

import os
import stat

import pytest

from workbench.core.atomic import atomic_writer


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_written_file_follows_the_umask_not_mkstemps_private_mode(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic_writer(tmp_path / "train.jsonl") as fh:
            fh.write("{}\n")
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "train.jsonl").stat().st_mode)
    assert mode == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "train.jsonl"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_writer(target) as fh:
        fh.write("half")
        raise RuntimeError("disk full")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["train.jsonl"]
