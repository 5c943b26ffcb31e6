"""Text similarity for Chinese government prose: character-bigram TF-IDF and cosine, pure Python.

Plans at two levels say the same thing in different words (市 → 区, reordered clauses, added local
detail), and Chinese has no spaces to split words on. Character bigrams (行政, 政执, 执法 …) need no
dictionary and match reworded text well; TF-IDF over the texts being compared weights what sets a text
apart, and the bigrams that nearly every text of the genre uses (法治, 建设, 推进, 加强, 依法 …) are dropped
as stop-bigrams by their document frequency, so no hand-made list has to follow each region's style.

API::

    model = Similarity(corpus)            # the texts whose statistics to use (candidates and queries)
    model.score(a, b) -> float            # cosine in [0, 1]; 1.0: the same bigrams in the same proportion
    model.rank(query, candidates, limit)  # [(index into candidates, score)], best first, ties by index
    model.stop_bigrams                    # frozenset of bigrams dropped for being everywhere
    model.vector(text) -> dict[str, float]  # the unit-length TF-IDF weights (cached per text)
    bigrams(text) -> list[str]            # the tokens: bigrams within runs of letters, not across punctuation

Everything is deterministic: the same corpus and texts give the same scores, in the same order, on every run.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

# Runs of CJK ideographs, Latin letters and digits; punctuation and symbols separate runs (spaces are removed
# first), so a bigram never spans a comma or a bracket.
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z0-9]+")
# Full-width letters and digits (ＡＢ１２) are the same tokens as their ASCII forms.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF5B)}
# Spaces inside Chinese text are layout (a line wrapped in a PDF, an indented cell), not word breaks.
_SPACE = re.compile(r"\s+")

DEFAULT_STOP_SHARE = 0.3
DEFAULT_MIN_CORPUS = 10


def bigrams(text: str) -> list[str]:
    """Character bigrams of each run of letters (spaces ignored); a run of one character is its own token."""
    out: list[str] = []
    for run in _RUN.findall(_SPACE.sub("", text).translate(_FOLD).lower()):
        if len(run) == 1:
            out.append(run)
            continue
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


class Similarity:
    """TF-IDF cosine similarity whose document frequencies come from ``corpus``.

    ``stop_share``: a bigram found in more than this share of the corpus texts is a stop-bigram and carries no
    weight. It applies only from ``min_corpus`` texts upwards: in a handful of texts a shared bigram says more
    about the texts than about the genre. Texts outside the corpus may be scored too; their unseen bigrams get
    the weight of a bigram found in no text.
    """

    def __init__(
        self,
        corpus: Iterable[str],
        *,
        stop_share: float = DEFAULT_STOP_SHARE,
        min_corpus: int = DEFAULT_MIN_CORPUS,
    ) -> None:
        documents = [set(bigrams(text)) for text in corpus]
        self.size = len(documents)
        frequency: Counter[str] = Counter()
        for document in documents:
            frequency.update(document)
        self.document_frequency = frequency
        if self.size >= min_corpus:
            limit = stop_share * self.size
            self.stop_bigrams = frozenset(token for token, count in frequency.items() if count > limit)
        else:
            self.stop_bigrams = frozenset()
        self._cache: dict[str, dict[str, float]] = {}

    def idf(self, token: str) -> float:
        """Smoothed inverse document frequency: rare bigrams weigh more, none weighs nothing."""
        return math.log((1 + self.size) / (1 + self.document_frequency.get(token, 0))) + 1.0

    def vector(self, text: str) -> dict[str, float]:
        """The text's unit-length weights: sublinear term frequency × idf, stop-bigrams left out."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        counts = Counter(token for token in bigrams(text) if token not in self.stop_bigrams)
        weights = {
            token: (1.0 + math.log(count)) * self.idf(token) for token, count in sorted(counts.items())
        }
        norm = math.sqrt(math.fsum(w * w for w in weights.values()))
        vector = {token: w / norm for token, w in weights.items()} if norm else {}
        self._cache[text] = vector
        return vector

    def score(self, a: str, b: str) -> float:
        """Cosine of the two texts' vectors, in [0, 1]; 0.0 when either has no weighted bigram."""
        first, second = self.vector(a), self.vector(b)
        if len(second) < len(first):
            first, second = second, first
        total = math.fsum(weight * second[token] for token, weight in first.items() if token in second)
        return min(1.0, max(0.0, total))

    def rank(
        self, query: str, candidates: Sequence[str], limit: int | None = None
    ) -> list[tuple[int, float]]:
        """``(index, score)`` of the candidates, best first; equal scores keep the candidates' order."""
        scored = [(index, self.score(query, text)) for index, text in enumerate(candidates)]
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored if limit is None else scored[:limit]
