"""Rules NC2xx: the bibliography (parse failures, fields, duplicates, unused entries)."""
