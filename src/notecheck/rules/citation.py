"""Rules NC3xx: citation form (page ranges, punctuation, OCR-damaged ibid)."""
