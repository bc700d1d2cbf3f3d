"""Training commands that produce the package data (never imported by ``analyze``).

    python -m arnews_nlp.train vocab --corpus ../shared/data/ant-corpus-v1.1 ...
    python -m arnews_nlp.train ner --train ../shared/data/anercorp-camellab-splits/...train...

See ``docs/model.md`` for the exact commands behind the shipped model.
"""
