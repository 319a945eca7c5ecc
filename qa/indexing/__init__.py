"""The index: embeddings and BM25 over chunks on disk, kept up to date with the corpus, uploads and
Ofsted's site."""
