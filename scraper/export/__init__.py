"""What the archive is exported as beyond its own records: ``warc`` (the stored pages as a WARC 1.1)."""
