"""Attribution extraction: who said what."""

from arnews_nlp.quotes.extractor import QuoteExtractor

__all__ = ["QuoteExtractor"]
