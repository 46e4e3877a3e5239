"""Walking the API as a harvester would: from the index through every list, every page and every object."""

from urllib.parse import urlsplit

API_ROOT = "/api/v1/"


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def walk(client, *, page_size: int = 2, lang: str = "sv"):
    """Yield (path, response) for the index, every page of every list, and every object they link to."""
    seen, queue = set(), [API_ROOT]
    index = client.get(API_ROOT).json()
    queue += [f"{url}?page_size={page_size}&lang={lang}" for url in index["endpoints"].values()]
    while queue:
        path = path_of(queue.pop(0))
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        yield path, response
        if response.status_code != 200:
            continue
        data = response.json()
        if isinstance(data, dict) and "results" in data:
            if data["next"]:
                queue.append(data["next"])
            objects = data["results"]
        else:
            objects = [data] if isinstance(data, dict) else []
        for obj in objects:
            for key in ("api_url", "signatories_url", "growth_url"):
                if obj.get(key):
                    queue.append(obj[key] + (f"?page_size={page_size}" if key == "signatories_url" else ""))
