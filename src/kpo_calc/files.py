"""File I/O at the edges: one bounded reader and one safe writer.

Every input is read through :func:`read_regular` (regular files only, never
more than a cap) and every output file is written through
:func:`write_safely` (unpredictable temporary file, fsync, rename, never over
a device, a link or an input of the run). Problems are :class:`InputError`
values whose message says how to fix them: the CLI turns them into exit 2.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Iterator
from types import FrameType

from kpo_calc.diagnostics import Diagnostic, InputError
from kpo_calc.textsafe import visible

StrPath = str | os.PathLike[str]

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def shown(name: StrPath) -> str:
    """A file name as it can always be printed: undecodable bytes as ``\\xff``, controls
    escaped (the one rule of :func:`kpo_calc.textsafe.visible`)."""
    return visible(os.fspath(name))


def _problem(name: StrPath, message: str) -> InputError:
    # Named as given: printing escapes it (the output layer's job), like every diagnostic.
    return InputError([Diagnostic(os.fspath(name), 0, 0, message)])


def _write_problem(name: StrPath, message: str) -> InputError:
    # As _problem: the diagnostic shows the name once (a second escape would double it).
    return _problem(name, message)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _os_reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def read_regular(path: StrPath, limit: int, name: StrPath | None = None) -> bytes:
    """At most ``limit + 1`` bytes of the regular file ``path`` (the caller judges the size).

    Anything else (FIFO, device, directory, socket) is refused before it is
    read: a FIFO would block forever and ``/dev/zero`` never ends. ``name`` is
    how the file is named in messages (default: ``path``).
    """
    label = path if name is None else name
    try:
        # stat first, so that opening has no side effect on a device; the file
        # is opened non-blocking (a FIFO swapped in meanwhile does not hang)
        # and checked again through the descriptor.
        before = os.stat(path)
        if not stat.S_ISREG(before.st_mode):
            raise _not_regular(label, before.st_mode)
        fd = os.open(path, _READ_FLAGS | _CLOEXEC)
    except FileNotFoundError:
        raise _problem(label, "no such file; check the path") from None
    except PermissionError:
        raise _problem(label, "permission denied reading the file") from None
    except OSError as exc:
        raise _problem(label, f"cannot read the file: {_os_reason(exc)}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(label, mode)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise _problem(label, f"cannot read the file: {_os_reason(exc)}") from None
    finally:
        os.close(fd)


def _not_regular(name: StrPath, mode: int) -> InputError:
    if stat.S_ISDIR(mode):
        return _problem(name, "is a directory, not a scenario file (pass the YAML files "
                              "inside it, or a glob)")
    return _problem(name, f"is {_kind(mode)}, not a regular file; only regular files are "
                          "read (copy the content to a file first)")


def too_large(name: StrPath, limit: int, what: str) -> InputError:
    """The error for a file over its size cap."""
    return _problem(name, f"the file is larger than {limit:,} bytes; {what}")


def _identity(path: StrPath) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _real(path: StrPath) -> str:
    return os.path.normcase(os.path.realpath(path))


def write_safely(path: StrPath, data: str | bytes, *, inputs: Iterable[StrPath] = (),
                 replace: bool = True) -> None:
    """Write ``data`` to ``path`` atomically; readers never see half a file.

    The temporary file has an unpredictable name in the target's folder; it
    is fsynced, then renamed over the target. Refused (:class:`InputError`):
    a target that is not a regular file (a device, FIFO, directory or a
    symbolic link, which could have been planted to redirect the write), one
    of ``inputs`` (the same file by path or by inode), and any existing file
    when ``replace`` is false. A replaced file keeps its permissions; a new
    one gets the usual ones (the umask's). The temporary file is removed on
    any failure, on Ctrl-C and on SIGTERM or SIGHUP.
    """
    payload = data if isinstance(data, bytes) else data.encode("utf-8", "backslashreplace")
    target = os.fspath(path)
    folder = os.path.dirname(target) or os.curdir
    existing = _check_target(target, inputs, replace)
    import tempfile  # only when writing a file: keeps the start-up of reading commands short

    with _cleanup_on_signals():
        try:
            fd, temp = tempfile.mkstemp(prefix=".kpo-calc-", suffix=".tmp", dir=folder)
        except FileNotFoundError:
            raise _write_problem(target, _missing_folder(folder)) from None
        except OSError as exc:
            raise _write_problem(target, f"cannot write: {_os_reason(exc)}") from None
        try:
            try:
                _fill(fd, payload, existing)
            finally:
                os.close(fd)
            # Checked again just before the rename: the folder may be shared.
            _check_target(target, inputs, replace)
            if replace:
                os.replace(temp, target)
            else:
                _link(temp, target)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            if isinstance(exc, FileExistsError):
                raise _write_problem(target, "already exists; choose another path or pass "
                                     "--force to overwrite it") from None
            if isinstance(exc, OSError):
                raise _write_problem(target, f"cannot write: {_os_reason(exc)}") from None
            raise
    _sync_folder(folder)


def _missing_folder(folder: str) -> str:
    """Why a new file could not be made in ``folder`` (the system said "no such file")."""
    if os.path.isdir(folder):
        # /proc, /sys and the like exist but make no ordinary files.
        return (f"cannot write: the folder {shown(folder)} exists but does not take new files "
                "(a system folder such as /proc or /sys); choose another folder")
    if os.path.islink(folder):
        return (f"cannot write: the folder {shown(folder)} is a symbolic link to nothing "
                "(what it points to does not exist); create that, or choose another folder")
    return "cannot write: the folder does not exist; create it first"


def _link(temp: str, target: str) -> None:
    """Give ``temp`` the name ``target`` only if that name is free (no race with another
    writer); where hard links are not supported, the check made just before suffices."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise
    except OSError:
        os.replace(temp, target)
    else:
        os.unlink(temp)


def _check_target(target: str, inputs: Iterable[StrPath],
                  replace: bool) -> os.stat_result | None:
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _write_problem(target, f"cannot write: {_os_reason(exc)}") from None
    if st is not None:
        if not replace:
            raise _write_problem(target, "already exists; choose another path or pass --force "
                                   "to overwrite it")
        if not stat.S_ISREG(st.st_mode):
            hint = ("write to the file it points to instead" if stat.S_ISLNK(st.st_mode)
                    else "choose a regular file to write to")
            raise _write_problem(target, f"is {_kind(st.st_mode)}; refusing to replace it "
                                   f"({hint})")
    _refuse_inputs(target, inputs, st, "overwrite")
    return st


def _refuse_inputs(target: StrPath, inputs: Iterable[StrPath], st: os.stat_result | None,
                   verb: str) -> None:
    """Refuse ``target`` when it is one of ``inputs``, by path or by inode (a hard link)."""
    real = _real(target)
    ident = None if st is None else (st.st_dev, st.st_ino)
    for source in inputs:
        if _real(source) == real or (ident is not None and _identity(source) == ident):
            raise _write_problem(target, f"is an input of this run; refusing to {verb} it "
                                   "(choose another output file)")


def _fill(fd: int, payload: bytes, existing: os.stat_result | None) -> None:
    if existing is not None:
        os.fchmod(fd, stat.S_IMODE(existing.st_mode))
        if hasattr(os, "fchown"):  # as root, keep the owner too; otherwise not permitted
            with contextlib.suppress(OSError):
                os.fchown(fd, existing.st_uid, existing.st_gid)
    else:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; a new file gets the usual mode
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def _sync_folder(folder: str) -> None:
    # Makes the rename durable; not possible everywhere (Windows), so best effort.
    try:
        fd = os.open(folder, os.O_RDONLY | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived while writing; raised so that cleanup runs.

    A kind of interrupt, so that whatever handles Ctrl-C also ends the run.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _cleanup_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`Terminated` while the block runs."""
    import signal  # only when writing a file

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise Terminated(signum)

    saved: list[tuple[int, object]] = []
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        try:
            saved.append((signum, signal.signal(signum, stop)))
        except ValueError:  # not the main thread: signals cannot be caught here
            break
    try:
        yield
    finally:
        for signum, handler in saved:
            signal.signal(signum, handler)  # type: ignore[arg-type]


def append_regular(path: StrPath, data: str, *, inputs: Iterable[StrPath] = ()) -> None:
    """Append ``data`` to the regular file ``path`` (created if missing), never to one of
    ``inputs``."""
    flags = (os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0)
             | getattr(os, "O_NOCTTY", 0) | _CLOEXEC)
    try:
        before = os.stat(path)
    except FileNotFoundError:
        before = None
    except OSError as exc:
        raise _write_problem(path, f"cannot append: {_os_reason(exc)}") from None
    if before is not None and not stat.S_ISREG(before.st_mode):
        raise _not_writable(path, before.st_mode)
    _refuse_inputs(path, inputs, before, "append to")
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as exc:
        raise _write_problem(path, f"cannot append: {_os_reason(exc)}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_writable(path, mode)
        view = memoryview(data.encode("utf-8", "backslashreplace"))
        while view:
            view = view[os.write(fd, view):]
    except OSError as exc:
        raise _write_problem(path, f"cannot append: {_os_reason(exc)}") from None
    finally:
        os.close(fd)


def _not_writable(name: StrPath, mode: int) -> InputError:
    return _write_problem(name, f"is {_kind(mode)}; only a regular file is appended to")
