"""Named random streams, one per source of randomness, per replication.

Every stream is a :class:`numpy.random.Generator` seeded by
``SeedSequence(seed, spawn_key=(replication, crc32(name)))``: the stream is
chosen by *name*, so adding a stream never shifts the others, and replication
``r`` uses the same streams at every scenario point (common random numbers).
The global ``random`` and ``np.random`` states are never touched.

The streams the model uses: ``arrivals``, ``stays``, ``propensity``,
``prep_need``, ``conversation_need``, ``attendance``, ``confirmation``,
``punctuality``, ``prefill``, ``absence/{caseworker}`` (one per caseworker)
and ``bookings/{citizen}/{n}`` (a citizen whose first 12 booking draws are
used up).

Draws are taken in blocks and handed out one at a time, which keeps the
per-event cost low; the i-th draw of a stream is the same whatever the block
size.
"""

from __future__ import annotations

import math
import zlib
from array import array
from itertools import chain, islice

import numpy as np
from scipy import stats

from ..errors import JobsimError

_BLOCK = 1024


def seed_sequence(seed: int, replication: int, name: str) -> np.random.SeedSequence:
    """The seed sequence of stream ``name`` in replication ``replication``."""
    for name_, value in (("seed", seed), ("replication", replication)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise JobsimError(f"{name_}: {value!r} is not a non-negative integer")
    return np.random.SeedSequence(int(seed), spawn_key=(int(replication), zlib.crc32(name.encode())))


def generator(seed: int, replication: int, name: str) -> np.random.Generator:
    """A fresh generator for stream ``name`` (PCG64)."""
    return np.random.Generator(np.random.PCG64(seed_sequence(seed, replication, name)))


class Stream:
    """Hands out draws of one distribution from one named generator, a block at a time.

    ``draw`` is a function ``(generator, size) -> ndarray``. ``stream()`` or
    ``stream.next()`` is the next draw (``next`` is the iterator's own
    ``__next__``, a call into C: the model's hot paths use it); ``take(n)``
    the next ``n`` as a list.
    """

    __slots__ = ("_it", "next")

    def __init__(self, rng: np.random.Generator, draw):
        self._it = chain.from_iterable(_blocks(rng, draw))
        self.next = self._it.__next__

    def take(self, n: int) -> list[float]:
        """The next ``n`` draws, as a list."""
        return list(islice(self._it, n))

    def __call__(self) -> float:
        return self.next()


class DrawRows:
    """Rows of draws from several streams at once: row ``i`` holds the ``i``-th ``width`` draws of each of the
    ``m`` streams, interleaved (the ``j``-th draw of every stream, then the ``j + 1``-th: element
    ``m * j + s`` is stream ``s``'s ``j``-th), as one ``array('d')``. ``streams`` is a list of
    ``(generator, draw)``.

    The model gives each citizen one row when they are admitted (their attendance, confirmation and
    punctuality draws): one slice, plain doubles, no Python object per draw, and the draws one booking uses
    side by side in memory. The draws are those the streams would hand out one at a time (:class:`Stream`),
    whatever the block size.
    """

    __slots__ = ("_streams", "_width", "_row", "_buf", "_i")

    def __init__(self, streams, width: int):
        self._streams = streams
        self._width = width
        self._row = width * len(streams)
        self._buf = array("d")
        self._i = 0

    def take(self) -> array:
        """The next row (``width`` draws of each stream, interleaved)."""
        i = self._i
        row = self._row
        if i + row > len(self._buf):
            rows = max(1, _BLOCK // self._width)
            width = self._width
            block = np.stack([np.asarray(draw(rng, rows * width), dtype=np.float64).reshape(rows, width)
                              for rng, draw in self._streams], axis=-1)   # rows x width x streams
            self._buf = array("d", np.ascontiguousarray(block).tobytes())
            i = 0
        self._i = i + row
        return self._buf[i:i + row]


class BookingDraws:
    """Each citizen's random numbers for their bookings: per booking an attendance uniform, a confirmation
    uniform and a punctuality standard normal. A citizen's first :attr:`PER_CITIZEN` bookings' numbers are
    drawn when they are admitted (:meth:`for_citizen`, from the ``attendance``, ``confirmation`` and
    ``punctuality`` streams), so each citizen's bookings use the same numbers whatever happens to other
    citizens (common random numbers); a citizen with more bookings draws further ones from a stream of their
    own, ``bookings/{citizen}/{n}`` (``n``: conversations held and missed so far).

    Speed part, labelled: a citizen's numbers are one ``array('d')`` (``citizen.draws``), a booking's three
    side by side, used from the end: no Python object per draw. The layout is private to this class.
    """

    PER_CITIZEN = 12

    __slots__ = ("seed", "replication", "_rows")

    def __init__(self, seed: int, replication: int):
        self.seed = seed
        self.replication = replication
        self._rows = DrawRows([(generator(seed, replication, "attendance"), uniform),
                               (generator(seed, replication, "confirmation"), uniform),
                               (generator(seed, replication, "punctuality"), normal)], self.PER_CITIZEN).take

    def for_citizen(self) -> array:
        """The numbers of a newly admitted citizen's first :attr:`PER_CITIZEN` bookings."""
        return self._rows()

    def next(self, citizen) -> tuple[float, float, float]:
        """The citizen's next booking's (attendance uniform, confirmation uniform, punctuality standard
        normal)."""
        per = self.PER_CITIZEN
        draws = citizen.draws
        n = citizen.draws_used
        if draws is None or n >= per:
            draws = citizen.draws = self._more(citizen)
            n = 0
        citizen.draws_used = n + 1
        i = 3 * (per - 1 - n)    # used from the end, three per booking
        return draws[i], draws[i + 1], draws[i + 2]

    def _more(self, citizen) -> array:
        rng = generator(self.seed, self.replication, f"bookings/{citizen.id}/{citizen.held + citizen.noshows}")
        k = self.PER_CITIZEN
        return array("d", np.stack([rng.random(k), rng.random(k), rng.standard_normal(k)], axis=-1).tobytes())


def _blocks(rng: np.random.Generator, draw):
    """Blocks of ``_BLOCK`` draws, as lists, for as long as they are asked for."""
    while True:
        yield draw(rng, _BLOCK).tolist()


def uniform(rng, size):
    return rng.random(size)


def normal(rng, size):
    return rng.standard_normal(size)


def exponential(rng, size):
    return rng.standard_exponential(size)


def lognormal_stream(make, name: str, mean: float, cv: float):
    """A stream of lognormal needs with the given mean (minutes) and coefficient of variation."""
    if cv <= 0 or mean <= 0:
        return lambda: mean
    sigma = math.sqrt(math.log1p(cv * cv))
    mu = math.log(mean) - sigma * sigma / 2
    return make(name, lambda rng, n: np.exp(mu + sigma * rng.standard_normal(n)))


def propensity_stream(make, name: str, p: float, spread: float, sms: float):
    """A stream of no-show propensities: Beta with mean ``p`` and sd ``spread``, times ``sms`` (the reminder's cut)."""
    if 0 < p < 1 and spread > 1e-6:   # a spread below a millionth is no spread (the Beta would overflow)
        k = p * (1 - p) / (spread * spread) - 1
        a, b = p * k, (1 - p) * k
        # inverse-CDF sampling keeps propensities coupled across scenario points (common random numbers)
        return make(name, lambda rng, n: stats.beta.ppf(rng.random(n), a, b) * sms)
    return lambda: p * sms
