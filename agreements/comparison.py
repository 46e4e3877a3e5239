"""Two versions of an agreement's text compared, section by section and word by word (difflib).

A version's text (``AgreementVersion.text``) is plain text; a section starts at a line that is a
heading: a numbered paragraph ("3. Principer", "3.2 Uppföljning", "§ 4 Att underteckna") or a
Markdown-style heading ("## Syfte"). Text before the first heading is a section of its own (the
preamble). Sections of the two versions are paired by their headings (difflib over the headings);
within a changed section the words that were removed and added are marked. The result is plain data
for the template, which escapes it: nothing here builds HTML.
"""

import difflib
import re
from dataclasses import dataclass, field

HEADING = re.compile(
    r"^\s*(?:#{1,6}\s+\S.*|§\s*\d+[a-z]?\b.*|\d+(?:\.\d+)*\.?\s+\S.*|[IVXLC]+\.\s+\S.*)$",
    re.IGNORECASE,
)
NUMBERING = re.compile(r"^\s*(?:#{1,6}\s+|§\s*\d+[a-z]?\.?\s*|\d+(?:\.\d+)*\.?\s+|[IVXLC]+\.\s+)", re.IGNORECASE)
# Words, runs of white space and single punctuation marks: joined again, they give back the text.
TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
# A heading longer than this is a numbered sentence, not a title: it still starts a section.
MAX_KEY = 120
# Two sections whose headings differ are one section renamed when this much of their words is shared.
ALIKE = 0.5


@dataclass(frozen=True)
class Section:
    heading: str  # the heading line as written, "" for the preamble
    body: str  # the text after the heading line, up to the next heading

    @property
    def key(self) -> str:
        """What pairs a section with its counterpart: the heading's title without its number, case or
        extra spaces (a section renumbered when one was added before it is the same section); the whole
        heading when it is only a number."""
        title = NUMBERING.sub("", self.heading)
        return " ".join((title or self.heading).lower().split())[:MAX_KEY]

    @property
    def text(self) -> str:
        return f"{self.heading}\n{self.body}" if self.heading else self.body


@dataclass(frozen=True)
class Segment:
    """A run of text: ``kind`` is "same", "added" or "removed"."""

    kind: str
    text: str


@dataclass
class SectionChange:
    """One section in the comparison: ``status`` is "unchanged", "changed", "added" or "removed"."""

    status: str
    heading: str
    segments: list[Segment] = field(default_factory=list)

    @property
    def is_changed(self) -> bool:
        return self.status != "unchanged"


def split_sections(text: str) -> list[Section]:
    """The sections of ``text``, in order; an empty text has none."""
    sections: list[Section] = []
    heading, lines = "", []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        if HEADING.match(line):
            if heading or "".join(lines).strip():
                sections.append(Section(heading=heading, body="\n".join(lines).strip("\n")))
            heading, lines = line.strip(), []
        else:
            lines.append(line)
    if heading or "".join(lines).strip():
        sections.append(Section(heading=heading, body="\n".join(lines).strip("\n")))
    return sections


def diff_words(old: str, new: str) -> list[Segment]:
    """``old`` to ``new`` word by word: runs that stayed, were removed and were added, in reading order
    (a replacement is the removal followed by the addition)."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in _without_lone_spaces(matcher.get_opcodes(), a):
        if op == "equal":
            _append(segments, "same", "".join(a[i1:i2]))
            continue
        _append(segments, "removed", "".join(a[i1:i2]))
        _append(segments, "added", "".join(b[j1:j2]))
    return _regroup(segments)


def _without_lone_spaces(opcodes, a):
    """A single space left equal between two changes ("del foo, ' ', del bar") reads as noise: it is
    folded into the change around it."""
    result = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        between_changes = 0 < index < len(opcodes) - 1
        if op == "equal" and between_changes and "".join(a[i1:i2]).isspace():
            op = "replace"
        if result and op != "equal" and result[-1][0] != "equal":
            previous = result.pop()
            result.append(("replace", previous[1], i2, previous[3], j2))
        else:
            result.append((op, i1, i2, j1, j2))
    return result


def _append(segments: list[Segment], kind: str, text: str) -> None:
    if text:
        segments.append(Segment(kind=kind, text=text))


def _regroup(segments: list[Segment]) -> list[Segment]:
    """Neighbouring runs of the same kind as one."""
    merged: list[Segment] = []
    for segment in segments:
        if merged and merged[-1].kind == segment.kind:
            merged[-1] = Segment(kind=segment.kind, text=merged[-1].text + segment.text)
        else:
            merged.append(segment)
    return merged


def compare(old_text: str, new_text: str) -> list[SectionChange]:
    """Every section of the two texts in the newer one's order, removed sections where they stood."""
    old, new = split_sections(old_text), split_sections(new_text)
    matcher = difflib.SequenceMatcher(None, [s.key for s in old], [s.key for s in new], autojunk=False)
    changes: list[SectionChange] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs = list(zip(old[i1:i2], new[j1:j2], strict=False)) if op in ("equal", "replace") else []
        if op == "replace":
            # Renamed in place only when the texts are alike; else one section went and another came.
            pairs = pairs[: next((n for n, pair in enumerate(pairs) if not _alike(*pair)), len(pairs))]
        for before, after in pairs:
            changes.append(_changed(before, after))
        for before in old[i1 + len(pairs) : i2]:
            changes.append(SectionChange("removed", before.heading, [Segment("removed", before.text)]))
        for after in new[j1 + len(pairs) : j2]:
            changes.append(SectionChange("added", after.heading, [Segment("added", after.text)]))
    return changes


def _alike(before: Section, after: Section) -> bool:
    return difflib.SequenceMatcher(None, before.text.split(), after.text.split(), autojunk=False).ratio() >= ALIKE


def _changed(before: Section, after: Section) -> SectionChange:
    if before.text == after.text:
        return SectionChange("unchanged", after.heading, [Segment("same", after.text)])
    return SectionChange("changed", after.heading or before.heading, diff_words(before.text, after.text))
