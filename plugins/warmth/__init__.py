"""送温暖 hardship aid plugin: archives, eligibility, review and visits for needy workers.

The eligibility engine (``plugins.warmth.eligibility``) and its regional thresholds
(``plugins.warmth.thresholds``) are pure Python: no database, no Flask.
"""
