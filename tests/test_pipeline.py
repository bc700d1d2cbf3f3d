from __future__ import annotations

import threading

import pytest

import arnews_nlp
from arnews_nlp import Pipeline

TEXTS = [f"قال المتحدث إن الجولة رقم {i} انتهت في الدوحة." for i in range(12)]


def test_analyze_and_pipeline_agree(nlp: Pipeline) -> None:
    assert arnews_nlp.analyze(TEXTS[0]) == nlp(TEXTS[0])


def test_pipe_preserves_order(nlp: Pipeline) -> None:
    docs = list(nlp.pipe(TEXTS, batch_size=5))
    assert [d.text for d in docs] == TEXTS


VARIED = [
    "وقال الرئيس الأمريكي جو بايدن للصحفيين في البيت الأبيض إن الاتفاق قريب.",
    "غزة",
    "",
    "التقى أمير قطر الشيخ تميم بن حمد آل ثاني. وبحث مع السيسي الوضع في غزة.\n\nنقلت وكالة رويترز عن مصدر قوله إن حماس وافقت.",
    "CNN reported that Biden met Sisi. " * 3,
    "الأمم المتحدة " * 200,  # one sentence longer than the network's sequence limit
    "وأضاف: «لن نتراجع».",
]


def test_pipe_batches_give_the_same_documents_as_one_text_at_a_time(nlp: Pipeline) -> None:
    # pipe() runs the sentences of a whole batch through the network together
    one_by_one = [nlp(text) for text in VARIED]
    assert list(nlp.pipe(VARIED, batch_size=len(VARIED))) == one_by_one
    assert list(nlp.pipe(VARIED * 3, batch_size=4)) == one_by_one * 3


def test_pipe_carries_context() -> None:
    pairs = [(text, {"id": i}) for i, text in enumerate(TEXTS)]
    out = list(arnews_nlp.pipe(pairs, as_tuples=True))
    assert [ctx["id"] for _, ctx in out] == list(range(len(TEXTS)))
    assert all(doc.text == TEXTS[ctx["id"]] for doc, ctx in out)


def test_pipe_with_two_processes_equals_one(nlp: Pipeline) -> None:
    pairs = [(text, i) for i, text in enumerate(TEXTS)]
    parallel = list(nlp.pipe(pairs, n_process=2, batch_size=3, as_tuples=True))
    assert [ctx for _, ctx in parallel] == list(range(len(TEXTS)))
    assert [doc for doc, _ in parallel] == [nlp(t) for t in TEXTS]


def test_pipe_is_lazy(nlp: Pipeline) -> None:
    # it reads one batch ahead, never the whole stream
    def texts():
        yield from TEXTS[:2]
        raise RuntimeError("consumed too far")

    stream = nlp.pipe(texts(), batch_size=2)
    assert next(stream).text == TEXTS[0]
    assert next(stream).text == TEXTS[1]


def test_options_select_stages() -> None:
    doc = arnews_nlp.analyze("زار بايدن القاهرة.", ner=None, quotes=False)
    assert doc.entities == ()
    assert doc.quotes == ()
    assert [c.name for c in doc.meta.components] == ["regex_tokenizer", "rule_sentences"]


def test_shared_pipeline_is_thread_safe(nlp: Pipeline) -> None:
    expected = [nlp(t) for t in TEXTS]
    results: dict[int, list[arnews_nlp.Document]] = {}

    def work(k: int) -> None:
        results[k] = [nlp(t) for t in TEXTS]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(results[k] == expected for k in range(4))


def test_one_bad_record_among_ten_thousand_loses_nothing_else() -> None:
    nlp = Pipeline(ner=None, quotes=False)
    texts: list[object] = [f"خبر رقم {i}" for i in range(10_000)]
    texts[4321] = None
    kept = list(nlp.pipe(texts, on_error="skip"))
    assert len(kept) == 9_999
    assert [d.text for d in kept] == [t for t in texts if t is not None]
    recorded = list(nlp.pipe(texts, on_error="record"))
    assert len(recorded) == 10_000
    assert recorded[4321].text == ""
    assert "text must be str" in recorded[4321].meta.notes[0]


def test_raise_is_the_default() -> None:
    with pytest.raises(arnews_nlp.InputTypeError):
        list(arnews_nlp.pipe(["نعم", b"bytes"], ner=None))


def test_skip_keeps_contexts_in_step() -> None:
    pairs = [("نعم", "a"), (None, "b"), ("لا", "c")]
    out = list(arnews_nlp.pipe(pairs, as_tuples=True, on_error="skip", ner=None))
    assert [(d.text, ctx) for d, ctx in out] == [("نعم", "a"), ("لا", "c")]


def test_record_in_worker_processes(nlp: Pipeline) -> None:
    texts = ["وصل الوفد.", None, "غادر الوفد."]
    out = list(nlp.pipe(texts, n_process=2, batch_size=1, on_error="record"))
    assert [d.text for d in out] == ["وصل الوفد.", "", "غادر الوفد."]
    assert "InputTypeError" in out[1].meta.notes[0]


def test_bad_on_error_value() -> None:
    with pytest.raises(arnews_nlp.ConfigError, match="on_error must be"):
        list(arnews_nlp.pipe(["نعم"], on_error="ignore"))
