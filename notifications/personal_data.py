"""What ``notifications`` holds about a person: follows, notifications, the e-mail choice and digests
(of every region in the scope it runs in); erased by deletion with the account."""

from core.personal_data import linked_rows

from .models import Digest, Follow, Notification, Preference

MODELS = (Follow, Notification, Preference, Digest)


def export(user) -> dict:
    return {model._meta.label: linked_rows(model, user) for model in MODELS}


def erase(user) -> dict:
    return {model._meta.label: model.objects.filter(user=user).delete()[0] for model in MODELS}
