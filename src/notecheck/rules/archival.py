"""Rules NC5xx: archival references (format, house style, OCR damage, files)."""
