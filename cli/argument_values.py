"""Checks of bot.py's argument values, each failing with a one-line message argparse prints."""

import argparse


def worker_count(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 10_000:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 10000, got {value!r}")
    return int(value)


def shards(value: str) -> tuple[tuple[int, ...], int]:
    """`--shards 0,1/4`: (shard ids, shard count)."""
    ids, _, count = value.partition("/")
    try:
        shard_ids, shard_count = tuple(int(i) for i in ids.split(",")), int(count)
    except ValueError:
        raise argparse.ArgumentTypeError(f"give shard ids and the count as 0,1/4, got {value!r}") from None
    distinct = len(set(shard_ids)) == len(shard_ids)
    if shard_count < 1 or not distinct or not all(0 <= i < shard_count for i in shard_ids):
        raise argparse.ArgumentTypeError(f"shards are numbered 0 to COUNT-1, each once, got {value!r}")
    return shard_ids, shard_count


def passage_count(value: str) -> int:
    number = int(value) if value.isdigit() else 0
    if not 1 <= number <= 25:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 25, got {value!r}")
    return number
