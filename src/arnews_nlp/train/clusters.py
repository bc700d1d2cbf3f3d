"""Build ``data/clusters.tsv.gz``: distributional word classes from unlabelled news.

Words used in the same contexts fall into the same class: first names with first names,
cities with cities. That lets the entity model generalise to names it never saw labelled.
Method (numpy/scipy): :func:`word_vectors` (PPMI over ±2 contexts, truncated SVD), then
k-means at several granularities. The same vectors initialise the neural model's word
embeddings.
"""

from __future__ import annotations

import collections
import gzip
from collections.abc import Iterable, Mapping, Sequence, Set
from pathlib import Path

import numpy as np
import regex

from arnews_nlp.text.clitics import proclitic_length, restore_article
from arnews_nlp.text.normalize import normalize

__all__ = ["build_clusters", "write_clusters"]

_WORD = regex.compile(r"[\p{Arabic}\p{M}\u0640]+|\p{N}+|[^\s\p{L}\p{M}\p{N}]")


class _Stemmer:
    def __init__(self, vocab: Mapping[str, int], names: Set[str]) -> None:
        self._vocab = vocab
        self._names = names
        self._cache: dict[str, str] = {}

    def __call__(self, text: str) -> list[str]:
        out = []
        for word in _WORD.findall(text):
            stem = self._cache.get(word)
            if stem is None:
                norm = normalize(word)
                if norm[:1].isdigit():
                    stem = "<num>"
                else:
                    cut = (
                        proclitic_length(norm, self._vocab, self._names)
                        if norm[:1].isalpha()
                        else 0
                    )
                    stem = restore_article(norm[cut:], norm[:cut], self._vocab)
                self._cache[word] = stem
            out.append(stem)
        return out


def word_vectors(
    texts: Iterable[str],
    vocab: Mapping[str, int],
    names: Set[str] = frozenset(),
    *,
    n_words: int = 40000,
    n_contexts: int = 2000,
    dims: int = 64,
    seed: int = 13,
) -> tuple[list[str], np.ndarray]:
    """Distributional vectors of the most frequent word stems (seen 5+ times): counts of
    the stems at ±1 and ±2 among the most frequent stems → positive PMI (context
    distribution smoothed with exponent 0.75) → truncated SVD → L2-normalised rows."""
    from scipy import sparse
    from scipy.sparse.linalg import svds

    stems = _Stemmer(vocab, names)
    sequences = [stems(text) for text in texts]
    counts: collections.Counter[str] = collections.Counter(w for seq in sequences for w in seq)
    words = [w for w, c in counts.most_common(n_words) if c >= 5]
    contexts = [w for w, _ in counts.most_common(n_contexts)]
    word_index = {w: i for i, w in enumerate(words)}
    context_index = {w: i for i, w in enumerate(contexts)}
    width = len(contexts)
    offsets = ((-1, 0), (1, width), (-2, 2 * width), (2, 3 * width))
    rows, cols = [], []
    for seq in sequences:
        for i, word in enumerate(seq):
            row = word_index.get(word)
            if row is None:
                continue
            for delta, shift in offsets:
                j = i + delta
                if 0 <= j < len(seq) and (col := context_index.get(seq[j])) is not None:
                    rows.append(row)
                    cols.append(col + shift)
    matrix = sparse.coo_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(words), 4 * width)
    ).tocsr()
    total = matrix.sum()
    row_sums = np.asarray(matrix.sum(axis=1)).ravel()
    col_sums = np.asarray(matrix.sum(axis=0)).ravel() ** 0.75
    col_sums /= col_sums.sum()
    coo = matrix.tocoo()
    pmi = np.log((coo.data / total) / ((row_sums[coo.row] / total) * col_sums[coo.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=matrix.shape)
    dims = min(dims, min(ppmi.shape) - 1)  # a tiny corpus supports fewer dimensions
    if dims < 1:
        raise ValueError(f"too little text for word vectors: {len(words)} frequent words")
    u, s, _ = svds(ppmi, k=dims, random_state=seed)
    vectors = u * np.sqrt(s)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    return words, vectors.astype(np.float32)


def skipgram_vectors(
    texts: Iterable[str],
    vocab: Mapping[str, int],
    names: Set[str] = frozenset(),
    *,
    n_words: int = 40000,
    dims: int = 64,
    epochs: int = 5,
    seed: int = 13,
) -> tuple[list[str], np.ndarray]:
    """Skip-gram word vectors (negative sampling, window 5) of the most frequent word
    stems, trained with gensim (the ``train`` extra); L2-normalised rows."""
    from gensim.models import Word2Vec

    stems = _Stemmer(vocab, names)
    sentences = [stems(text) for text in texts]
    model = Word2Vec(
        sentences,
        vector_size=dims,
        window=5,
        min_count=5,
        sg=1,
        negative=5,
        epochs=epochs,
        workers=2,
        seed=seed,
        max_final_vocab=n_words,
    )
    words = list(model.wv.index_to_key[:n_words])
    vectors = np.stack([model.wv[w] for w in words]).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    return words, vectors


def build_clusters(
    words: Sequence[str],
    vectors: np.ndarray,
    *,
    n_clusters: Sequence[int] = (100, 400, 1000),
    seed: int = 13,
) -> dict[str, tuple[int, ...]]:
    """Word → its k-means class at each granularity of ``n_clusters`` (coarse classes
    generalise, fine ones discriminate; the models weigh both)."""
    from scipy.cluster.vq import kmeans2

    columns = [kmeans2(vectors, k, minit="points", seed=seed, iter=20)[1] for k in n_clusters]
    return {word: tuple(int(column[i]) for column in columns) for i, word in enumerate(words)}


def write_clusters(clusters: dict[str, tuple[int, ...]], path: Path) -> int:
    """Write ``word<TAB>class<TAB>class...`` lines (one class per granularity)."""
    rows = sorted(clusters.items(), key=lambda item: (item[1], item[0]))
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        lines = (w + "".join(f"\t{c}" for c in classes) + "\n" for w, classes in rows)
        handle.write("".join(lines).encode("utf-8"))
    return len(rows)
