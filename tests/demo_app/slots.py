from . import state


def meeting_context(request, meeting) -> dict:
    return {"demo_word": state.note["word"]}


def set_word(word: str) -> None:
    """A write the public sees: the meeting pages follow this app's cache, so it shows at once."""
    state.note["word"] = word
    state.pages.bump()
