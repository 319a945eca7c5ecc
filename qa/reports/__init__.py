"""Reading reports: files to clean text with its layout, pages and sentences, then token-bounded chunks."""
