from . import state


def export(user) -> dict:
    return {"demo_app.Note": [{"text": text} for text in state.notes_by_email.get(user.email, [])]}


def erase(user) -> dict:
    return {"notes": len(state.notes_by_email.pop(user.email, []))}
