"""Entity tagging: the default offline model, gazetteers, document consistency."""

from arnews_nlp.entities.tagger import DefaultTagger

__all__ = ["DefaultTagger"]
