"""The social networks Canalyse knows: identifiers, display names, colours and the names users write."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Platform:
    id: str
    label: str
    colour: str
    aliases: tuple[str, ...]


# Brand colours where they stay distinguishable side by side: LinkedIn takes its dark navy so it
# does not merge with Facebook's blue, Bluesky a light sky blue, TikTok its teal, Threads a grey.
PLATFORMS: dict[str, Platform] = {
    p.id: p
    for p in (
        Platform(
            "facebook", "Facebook", "#1877F2", ("facebook", "fb", "meta facebook", "face book")
        ),
        Platform("instagram", "Instagram", "#D62976", ("instagram", "insta", "ig")),
        Platform("linkedin", "LinkedIn", "#0A3D6B", ("linkedin", "linked in", "li")),
        Platform("x", "X", "#111111", ("x", "twitter", "x twitter", "tweeter")),
        Platform("youtube", "YouTube", "#FF0000", ("youtube", "you tube", "yt")),
        Platform("tiktok", "TikTok", "#00A3A3", ("tiktok", "tik tok")),
        Platform("bluesky", "Bluesky", "#6CB4FF", ("bluesky", "blue sky", "bsky")),
        Platform("mastodon", "Mastodon", "#6364FF", ("mastodon", "masto")),
        Platform("threads", "Threads", "#8A8A8A", ("threads",)),
        Platform("pinterest", "Pinterest", "#B7081B", ("pinterest",)),
        Platform("snapchat", "Snapchat", "#E6C700", ("snapchat", "snap")),
        Platform("whatsapp", "WhatsApp", "#25D366", ("whatsapp", "whats app")),
        Platform("twitch", "Twitch", "#9146FF", ("twitch",)),
    )
}

FALLBACK_COLOUR = "#B0B0B0"

# The networks whose public posts Canalyse reads itself (`canalyse.importing.fetch`).
FETCHABLE = ("bluesky", "mastodon")

_ALIASES = {alias: p.id for p in PLATFORMS.values() for alias in p.aliases}


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse punctuation to single spaces ("Réseau social" → "reseau social")."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def normalise_platform(name: object) -> str | None:
    """Map what a user wrote ("Twitter", "X (ex-Twitter)", "FB", "Page Facebook") to a platform id, or None."""
    if name is None:
        return None
    folded = fold(str(name))
    if not folded:
        return None
    if folded in _ALIASES:
        return _ALIASES[folded]
    without_brackets = fold(re.sub(r"\(.*?\)", " ", str(name)))
    if without_brackets in _ALIASES:
        return _ALIASES[without_brackets]
    # "Page Facebook de la ville", "Compte Instagram": exactly one known name among the words.
    words = folded.split()
    found = {
        _ALIASES[" ".join(words[i : i + n])]
        for n in (2, 1)
        for i in range(len(words) - n + 1)
        if len(" ".join(words[i : i + n])) > 2 and " ".join(words[i : i + n]) in _ALIASES
    }
    return found.pop() if len(found) == 1 else None


def label(platform_id: str) -> str:
    """Display name of a platform id; unknown ids are shown as given."""
    platform = PLATFORMS.get(platform_id)
    return platform.label if platform else platform_id


def colour(platform_id: str) -> str:
    """Chart colour of a platform id."""
    platform = PLATFORMS.get(platform_id)
    return platform.colour if platform else FALLBACK_COLOUR
