def load(**kwargs):
    return None
