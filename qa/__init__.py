"""qa: extractive, cited question answering over Ofsted children's-services reports."""
