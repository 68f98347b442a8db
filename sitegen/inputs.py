"""The repository's files as the build reads them: regular files inside the repository, of bounded size.

A link (to a file outside the repository, to /dev/zero), a pipe or a device is refused by name before
anything is read from it, so nothing outside the repository is ever published and no read blocks or
runs without end; a file over MAX_FILE_BYTES is refused before it is read. `shown()` is pure;
`read_bytes()` and `regular_files()` look at the disk.
"""

import os
import stat
from pathlib import Path

from .errors import BuildError

# Twenty times the largest input file of the 2022 edition (45 KB): a guide's text, not a data dump.
MAX_FILE_BYTES = 1_000_000
ONLY_REGULAR = "the build reads only regular files inside the repository"


def shown(path, repo):
    """A path as typed from the repository root (guide_src/2022/notice.yaml), not where a link leads."""
    try:
        return Path(path).absolute().relative_to(Path(repo).absolute()).as_posix()
    except ValueError:
        return str(path)


def _kind(mode):
    """What a file that is not a regular file is, in a word a reader knows."""
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return name
    return "a special file"


def _refuse(path, repo, info):
    """Raise the BuildError for a link, a file that is not regular, or one over the size limit; else return."""
    if stat.S_ISLNK(info.st_mode):
        raise BuildError(shown(path, repo), "", f"a symbolic link (to {os.readlink(path)}): {ONLY_REGULAR}")
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        raise BuildError(shown(path, repo), "", f"{_kind(info.st_mode)}, not a regular file: {ONLY_REGULAR}")
    if stat.S_ISREG(info.st_mode) and info.st_size > MAX_FILE_BYTES:
        raise BuildError(shown(path, repo), "", f"{info.st_size:,} bytes, over the build's limit of "
                                                f"{MAX_FILE_BYTES:,} bytes for an input file")


def _check_way(path, repo, itself=False):
    """Refuse a link on the way from the repository down to `path` (a linked folder leads outside too),
    and at `path` itself when asked."""
    repo = Path(repo).absolute()
    try:
        parts = Path(path).absolute().relative_to(repo).parts
    except ValueError:
        raise BuildError(str(path), "", f"outside the repository ({repo}): {ONLY_REGULAR}") from None
    here = repo
    for part in parts if itself else parts[:-1]:
        here = here / part
        try:
            _refuse(here, repo, os.lstat(here))
        except FileNotFoundError:
            raise BuildError(shown(path, repo), "", "file not found") from None


def read_bytes(path, repo):
    """The content of the regular file `path` inside `repo`; a link, a special file or a file over
    MAX_FILE_BYTES is a BuildError naming it, as is a missing file."""
    _check_way(path, repo)
    try:
        # O_NOFOLLOW: the link test above cannot be raced; O_NONBLOCK: opening a pipe does not wait.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise BuildError(shown(path, repo), "", "file not found") from None
    except OSError:
        _refuse(path, repo, os.lstat(path))  # a link (ELOOP) or a file we may not open
        raise BuildError(shown(path, repo), "", "cannot be read") from None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        _refuse(path, repo, info)
        if stat.S_ISDIR(info.st_mode):
            raise BuildError(shown(path, repo), "", f"a folder, not a regular file: {ONLY_REGULAR}")
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # it grew while we read it
        raise BuildError(shown(path, repo), "", f"over the build's limit of {MAX_FILE_BYTES:,} bytes for an input file")
    return data


def regular_files(folder, repo):
    """Every file below `folder` (sorted), after refusing any link, special file or oversized file there."""
    _check_way(folder, repo, itself=True)
    found = []

    def walk(directory):
        with os.scandir(directory) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                _refuse(entry.path, repo, entry.stat(follow_symlinks=False))
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path)
                else:
                    found.append(Path(entry.path))

    walk(folder)
    return found
