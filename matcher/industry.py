"""The industry scorer: a scikit-learn estimator that ranks taxonomy nodes for profile texts.

Features per (profile, node) pair: TF-IDF cosine over words and over character n-grams against
the node's document (its names, bilingual keywords, its descendants' terms and the plans'
evidence phrases), plus exact-term evidence (names, keywords, descendants' terms). A logistic
regression learned on pseudo-profiles generated from the taxonomy turns them into a probability.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from matcher.terms import KEYWORD, NAME, Hit, TermIndex
from matcher.text import Tokenizer, normalize
from taxonomy import Taxonomy

FEATURES = ("cos_word", "cos_char", "name_hit", "keyword_hits", "descendant_hits", "hit_share",
            "matched_chars", "is_sector", "is_industry", "any_hit", "fuzzy_own", "fuzzy_below")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_EN = re.compile(r"[a-z0-9][a-z0-9+]*")
VARIANTS = Path(__file__).resolve().parent / "data" / "zh_variants.txt"


def read_variants(path: str | Path = VARIANTS) -> dict[str, str]:
    """Taiwan / Hong Kong industry wording -> the mainland term (data/zh_variants.txt)."""
    pairs = {}
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                variant, mainland = line.rstrip("\n").split("\t")
                pairs[normalize(variant)] = normalize(mainland)
    return pairs


class Wording:
    """Rewrites regional wording into the mainland terms the taxonomy uses (晶片 -> 芯片,
    人工智慧 -> 人工智能), longest variant first, each place once."""

    def __init__(self, pairs: dict[str, str]):
        self.pairs = dict(pairs)
        alternatives = sorted(self.pairs, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, alternatives))) if alternatives else None

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self.pairs[m.group()], text)


def _identity(tokens):
    return tokens


def term_grams(text: str) -> list[str]:
    """Character 2-3-grams of Chinese runs and stemmed English words and word pairs."""
    from matcher.text import EN_STOPWORDS, stem

    grams: list[str] = []
    for run in _CJK_RUN.findall(text):
        grams += [run[i:i + 2] for i in range(len(run) - 1)]
        grams += [run[i:i + 3] for i in range(len(run) - 2)]
    words = [stem(w) for w in _EN.findall(text) if w not in EN_STOPWORDS and not w.isdigit()]
    grams += words
    grams += [f"{a} {b}" for a, b in itertools.pairwise(words)]
    return grams


def lean_transform(vectorizer, docs) -> sparse.csr_matrix:
    """`vectorizer.transform(docs)` for a fitted Count/TfidfVectorizer, without the per-call
    validation overhead that dominates when scoring one profile at a time. Same result."""
    analyze = vectorizer.__dict__.get("_lean_analyzer")
    if analyze is None:
        analyze = vectorizer.build_analyzer()
        vectorizer.__dict__["_lean_analyzer"] = analyze
    vocab = vectorizer.vocabulary_
    binary = getattr(vectorizer, "binary", False)
    indptr, indices, values = [0], [], []
    lookup = vocab.get
    for doc in docs:
        counts = Counter(map(lookup, analyze(doc)))  # in the order features first occur
        counts.pop(None, None)
        indices.extend(counts)
        values.extend(counts.values())
        indptr.append(len(indices))
    X = sparse.csr_matrix((np.asarray(values, dtype=np.float64),
                           np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int32)),
                          shape=(len(docs), len(vocab)))
    if binary:
        X.data[:] = 1.0
    if not isinstance(vectorizer, TfidfVectorizer):
        return X
    if vectorizer.sublinear_tf:
        np.log(X.data, out=X.data)
        X.data += 1.0
    if vectorizer.use_idf:
        X.data *= vectorizer.idf_[X.indices]
    if vectorizer.norm == "l2":
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        norms[norms == 0.0] = 1.0
        X.data /= np.repeat(norms, np.diff(X.indptr))
    return X


def all_terms(node) -> list[str]:
    names, keywords = node_terms(node)
    return names + keywords


def node_terms(node) -> tuple[list[str], list[str]]:
    """(names, keywords) of one node, both languages."""
    names = [node.name_zh, node.name_en, *node.aliases_zh, *node.aliases_en]
    keywords = [*node.keywords_zh, *node.keywords_en]
    return names, keywords


class IndustryScorer(BaseEstimator):
    """Scores every industry node of a taxonomy for each text. `fit(taxonomy)` returns self."""

    def __init__(self, C: float = 1.0, char_ngram_range: tuple[int, int] = (1, 3),
                 examples_per_node: int = 14, random_state: int = 0):
        self.C = C
        self.char_ngram_range = char_ngram_range
        self.examples_per_node = examples_per_node
        self.random_state = random_state

    # ---- fitting -------------------------------------------------------------------------
    def fit(self, taxonomy: Taxonomy, texts=None, labels=None, scope_corpus=None):
        """Learn from the taxonomy (and optional labelled texts with lists of node ids); learn
        the business-scope boilerplate from `scope_corpus` (default: the shipped corpus)."""
        from matcher.scope import BoilerplateModel, read_corpus
        from matcher.training import pseudo_profiles

        self.boilerplate_ = BoilerplateModel().fit(
            read_corpus() if scope_corpus is None else scope_corpus)
        self.wording_ = Wording(read_variants())
        nodes = list(taxonomy.industries)
        self.taxonomy_version_ = taxonomy.version
        self.node_ids_ = [n.id for n in nodes]
        index = {nid: i for i, nid in enumerate(self.node_ids_)}
        self.level_ = np.array([n.level for n in nodes])
        self.ancestors_ = [[index[a.id] for a in taxonomy.ancestors(n.id)] for n in nodes]
        self.descendants_ = [[] for _ in nodes]
        for i, anc in enumerate(self.ancestors_):
            for a in anc:
                self.descendants_[a].append(i)

        self.custom_words_ = sorted({t for n in nodes for t in all_terms(n)})
        self.terms_ = TermIndex()
        for i, n in enumerate(nodes):
            names, keywords = node_terms(n)
            for t in names:
                self.terms_.add(t, i, NAME)
            for t in keywords:
                self.terms_.add(t, i, KEYWORD)

        docs = []
        for i, n in enumerate(nodes):
            names, keywords = node_terms(n)
            own = names * 2 + keywords + [s.evidence for s in n.sources]
            below = [t for d in self.descendants_[i] for t in all_terms(nodes[d])]
            docs.append(normalize(" ".join(own + below)))
        self.word_vectorizer_ = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
        self.node_word_ = self.word_vectorizer_.fit_transform(
            [self._tokenizer().words(d) for d in docs]).T.tocsr()
        self.char_vectorizer_ = TfidfVectorizer(analyzer="char", ngram_range=self.char_ngram_range,
                                                sublinear_tf=True, min_df=1)
        self.node_char_ = self.char_vectorizer_.fit_transform(docs).T.tocsr()

        term_texts, term_nodes = [], []
        for i, n in enumerate(nodes):
            for t in all_terms(n):
                t = normalize(t)
                if len(term_grams(t)) >= 2:
                    term_texts.append(t)
                    term_nodes.append(i)
        self.gram_vectorizer_ = CountVectorizer(analyzer=term_grams, binary=True)
        T = self.gram_vectorizer_.fit_transform(term_texts).astype(np.float32).tocsr()
        sizes = np.asarray(T.sum(axis=1)).ravel()
        weight = np.minimum(1.0, sizes / 4.0)  # a term of few grams is weak fuzzy evidence
        self.term_matrix_ = sparse.diags((weight / np.maximum(sizes, 1)).astype(np.float32)) @ T
        self.term_matrix_ = self.term_matrix_.T.tocsr()
        self.term_node_ = np.array(term_nodes)
        order = np.argsort(self.term_node_, kind="stable")
        self.term_order_ = order
        self.term_starts_ = np.searchsorted(self.term_node_[order], np.arange(len(nodes)))
        self.has_terms_ = np.isin(np.arange(len(nodes)), self.term_node_)
        self.bottom_up_ = sorted(range(len(nodes)), key=lambda i: -len(self.ancestors_[i]))

        gen_texts, gen_labels = pseudo_profiles(taxonomy, self.examples_per_node, self.random_state,
                                                scope_model=self.boilerplate_)
        if texts is not None:
            gen_texts = [*gen_texts, *texts]
            gen_labels = [*gen_labels, *labels]
        X = self._features([normalize(t) for t in gen_texts])
        y = np.zeros(X.shape[:2], dtype=np.int8)
        for r, ids in enumerate(gen_labels):
            for nid in ids:
                if nid in index:
                    i = index[nid]
                    y[r, i] = 1
                    y[r, self.ancestors_[i]] = 1
        self.classifier_ = LogisticRegression(C=self.C, max_iter=2000)
        self.classifier_.fit(X.reshape(-1, X.shape[2]), y.ravel())
        return self

    # ---- tokenizer is rebuilt after unpickling (the segmenter itself is not picklable) ----
    def _tokenizer(self) -> Tokenizer:
        tok = self.__dict__.get("_tok")
        if tok is None:
            tok = Tokenizer(self.custom_words_)
            self.__dict__["_tok"] = tok
        return tok

    def __getstate__(self):
        state = dict(self.__dict__)
        for transient in ("_tok", "_word_cache", "_vocab_list", "_node_word_t", "_levels_cache",
                          "_terms_by_node"):
            state.pop(transient, None)
        return state

    # ---- scoring -------------------------------------------------------------------------
    def focus(self, text: str) -> str:
        """The text to score: regional wording in the taxonomy's mainland terms, a business
        scope without its boilerplate items (see scope.py)."""
        wording = self.__dict__.get("wording_")
        if wording is not None:
            text = wording(text)
        model = self.__dict__.get("boilerplate_")
        return model.focus(text) if model is not None else text

    def hits(self, text: str) -> list[Hit]:
        return self.terms_.find(text)

    def _features(self, texts: list[str], hits: list[list[Hit]] | None = None) -> np.ndarray:
        n_rows, n_nodes = len(texts), len(self.node_ids_)
        tok = self._tokenizer()
        W = lean_transform(self.word_vectorizer_, [tok.words(t) for t in texts])
        C = lean_transform(self.char_vectorizer_, texts)
        X = np.zeros((n_rows, n_nodes, len(FEATURES)), dtype=np.float32)
        X[:, :, 0] = (W @ self.node_word_).toarray() if sparse.issparse(W) else W @ self.node_word_
        X[:, :, 1] = (C @ self.node_char_).toarray()
        X[:, :, 7] = self.level_ == "sector"
        X[:, :, 8] = self.level_ == "industry"
        self._fuzzy(texts, X)
        if hits is None:
            hits = [self.hits(t) for t in texts]
        for r, row_hits in enumerate(hits):
            if not row_hits:
                continue
            X[r, :, 9] = 1.0
            own_kw: dict[int, set] = {}
            below: dict[int, set] = {}
            chars: dict[int, int] = {}
            for h in row_hits:
                if h.kind == NAME:
                    X[r, h.node, 2] = 1.0
                else:
                    own_kw.setdefault(h.node, set()).add(h.term)
                for node in (h.node, *self.ancestors_[h.node]):
                    chars[node] = chars.get(node, 0) + len(h.term)
                for a in self.ancestors_[h.node]:
                    below.setdefault(a, set()).add(h.term)
            total = len({h.term for h in row_hits})
            for node, terms in own_kw.items():
                X[r, node, 3] = np.log1p(len(terms))
            for node, terms in below.items():
                X[r, node, 4] = np.log1p(len(terms))
            for node, n in chars.items():
                X[r, node, 6] = np.log1p(n / 4)
            covered: dict[int, set] = {}
            for h in row_hits:
                for node in (h.node, *self.ancestors_[h.node]):
                    covered.setdefault(node, set()).add(h.term)
            for node, terms in covered.items():
                X[r, node, 5] = len(terms) / total
        return X

    def _fuzzy(self, texts: list[str], X: np.ndarray) -> None:
        """fuzzy_own: best coverage of one of the node's own terms; fuzzy_below: of its subtree."""
        Q = lean_transform(self.gram_vectorizer_, texts).astype(np.float32)
        sorted_terms = self.__dict__.get("_terms_by_node")
        if sorted_terms is None:  # the term columns grouped by node, once per process
            sorted_terms = self.__dict__["_terms_by_node"] = self.term_matrix_[:, self.term_order_].tocsr()
        cover = (Q @ sorted_terms).toarray()
        n_nodes = len(self.node_ids_)
        own = np.zeros((len(texts), n_nodes), dtype=np.float32)
        nonempty = np.flatnonzero(self.has_terms_)
        if cover.shape[1]:
            own[:, nonempty] = np.maximum.reduceat(cover, self.term_starts_[nonempty], axis=1)
        below_t = np.zeros((n_nodes, len(texts)), dtype=np.float32)
        own_t = own.T
        for children, parents in self._levels():  # deepest level first
            np.maximum.at(below_t, parents, np.maximum(own_t[children], below_t[children]))
        below = below_t.T
        X[:, :, 10] = own
        X[:, :, 11] = below

    def _levels(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """(children, their parents) per tree depth, deepest first, for bottom-up maxima."""
        levels = self.__dict__.get("_levels_cache")
        if levels is None:
            by_depth: dict[int, list[int]] = {}
            for i, anc in enumerate(self.ancestors_):
                if anc:
                    by_depth.setdefault(len(anc), []).append(i)
            levels = [(np.array(nodes), np.array([self.ancestors_[i][-1] for i in nodes]))
                      for _depth, nodes in sorted(by_depth.items(), reverse=True)]
            self.__dict__["_levels_cache"] = levels
        return levels

    def predict_proba(self, texts: list[str], hits: list[list[Hit]] | None = None) -> np.ndarray:
        """Probability that each node fits each (normalised) text: shape (rows, nodes)."""
        X = self._features(texts, hits)
        w = self.classifier_.coef_.ravel().astype(np.float32)
        z = (X.reshape(-1, X.shape[2]) @ w).reshape(X.shape[:2])  # one BLAS matrix-vector product
        z += np.float32(self.classifier_.intercept_[0])
        return 1.0 / (1.0 + np.exp(-z))

    def shared_words(self, text: str, node: int, limit: int = 5) -> list[str]:
        """Words a text shares with a node's document, most weighted first (for explanations)."""
        weights = self._node_words(node)
        scored = {(weights[t], t) for t in self._tokenizer().words(text) if t in weights}
        return [t for _, t in sorted(scored, reverse=True)[:limit]]

    def _node_words(self, node: int) -> dict[str, float]:
        """The node's document as {word: tf-idf weight}, built once per node."""
        cache = self.__dict__.setdefault("_word_cache", {})
        if node not in cache:
            if "_vocab_list" not in self.__dict__:
                vocab = self.word_vectorizer_.vocabulary_
                names = [""] * len(vocab)
                for word, j in vocab.items():
                    names[j] = word
                self.__dict__["_vocab_list"] = names
                self.__dict__["_node_word_t"] = self.node_word_.T.tocsr()
            row = self.__dict__["_node_word_t"][node]
            names = self.__dict__["_vocab_list"]
            cache[node] = {names[j]: float(w) for j, w in zip(row.indices, row.data, strict=True)}
        return cache[node]
