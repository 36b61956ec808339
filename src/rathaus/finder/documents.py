"""What a service gives the index: its texts as index words, field by field.

The definition is the source where there is one (the authority's adopted one included,
catalog.registry); a Service row without a definition in this installation gives its
own title, summary and keywords.
"""

from dataclasses import dataclass

from rathaus.catalog.models import Service

from .normalisation import words

# Between the keyword phrases in SearchEntry.keywords: no index word contains it.
PHRASE_SEPARATOR = " | "


@dataclass(frozen=True)
class ServiceText:
    """A service's index words by field, each field in its order."""

    title: tuple[str, ...]
    keywords: tuple[tuple[str, ...], ...]  # phrases, the most telling first
    summary: tuple[str, ...]
    description: tuple[str, ...]

    @property
    def vocabulary(self) -> set[str]:
        """The words typos and compounds are matched against: the short fields, where a
        citizen's word is worth finding (a description has many words no one looks for)."""
        return {*self.title, *(word for phrase in self.keywords for word in phrase),
                *self.summary}


def service_text(service: Service) -> ServiceText:
    found = service.definition
    if found is None:
        return ServiceText(
            title=tuple(words(service.title)),
            keywords=tuple((word,) for word in words(service.keywords)),
            summary=tuple(words(service.summary)),
            description=(),
        )
    # The English title as the last keyword: the English pages search the same index.
    phrases = [*found.keywords, found.title.get("en", ""), found.leika]
    return ServiceText(
        title=tuple(words(found.title["de"])),
        keywords=tuple(phrase for phrase in (tuple(words(text)) for text in phrases) if phrase),
        summary=tuple(words(found.summary["de"])),
        # The life events' keys are German words ("umzug", "geburt"): a citizen naming
        # the event finds its services, below those that name it themselves.
        description=tuple(words(" ".join([(found.description or {}).get("de", ""),
                                          *found.life_events]))),
    )
