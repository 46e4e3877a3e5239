"""The portal's one search (``/sok/``): what every app offers it through the registry
(``portal.searchable``, core/registry.py), in one list grouped by kind and ranked by relevance.

Only what a visitor may see is found: each kind names the queryset method its public pages use
(``visible="public"``), and the region's scoped managers keep other regions out. ``<field>_en`` is
searched beside each registered field wherever the model has one.

On PostgreSQL the words are matched by full-text search in the Swedish and the English configuration
over ``immutable_unaccent(lower(field))`` with prefixes ("kvinnojour" finds "Kvinnojouren"), and the
titles by trigram word similarity for typos ("kvinojouren"); diacritics never matter on either side
("roda korset" finds "Röda Korset"). On SQLite each word must occur in one of the folded fields
(``LIKE``), ranked by the weights of the fields it occurs in.

The package: ``folding`` (the accent- and case-folding on both databases), ``engine`` (a kind's
matching, filtered and ranked queryset, and the grouped results), ``forms`` (the GET form and its
checks), ``views`` (the cached page).
"""
