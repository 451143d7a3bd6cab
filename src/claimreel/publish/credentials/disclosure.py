"""The "Content Credentials" disclosure readers see beside a signed video (player page, studio).

A native ``<details>`` element: it opens with Enter or Space, and screen readers announce it as a
collapsed or expanded group, so it needs no script. It says who signed, which sources went in
(stand-ins marked as such) and what is synthetic, in plain words; the signed file says the same
in its manifest.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..html import esc
from .content import Story
from .identity import SigningIdentity

__all__ = ["DISCLOSURE_STYLE", "Disclosure"]

DISCLOSURE_STYLE = """
.credentials{border:1px solid #767676;border-radius:6px;padding:.5rem .75rem;margin:0 0 1rem;max-width:40rem}
.credentials summary{cursor:pointer;font-weight:600}
.credentials summary:focus-visible{outline:3px solid #0b57a4;outline-offset:2px}
.credentials ul{margin:.25rem 0 .5rem;padding-left:1.25rem}
""".strip()


@dataclass(frozen=True)
class Disclosure:
    signer: str
    sources: tuple[str, ...]  # one line each: title, role, (stand-in)
    synthetic: tuple[str, ...]  # what is made by machines: narration voices
    captured: tuple[str, ...]  # recorded voices

    @classmethod
    def of(cls, story: Story, identity: SigningIdentity) -> "Disclosure":
        sources = tuple(f"{s.title} ({s.kind}): {s.role}" + (" (a stand-in, not the original)" if s.stand_in else "")
                        for s in story.sources if s.kind != "voice-over")
        return cls(identity.signer, sources,
                   tuple(n.words() for n in story.narration if n.synthetic)
                   + ((story.description.described(),) if story.description and story.description.synthetic else ()),
                   tuple(n.words() for n in story.narration if not n.synthetic))

    def html(self) -> str:
        """The disclosure as an HTML fragment (every text escaped)."""
        def items(lines: tuple[str, ...]) -> str:
            return "<ul>\n" + "".join(f"<li>{esc(line)}</li>\n" for line in lines) + "</ul>\n"

        parts = [f"<p>Signed by <strong>{esc(self.signer)}</strong> with C2PA Content Credentials: the video "
                 "file carries a tamper-evident record of how it was made (check it with "
                 "<code>claimreel verify</code> or any Content Credentials viewer).</p>\n"]
        if self.synthetic:
            parts.append("<p>Synthetic voices:</p>\n" + items(self.synthetic))
        if self.captured:
            parts.append("<p>Recorded narration:</p>\n" + items(self.captured))
        parts.append("<p>Sources placed in the video:</p>\n" + items(self.sources) if self.sources
                     else "<p>No photos, clips or documents were placed in the video.</p>\n")
        return ('<details class="credentials" id="content-credentials">\n'
                '<summary>Content Credentials</summary>\n' + "".join(parts) + "</details>\n")
