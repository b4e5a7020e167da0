"""The data folder checked at start: one message when it cannot be used, the app goes on.

The check itself is Qt-free (:func:`lenet_desktop.paths.data_folder_problems`);
this module only words it for the window. Nothing waits on the answer: the
message is not modal, the menus and panels are installed either way, and
saving a sample or a model later says again why it cannot.
"""

from __future__ import annotations

from collections.abc import Callable

from lenet_desktop.paths import data_folder_problems

TITLE = "Your data folder cannot be used"
CONSEQUENCE = (
    "Everything else works, but your handwriting samples (Correct it) and retrained "
    "models cannot be saved until this is fixed."
)


def problem_text(problems: list[str]) -> str:
    """The message for ``problems`` (one sentence each), with what it means for the user."""
    return "\n\n".join([*problems, CONSEQUENCE])


def report_data_folder(show: Callable[[str, str], object]) -> object | None:
    """Check the data folder; on a problem call ``show(title, text)`` once and return its result.

    Parameters
    ----------
    show : callable
        Shows a non-blocking message, e.g. ``lambda title, text: window.show_error(title,
        text, modal=False)``.

    Returns
    -------
    object or None
        What ``show`` returned (the message box), or ``None`` when the folder is fine.
    """
    problems = data_folder_problems()
    if not problems:
        return None
    return show(TITLE, problem_text(problems))
