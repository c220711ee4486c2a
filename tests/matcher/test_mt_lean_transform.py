"""The lean transform used for speed gives exactly what scikit-learn's transform gives."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from matcher.industry import lean_transform, term_grams

DOCS = ["集成电路设计与制造", "lithium-ion battery packs for ships", "医疗器械 研发 生产", "", "芯片 chip 芯片"]
NEW = ["集成电路封装测试", "battery battery cathode", "完全无关的文字", "", "GPU 芯片设计"]


@pytest.mark.parametrize("vectorizer", [
    TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
    TfidfVectorizer(analyzer="char", ngram_range=(2, 3)),
    CountVectorizer(analyzer=term_grams, binary=True),
], ids=["tfidf-char-sublinear", "tfidf-char", "count-binary"])
def test_lean_transform_equals_sklearn(vectorizer):
    vectorizer.fit(DOCS)
    expected = vectorizer.transform(NEW).toarray()
    got = lean_transform(vectorizer, NEW).toarray()
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-9)
