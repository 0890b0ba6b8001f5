"""Rules NC4xx: resolution (full, short, ibid, declared abbreviations, cross-references)."""
