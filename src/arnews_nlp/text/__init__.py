"""Tokenisation, proclitics, normalisation and sentence splitting (offset-preserving)."""

from arnews_nlp.text.normalize import normalize
from arnews_nlp.text.sentences import SentenceSplitter
from arnews_nlp.text.tokenizer import Tokenizer

__all__ = ["SentenceSplitter", "Tokenizer", "normalize"]
