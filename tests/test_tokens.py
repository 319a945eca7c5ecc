from qa.reports.tokens import load_encoding


def test_cl100k_matches_published_token_ids():
    encoding = load_encoding("cl100k_base")
    assert encoding.encode("hello world") == [15339, 1917]
    assert encoding.n_vocab == 100277
    assert encoding.decode(encoding.encode("Children’s services — 2024")) == "Children’s services — 2024"


def test_encoding_is_a_real_tiktoken_encoding():
    import tiktoken

    assert isinstance(load_encoding("cl100k_base"), tiktoken.Encoding)
