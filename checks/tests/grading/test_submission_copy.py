"""copy_submission (checks/isolation/intake/submission.py): what run_autograder grades is what was submitted."""

import os

from checks.isolation.intake.submission import copy_submission


def test_links_inside_are_copied_as_files_and_links_leaving_are_left_out(tmp_path):
    source = tmp_path / "submission"
    (source / "pkg").mkdir(parents=True)
    (source / "pkg" / "a.py").write_text("A = 1\n")
    os.symlink("a.py", source / "pkg" / "b.py")  # inside: copied as the file
    secret = tmp_path / "secret.py"
    secret.write_text("KEY = 42\n")
    os.symlink(secret, source / "pkg" / "c.py")  # leaving: left out
    os.symlink("../../secret.py", source / "pkg" / "d.py")  # leaving through ..: left out
    os.symlink(tmp_path, source / "outside")  # a folder: left out
    os.mkfifo(source / "pipe")  # not a plain file: left out

    skipped = dict(copy_submission(source, tmp_path / "copy"))

    copy = tmp_path / "copy"
    assert (copy / "pkg" / "a.py").read_text() == (copy / "pkg" / "b.py").read_text() == "A = 1\n"
    assert not (copy / "pkg" / "b.py").is_symlink()
    assert sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*")) == ["pkg", "pkg/a.py", "pkg/b.py"]
    assert skipped == {"pkg/c.py": "a link leaving the submission", "pkg/d.py": "a link leaving the submission",
                       "outside": "a link to a folder", "pipe": "not a plain file"}
