"""Who has the fewest citizens: the caseworker a new citizen joins."""

from __future__ import annotations

from heapq import heapify, heappop, heappush

_BITS = 20   # caseworker indices are below 2**20 (the largest team a scenario allows is far smaller)
_MASK = (1 << _BITS) - 1


class TeamLoads:
    """The citizens on each caseworker's caseload, kept so that the least-loaded caseworker (the
    lowest-numbered on a tie) is found without a scan of the team on every arrival.

    Speed part, labelled: a heap of ``citizens x 2**20 + index`` (one int, ordered as the pair (citizens,
    index), cheaper to compare than a tuple), one entry pushed per change (:meth:`changed`); entries that no
    longer match the caseworker's count are dropped when they reach the top (:meth:`least_loaded`). The
    packing is private to this class.
    """

    __slots__ = ("caseworkers", "heap")

    def __init__(self, caseworkers: list):
        self.caseworkers = caseworkers
        self.heap = [c.citizens << _BITS | c.index for c in caseworkers]
        heapify(self.heap)

    def changed(self, caseworker) -> None:
        """``caseworker.citizens`` has just changed."""
        heappush(self.heap, caseworker.citizens << _BITS | caseworker.index)

    def least_loaded(self):
        """The caseworker with the fewest citizens (the lowest-numbered on a tie)."""
        heap, caseworkers = self.heap, self.caseworkers
        if len(heap) > 2 * len(caseworkers) + 64:     # keep the heap small: rebuild from the counts
            heap[:] = [c.citizens << _BITS | c.index for c in caseworkers]
            heapify(heap)
        while True:
            top = heap[0]
            caseworker = caseworkers[top & _MASK]
            if caseworker.citizens == top >> _BITS:
                return caseworker
            heappop(heap)
